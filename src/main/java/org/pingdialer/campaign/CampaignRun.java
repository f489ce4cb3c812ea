package org.pingdialer.campaign;

import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.ami.AmiEndpoint;
import org.pingdialer.call.ami.AmiMonitor;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.schedule.QuartzRedials;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcDispositionStore;
import org.pingdialer.store.JdbcLeadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One campaign running against one Asterisk: everything the loop needs, wired and started in the
 * right order, and closed in the reverse one. The ARI events socket feeds the call engine and the
 * agent desk; AMI feeds the desk the agents' phone registrations; Quartz wakes the loop for redials
 * and callbacks; the line checker runs when the campaign checks lines.
 */
public final class CampaignRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CampaignRun.class);

  /**
   * The ARI events the engine and the desk act on: the app's event filter. Without it Asterisk
   * sends every event of every channel in the app, among them about ten {@code ChannelVarset} per
   * call (each decoded here and stored as an evidence row of the attempt, saying nothing), {@code
   * ChannelLeftBridge}, {@code BridgeDestroyed} and the talk-detection events. {@code
   * ApplicationReplaced} tells the stream that another client took the app over.
   */
  static final Set<String> EVENTS_USED =
      Set.of(
          "StasisStart",
          "StasisEnd",
          "Dial",
          "ChannelStateChange",
          "ChannelHangupRequest",
          "ChannelDestroyed",
          "ChannelDtmfReceived",
          "ChannelEnteredBridge",
          "PlaybackStarted",
          "PlaybackFinished",
          "ApplicationReplaced");

  /** What a run needs besides the campaign. */
  public record Settings(
      AriEndpoint ari,
      Optional<AmiEndpoint> ami,
      Database database,
      String claimer,
      ZoneId agentZone,
      int lineChecksAtOnce) {}

  private final Campaign campaign;
  private final Database database;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final OkHttpAriClient ariClient;
  private final JdbcLeadStore leads;
  private final JdbcDispositionStore dispositions;
  private final JdbcAttemptStore attempts;
  private final InstantSource clock;
  private final AgentPool agents;
  private final CallEngine engine;
  private final AgentDesk desk;
  private final CampaignLoop loop;
  private final Optional<LineChecker> checker;

  /** The ARI events socket, once started. */
  private AriEventStream events;

  /** Times the ARI events socket connected again after it was lost (for metrics). */
  private final AtomicLong ariReconnects = new AtomicLong();

  private CampaignRun(Campaign campaign, Settings settings, InstantSource clock) {
    this.campaign = campaign;
    this.clock = clock;
    this.database = settings.database();
    this.ariClient = new OkHttpAriClient(settings.ari());
    this.leads = new JdbcLeadStore(settings.database());
    this.dispositions = new JdbcDispositionStore(settings.database());
    this.attempts = new JdbcAttemptStore(settings.database());
    // One owner thread for the calls, the agents and the loop: an answered call takes its agent
    // without a hand-over, and "is this agent free?" has one answer.
    ScheduledExecutorService owner = Loops.ownerThread("floor-" + campaign.name());
    // Closed last: the parts below hand their last work to it.
    parts.add(() -> owner.shutdownNow().clear());
    this.agents = new AgentPool(owner, clock, campaign.wrapUp());
    this.engine =
        new CallEngine(
            campaign.name(),
            campaign.trunk(),
            ariClient,
            attempts,
            campaign.dialPolicy(),
            clock,
            agents,
            CallEngine.Threads.around(owner, campaign.name()));
    parts.add(engine);
    CampaignLoop[] late = new CampaignLoop[1]; // Quartz needs the loop, the loop needs Quartz
    QuartzRedials redials =
        QuartzRedials.forCampaign(
            settings.database(),
            campaign.name(),
            (name, lead, reason, at) -> {
              if (late[0] != null) {
                late[0].due(name, lead, reason, at);
              }
            });
    parts.add(redials);
    this.loop =
        new CampaignLoop(
            campaign,
            settings.claimer(),
            leads,
            dispositions,
            attempts,
            redials,
            engine,
            agents,
            clock,
            owner,
            Loops.worker("campaign-" + campaign.name() + "-store"));
    late[0] = loop;
    parts.add(loop);
    this.desk =
        new AgentDesk(
            ariClient, agents, loop, settings.agentZone(), owner, Loops.worker("agent-desk-ari"));
    parts.add(desk);
    this.checker =
        campaign.lineCheck() == Campaign.LineCheck.OFF
            ? Optional.empty()
            : Optional.of(
                new LineChecker(
                    campaign,
                    settings.claimer() + "-check",
                    leads,
                    engine,
                    settings.lineChecksAtOnce(),
                    clock));
    checker.ifPresent(parts::add);
    checker.ifPresent(c -> c.reportTo(loop::lineCheckEnded));
  }

  /**
   * Connects to Asterisk (events socket, AMI), then starts the line checker and the loop. Agents
   * may log in from then on; no call is placed before one is seated.
   *
   * @throws IllegalStateException when the events socket does not connect within {@code timeout}
   */
  public static CampaignRun start(
      Campaign campaign, Settings settings, InstantSource clock, Duration timeout)
      throws Exception {
    var run = new CampaignRun(campaign, settings, clock);
    try {
      // Before any event or agent of this run: what a run that died left must not mix with it.
      var cleared =
          DeadRunCleanup.clear(run.ariClient, campaign, run.attempts, run.leads, clock.instant());
      // Calls agents were on are followed by this run: engine first (the call), then the loop (it
      // watches the call's result), then the desk (the agent on it).
      for (DeadRunCleanup.Adoption a : cleared.adopted()) {
        var seat = new AgentSeat(a.agentId(), a.agentChannelId(), a.bridgeId());
        run.engine.adopt(a.attempt(), a.placedAt(), seat).get(5, TimeUnit.SECONDS);
        run.loop.adopt(a.attempt().key(), a.lead(), seat).get(5, TimeUnit.SECONDS);
        run.desk.adopt(seat, a.attempt().key()).get(5, TimeUnit.SECONDS);
      }
      var stream =
          new AriEventStream(
              run.ariClient,
              EVENTS_USED,
              clock,
              AriEventStream.Listener.all(List.of(run.engine, run.desk, run.reconnectCounter())));
      run.parts.add(stream);
      run.events = stream;
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
        run.parts.add(AmiMonitor.connect(settings.ami().get(), clock, run.desk));
      }
      if (run.checker.isPresent()) {
        run.checker.get().start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      run.loop.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      log.info("campaign {} running", campaign.name());
      return run;
    } catch (Exception | Error e) {
      run.close();
      throw e;
    }
  }

  private AriEventStream.Listener reconnectCounter() {
    return new AriEventStream.Listener() {
      @Override
      public void onConnected(AriEventStream.Connection connection) {
        if (connection.isReconnect()) {
          ariReconnects.incrementAndGet();
        }
      }

      @Override
      public void onEvent(AriEvent event) {}

      @Override
      public void onDisconnected(String reason) {}
    };
  }

  /** The run's ARI events socket (tests drop it to see the run recover). */
  AriEventStream events() {
    return events;
  }

  /** How often the ARI events socket connected again after it was lost, since the start. */
  public long ariReconnects() {
    return ariReconnects.get();
  }

  public Campaign campaign() {
    return campaign;
  }

  public AgentDesk desk() {
    return desk;
  }

  public CampaignLoop loop() {
    return loop;
  }

  public CallEngine engine() {
    return engine;
  }

  public Optional<LineChecker> lineChecker() {
    return checker;
  }

  /** The database the campaign's leads, attempts and audit trail are in. */
  public Database database() {
    return database;
  }

  public JdbcLeadStore leads() {
    return leads;
  }

  public JdbcDispositionStore dispositions() {
    return dispositions;
  }

  public OkHttpAriClient ari() {
    return ariClient;
  }

  /**
   * Where the campaign is: dialing, paused (an agents' break: resume) or stopped (until an operator
   * starts it again).
   */
  public enum State {
    DIALING,
    PAUSED,
    STOPPED
  }

  private State state = State.DIALING;

  /** Told every change of {@link #state}, on the thread that made it (hand over, never block). */
  private final List<Consumer<State>> stateWatchers = new CopyOnWriteArrayList<>();

  public synchronized State state() {
    return state;
  }

  /** Adds a watcher of the run's state (dialing, paused, stopped). */
  public void watchState(Consumer<State> watcher) {
    stateWatchers.add(watcher);
  }

  private void enter(State next) {
    if (state != next) {
      state = next;
      stateWatchers.forEach(watcher -> watcher.accept(next));
    }
  }

  /**
   * Stops placing calls and checks until an operator starts the campaign again ({@link
   * #startAgain}); what is in flight goes on until {@link #close}.
   */
  public synchronized void stop() throws Exception {
    halt();
    enter(State.STOPPED);
  }

  /**
   * The operator's start of this campaign: dials again after a stop or a pause (agents stay seated;
   * claims, redials and the governor's history carry on). Nothing changes when it is dialing.
   */
  public synchronized void startAgain() throws Exception {
    if (state != State.DIALING) {
      dialAgain();
      enter(State.DIALING);
    }
  }

  /**
   * No new calls or checks for now (agents stay seated, calls in flight go on, claimed leads go
   * back); {@link #resume} dials again. False when the campaign is stopped.
   */
  public synchronized boolean pause() throws Exception {
    if (state == State.STOPPED) {
      return false;
    }
    if (state == State.DIALING) {
      halt();
      enter(State.PAUSED);
    }
    return true;
  }

  /** Dials again after a pause; false when the campaign is stopped (see {@link #startAgain}). */
  public synchronized boolean resume() throws Exception {
    if (state == State.STOPPED) {
      return false;
    }
    if (state == State.PAUSED) {
      dialAgain();
      enter(State.DIALING);
    }
    return true;
  }

  private void dialAgain() throws Exception {
    if (checker.isPresent()) {
      checker.get().start().get(10, TimeUnit.SECONDS);
    }
    loop.resume().get(10, TimeUnit.SECONDS);
  }

  private void halt() throws Exception {
    if (checker.isPresent()) {
      checker.get().stop().get(10, TimeUnit.SECONDS);
    }
    loop.stop().get(10, TimeUnit.SECONDS);
  }

  /**
   * After {@link #stop}: lets calls in flight end by themselves for up to {@code grace}, then hangs
   * up what is left of ours (channels named by an attempt key), so a stop leaves nothing behind.
   */
  public void drain(Duration grace) throws Exception {
    try {
      engine.allCallsEnded().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.info("campaign {}: calls still up after {}; hanging them up", campaign.name(), grace);
    }
    hangUpOurs();
  }

  /** Hangs up this campaign's calls still in Asterisk (never another campaign's). */
  private void hangUpOurs() {
    for (var channel : ariClient.channels()) {
      boolean ours =
          AttemptKey.fromChannelId(channel.id())
              .filter(key -> key.campaign().equals(campaign.name()))
              .isPresent();
      if (ours) {
        try {
          ariClient.hangup(channel.id(), "normal");
        } catch (RuntimeException e) {
          log.debug("{} ended meanwhile: {}", channel.id(), e.getMessage());
        }
      }
    }
  }

  /**
   * Stops the run's threads and sockets the way a {@code kill -9} would: nothing is hung up in
   * Asterisk and nothing is settled in the store, so the next run finds what a dead run leaves
   * (tests of the recovery in this JVM, with lab phones that outlive the run).
   */
  void crash() {
    for (AutoCloseable part : parts.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        log.debug("crashing {}: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /**
   * Closes everything in the reverse order of starting, after hanging up this campaign's calls
   * still in Asterisk: a closed run leaves no channel behind (a clean stop drains first).
   */
  @Override
  public void close() {
    try {
      hangUpOurs();
    } catch (RuntimeException e) {
      log.warn("campaign {}: its calls could not be listed to hang them up", campaign.name(), e);
    }
    for (AutoCloseable part : parts.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        log.warn("closing {} failed", part.getClass().getSimpleName(), e);
      }
    }
    try {
      // Nothing runs any more: what had no time to finish is settled now, not at the next start.
      var unused = DeadRunCleanup.settleAtStop(campaign, attempts, leads, clock.instant());
    } catch (RuntimeException e) {
      log.warn("campaign {}: settling its last calls failed: {}", campaign.name(), e.toString());
    }
  }
}
