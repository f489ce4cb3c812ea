package org.pingdialer.campaign;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.agent.DtmfCommands;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.ami.AmiMonitor;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.inbound.CallbackLeads;
import org.pingdialer.inbound.InboundDesk;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcDispositionStore;
import org.pingdialer.store.JdbcInboundStore;
import org.pingdialer.store.JdbcLeadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PBX's floor: the agents (one {@link AgentPool} and its {@link AgentDesk}), the ARI events
 * socket of the Stasis app and AMI, and the campaigns that run on it, each a {@link CampaignRun}
 * with its own engine, loop, governor and line checker. Every campaign works the one pool: a free
 * agent goes to the campaign of the highest priority among those it works that dial, equal
 * priorities share by weight ({@code Campaign.Share}).
 *
 * <p>Threads: one owner thread ({@code floor-<name>}) owns the pool, the desk and every campaign's
 * calls and loop, so "is this agent free?" has one answer and an answered call of any campaign
 * takes its agent without a hand-over. The events socket's reader hands each event to the desk and
 * to every campaign's engine (each acts on its own channels only).
 */
public final class Floor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Floor.class);

  private final String name;
  private final CampaignRun.Settings settings;
  private final InstantSource clock;
  private final ScheduledExecutorService owner;
  private final OkHttpAriClient ariClient;
  private final JdbcLeadStore leads;
  private final JdbcDispositionStore dispositions;
  private final JdbcAttemptStore attempts;
  private final AgentPool agents;
  private final AgentDesk desk;
  private final InboundDesk inbound;

  /**
   * The campaigns on the floor, by name, in the order they were added. Its own lock is held only
   * for a lookup or a change, never while waiting: the owner thread reads it (a keyed command).
   */
  private final Map<String, CampaignRun> runs = Collections.synchronizedMap(new LinkedHashMap<>());

  /** Held while a campaign is added or removed (one at a time), never by the owner thread. */
  private final Object changing = new Object();

  /** Told of each campaign added to the running floor (metrics register its meters). */
  private final List<Consumer<CampaignRun>> added = new CopyOnWriteArrayList<>();

  /** The events socket's listeners besides the desk: each campaign's engine and the counter. */
  private final List<AriEventStream.Listener> listeners = new CopyOnWriteArrayList<>();

  private final List<AutoCloseable> parts = new ArrayList<>();
  private final AtomicLong ariReconnects = new AtomicLong();

  /** The events socket's last connection: told to an engine that joins a running floor. */
  private volatile AriEventStream.Connection lastConnection;

  private AriEventStream events;
  private boolean closed;

  private Floor(
      String name, List<InboundQueue> queues, CampaignRun.Settings settings, InstantSource clock) {
    this.name = name;
    this.settings = settings;
    this.clock = clock;
    this.ariClient = new OkHttpAriClient(settings.ari());
    this.leads = new JdbcLeadStore(settings.database());
    this.dispositions = new JdbcDispositionStore(settings.database());
    this.attempts = new JdbcAttemptStore(settings.database());
    this.owner = Loops.ownerThread("floor-" + name);
    // Closed last: the parts below hand their last work to it.
    parts.add(() -> owner.shutdownNow().clear());
    // The pool's own wrap-up is for calls of no campaign on it; each campaign brings its own.
    this.agents = new AgentPool(owner, clock, Duration.ofSeconds(10));
    this.desk =
        new AgentDesk(
            ariClient,
            agents,
            this::agentKeyed,
            settings.agentZone(),
            owner,
            Loops.worker("agent-desk-ari"));
    parts.add(desk);
    this.inbound =
        new InboundDesk(
            queues,
            ariClient,
            agents,
            owner,
            new JdbcInboundStore(settings.database()),
            new CallbackLeads(leads),
            settings.agentGroups(),
            clock);
    // Closed before the desk: its callers with agents are hung up while the agents are still there.
    parts.add(inbound);
    listeners.add(inbound);
  }

  /**
   * Clears what a run that died left for {@code campaigns}, connects to Asterisk (events socket,
   * AMI) and starts the campaigns. Agents may log in from then on.
   *
   * @param name names the floor's threads (a campaign's name when there is one)
   * @throws IllegalStateException when the events socket does not connect within {@code timeout}
   */
  public static Floor start(
      String name,
      List<Campaign> campaigns,
      CampaignRun.Settings settings,
      InstantSource clock,
      Duration timeout)
      throws Exception {
    return start(name, campaigns, List.of(), settings, clock, timeout);
  }

  /**
   * As above, with inbound {@code queues} served by the same agents.
   *
   * @throws IllegalArgumentException when a queue shares a name with a campaign or another queue,
   *     or a number with another queue
   */
  public static Floor start(
      String name,
      List<Campaign> campaigns,
      List<InboundQueue> queues,
      CampaignRun.Settings settings,
      InstantSource clock,
      Duration timeout)
      throws Exception {
    for (InboundQueue queue : queues) {
      for (Campaign campaign : campaigns) {
        if (campaign.name().equals(queue.name())) {
          throw new IllegalArgumentException(
              "queue "
                  + queue.name()
                  + " has the name of a campaign; campaigns and queues share the agent pool and"
                  + " need names of their own");
        }
      }
    }
    var floor = new Floor(name, queues, settings, clock);
    try {
      if (campaigns.isEmpty()) {
        // A campaign's start clears what a dead run left; without one, the agents' bridges still
        // must go before agents log in again (inbound callers in them wait on).
        DeadRunCleanup.clearAgentBridges(floor.ariClient);
      }
      floor.inbound.start();
      for (Campaign campaign : campaigns) {
        floor.create(campaign, campaigns, true);
      }
      var stream =
          new AriEventStream(
              floor.ariClient,
              CampaignRun.EVENTS_USED,
              clock,
              AriEventStream.Listener.all(List.of(floor.desk, floor.dispatcher())));
      floor.parts.add(stream);
      floor.events = stream;
      stream.start();
      try {
        stream.firstConnection().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "the ARI events socket at "
                + settings.ari().baseUrl()
                + " did not connect within "
                + timeout.toSeconds()
                + " s: is Asterisk up (./pingdialer stack status)?",
            e);
      }
      if (settings.ami().isPresent()) {
        floor.parts.add(AmiMonitor.connect(settings.ami().get(), clock, floor.desk));
      }
      for (CampaignRun run : floor.runs.values()) {
        run.begin(timeout);
      }
      return floor;
    } catch (Exception | Error e) {
      floor.close();
      throw e;
    }
  }

  /**
   * Adds a campaign to the running floor and starts it dialing. What a dead run left of it is
   * cleared first, without touching the agents' bridges: they are this floor's, live.
   *
   * @throws IllegalArgumentException when a campaign of that name is on the floor already
   */
  public CampaignRun add(Campaign campaign, Duration timeout) throws Exception {
    CampaignRun run;
    synchronized (changing) {
      if (runs.containsKey(campaign.name()) || inbound.isQueue(campaign.name())) {
        throw new IllegalArgumentException(
            "campaign "
                + campaign.name()
                + (inbound.isQueue(campaign.name())
                    ? " has the name of an inbound queue on this floor; pick another name"
                    : " is on this floor already; stop it or pick another name"));
      }
      run = create(campaign, List.of(campaign), false);
    }
    try {
      AriEventStream.Connection connection = lastConnection;
      if (connection != null) {
        // Its engine missed the connect: it must know the socket is up to place calls.
        run.engine().onConnected(connection);
      }
      run.begin(timeout);
    } catch (Exception | Error e) {
      remove(campaign.name());
      throw e;
    }
    for (var listener : added) {
      try {
        listener.accept(run);
      } catch (RuntimeException e) {
        log.warn("a listener of campaign {} being added failed", campaign.name(), e);
      }
    }
    return run;
  }

  /**
   * Takes a stopped campaign off the floor: its calls are hung up, its parts closed, its agents
   * given to the others.
   */
  public void remove(String campaign) {
    CampaignRun run;
    synchronized (changing) {
      run = runs.remove(campaign);
    }
    if (run != null) {
      listeners.remove(run.engine());
      run.closeParts();
      onOwner(() -> agents.part(campaign));
    }
  }

  private CampaignRun create(
      Campaign campaign, List<Campaign> startingTogether, boolean floorStarts) throws Exception {
    var run = new CampaignRun(this, campaign, settings, clock, startingTogether, floorStarts);
    runs.put(campaign.name(), run);
    listeners.add(run.engine());
    onOwner(
        () ->
            agents.join(
                new AgentPool.Membership(
                    campaign.name(),
                    settings
                        .agentGroups()
                        .resolve(campaign.share(), Optional.of(campaign.agentGroup())),
                    campaign.wrapUp())));
    return run;
  }

  /** Tells {@code listener} of every campaign added to the floor from now on. */
  public void watchAdded(Consumer<CampaignRun> listener) {
    added.add(listener);
  }

  /** Runs {@code work} on the owner thread and waits for it (the pool is only touched there). */
  void onOwner(Runnable work) {
    if (owner.isShutdown()) {
      return;
    }
    try {
      CompletableFuture.runAsync(work, owner).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("floor {}: {} on the owner thread failed", name, work, e);
    }
  }

  /** The events socket's other listeners: every campaign's engine, and the reconnect counter. */
  private AriEventStream.Listener dispatcher() {
    return new AriEventStream.Listener() {
      @Override
      public void onConnected(AriEventStream.Connection connection) {
        lastConnection = connection;
        if (connection.isReconnect()) {
          ariReconnects.incrementAndGet();
        }
        listeners.forEach(l -> l.onConnected(connection));
      }

      @Override
      public void onEvent(AriEvent event) {
        listeners.forEach(l -> l.onEvent(event));
      }

      @Override
      public void onDisconnected(String reason) {
        listeners.forEach(l -> l.onDisconnected(reason));
      }
    };
  }

  /**
   * An agent keyed a command: it is for the campaign the agent works for now (its call's, or the
   * last call's while it files it); with one campaign on the floor, that one.
   */
  private void agentKeyed(String agentId, DtmfCommands.Command command) {
    Optional<String> working = agents.campaignOf(agentId);
    if (working.isPresent() && inbound.isQueue(working.get())) {
      inbound.agentKeyed(agentId, command);
      return;
    }
    Optional<CampaignRun> run = working.flatMap(this::run).or(this::only);
    if (run.isEmpty()) {
      log.info("agent {} keyed {} while working for no campaign", agentId, command);
      return;
    }
    run.get().loop().agentKeyed(agentId, command);
  }

  private Optional<CampaignRun> only() {
    List<CampaignRun> all = runs();
    return all.size() == 1 ? Optional.of(all.getFirst()) : Optional.empty();
  }

  /** Adopts a call an agent was on when a run died: the desk seats the agent on it. */
  void adoptSeat(AgentSeat seat, AttemptKey call) throws Exception {
    desk.adopt(seat, call).get(5, TimeUnit.SECONDS);
  }

  // --- what the floor holds ---------------------------------------------------------------------

  public String name() {
    return name;
  }

  /** The campaigns on the floor, in the order they were added. */
  public List<CampaignRun> runs() {
    synchronized (runs) {
      return List.copyOf(runs.values());
    }
  }

  /** The campaign of that name on the floor. */
  public Optional<CampaignRun> run(String campaign) {
    return Optional.ofNullable(runs.get(campaign));
  }

  ScheduledExecutorService owner() {
    return owner;
  }

  public AgentDesk desk() {
    return desk;
  }

  /** The floor's inbound queues and their callers. */
  public InboundDesk inbound() {
    return inbound;
  }

  AgentPool agents() {
    return agents;
  }

  public OkHttpAriClient ari() {
    return ariClient;
  }

  public Database database() {
    return settings.database();
  }

  public JdbcLeadStore leads() {
    return leads;
  }

  public JdbcDispositionStore dispositions() {
    return dispositions;
  }

  JdbcAttemptStore attempts() {
    return attempts;
  }

  /** The floor's ARI events socket (tests drop it to see the campaigns recover). */
  AriEventStream events() {
    return events;
  }

  /** How often the ARI events socket connected again after it was lost, since the start. */
  public long ariReconnects() {
    return ariReconnects.get();
  }

  /**
   * Stops the floor's threads and sockets the way a {@code kill -9} would: nothing is hung up in
   * Asterisk and nothing is settled in the store (tests of the recovery in this JVM).
   */
  void crash() {
    inbound.crash();
    for (CampaignRun run : runs()) {
      run.crashParts();
    }
    closeAll(false);
  }

  /**
   * Closes every campaign (each hangs up its calls still in Asterisk and settles what had no time
   * to finish), then the desk, the sockets and the owner thread. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (CampaignRun run : runs()) {
      run.closeParts();
    }
    closeAll(true);
  }

  private void closeAll(boolean warn) {
    for (AutoCloseable part : parts.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        if (warn) {
          log.warn("closing {} failed", part.getClass().getSimpleName(), e);
        } else {
          log.debug("crashing {}: {}", part.getClass().getSimpleName(), e.toString());
        }
      }
    }
  }
}
