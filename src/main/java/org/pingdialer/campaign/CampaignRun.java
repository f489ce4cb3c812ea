package org.pingdialer.campaign;

import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.ami.AmiEndpoint;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.campaign.spec.AgentGroups;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.schedule.QuartzRedials;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcDispositionStore;
import org.pingdialer.store.JdbcLeadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One campaign on a {@link Floor}: its call engine, dialing loop, redial scheduler and line
 * checker, wired and started in the right order and closed in the reverse one; the floor's agents,
 * ARI and AMI connections and owner thread are shared with the other campaigns on it. Quartz wakes
 * the loop for redials and callbacks; the line checker runs when the campaign checks lines.
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
      int lineChecksAtOnce,
      AgentGroups agentGroups) {
    /** No agent groups defined: campaigns without an agent list are worked by every agent. */
    public Settings(
        AriEndpoint ari,
        Optional<AmiEndpoint> ami,
        Database database,
        String claimer,
        ZoneId agentZone,
        int lineChecksAtOnce) {
      this(ari, ami, database, claimer, agentZone, lineChecksAtOnce, AgentGroups.NONE);
    }
  }

  private final Floor floor;
  private final Campaign campaign;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final InstantSource clock;
  private final CallEngine engine;
  private final CampaignLoop loop;
  private final Optional<LineChecker> checker;

  /** Whether closing this run closes its floor: a run started alone ({@link #start}). */
  private boolean ownsFloor;

  private boolean partsClosed;

  /**
   * Builds the campaign's parts on {@code floor} and clears what a dead run left of it.
   *
   * @param startingTogether the campaigns the floor starts with: a dead run's call of any of them
   *     that an agent was on stays for that campaign to adopt
   * @param floorStarts whether the floor starts now (its agents' bridges are a dead run's and are
   *     cleared) or runs already (they are live and stay)
   */
  CampaignRun(
      Floor floor,
      Campaign campaign,
      Settings settings,
      InstantSource clock,
      List<Campaign> startingTogether,
      boolean floorStarts)
      throws Exception {
    this.floor = floor;
    this.campaign = campaign;
    this.clock = clock;
    AgentPool agents = floor.agents();
    this.engine =
        new CallEngine(
            campaign.name(),
            campaign.trunk(),
            floor.ari(),
            floor.attempts(),
            campaign.dialPolicy(),
            clock,
            agents,
            CallEngine.Threads.around(floor.owner(), campaign.name()));
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
            floor.leads(),
            floor.dispositions(),
            floor.attempts(),
            redials,
            engine,
            agents,
            clock,
            floor.owner(),
            Loops.worker("campaign-" + campaign.name() + "-store"));
    late[0] = loop;
    parts.add(loop);
    this.checker =
        campaign.lineCheck() == Campaign.LineCheck.OFF
            ? Optional.empty()
            : Optional.of(
                new LineChecker(
                    campaign,
                    settings.claimer() + "-check",
                    floor.leads(),
                    engine,
                    settings.lineChecksAtOnce(),
                    clock));
    checker.ifPresent(parts::add);
    checker.ifPresent(c -> c.reportTo(loop::lineCheckEnded));
    try {
      clearDeadRun(
          floorStarts
              ? DeadRunCleanup.AgentBridges.clearBut(startingTogether)
              : DeadRunCleanup.AgentBridges.KEEP);
    } catch (Exception | Error e) {
      // Not on the floor yet, so nobody else closes them: the redial scheduler, the engine's I/O
      // threads and the store workers would outlive a campaign that never started.
      crashParts();
      throw e;
    }
  }

  /**
   * Before any event of this run: what a run that died left must not mix with it. Calls agents were
   * on are followed by this run: engine first (the call), then the loop (it watches the call's
   * result), then the desk (the agent on it).
   */
  private void clearDeadRun(DeadRunCleanup.AgentBridges agentBridges) throws Exception {
    var cleared =
        DeadRunCleanup.clear(
            floor.ari(), campaign, floor.attempts(), floor.leads(), clock.instant(), agentBridges);
    for (DeadRunCleanup.Adoption a : cleared.adopted()) {
      var seat = new AgentSeat(a.agentId(), a.agentChannelId(), a.bridgeId());
      engine.adopt(a.attempt(), a.placedAt(), seat).get(5, TimeUnit.SECONDS);
      loop.adopt(a.attempt().key(), a.lead(), seat).get(5, TimeUnit.SECONDS);
      floor.adoptSeat(seat, a.attempt().key());
    }
  }

  /**
   * A campaign alone on its own floor: connects to Asterisk (events socket, AMI), then starts the
   * line checker and the loop. Agents may log in from then on; no call is placed before one is
   * seated. Closing the run closes the floor.
   *
   * @throws IllegalStateException when the events socket does not connect within {@code timeout}
   */
  public static CampaignRun start(
      Campaign campaign, Settings settings, InstantSource clock, Duration timeout)
      throws Exception {
    return start(campaign, List.of(), settings, clock, timeout);
  }

  /** As above, with inbound {@code queues} on the campaign's floor, served by the same agents. */
  public static CampaignRun start(
      Campaign campaign,
      List<InboundQueue> queues,
      Settings settings,
      InstantSource clock,
      Duration timeout)
      throws Exception {
    Floor floor = Floor.start(campaign.name(), List.of(campaign), queues, settings, clock, timeout);
    CampaignRun run = floor.run(campaign.name()).orElseThrow();
    run.ownsFloor = true;
    return run;
  }

  /** Starts the line checker and the loop (the loop asks the pool for the campaign's agents). */
  void begin(Duration timeout) throws Exception {
    if (checker.isPresent()) {
      checker.get().start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    loop.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    log.info("campaign {} running", campaign.name());
  }

  /** The floor the campaign runs on, with the other campaigns sharing its agents. */
  public Floor floor() {
    return floor;
  }

  /** The floor's ARI events socket (tests drop it to see the run recover). */
  AriEventStream events() {
    return floor.events();
  }

  /** How often the ARI events socket connected again after it was lost, since the start. */
  public long ariReconnects() {
    return floor.ariReconnects();
  }

  public Campaign campaign() {
    return campaign;
  }

  public AgentDesk desk() {
    return floor.desk();
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
    return floor.database();
  }

  public JdbcLeadStore leads() {
    return floor.leads();
  }

  public JdbcDispositionStore dispositions() {
    return floor.dispositions();
  }

  public OkHttpAriClient ari() {
    return floor.ari();
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

  /**
   * Written under the run's lock (start, pause, stop), read without it: readers such as the
   * dashboard ask from the floor's owner thread, which a stop holding the lock waits for.
   */
  private volatile State state = State.DIALING;

  /** Told every change of {@link #state}, on the thread that made it (hand over, never block). */
  private final List<Consumer<State>> stateWatchers = new CopyOnWriteArrayList<>();

  public State state() {
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
    for (var channel : floor.ari().channels()) {
      boolean ours =
          AttemptKey.fromChannelId(channel.id())
              .filter(key -> key.campaign().equals(campaign.name()))
              .isPresent();
      if (ours) {
        try {
          floor.ari().hangup(channel.id(), "normal");
        } catch (RuntimeException e) {
          log.debug("{} ended meanwhile: {}", channel.id(), e.getMessage());
        }
      }
    }
  }

  /**
   * Stops the run's threads and sockets the way a {@code kill -9} would: nothing is hung up in
   * Asterisk and nothing is settled in the store, so the next run finds what a dead run leaves
   * (tests of the recovery in this JVM, with lab phones that outlive the run). A run alone on its
   * floor crashes the floor with it.
   */
  void crash() {
    if (ownsFloor) {
      floor.crash();
    } else {
      crashParts();
    }
  }

  /** Closes the campaign's own parts without hanging up or settling anything. */
  void crashParts() {
    synchronized (this) {
      if (partsClosed) {
        return;
      }
      partsClosed = true;
    }
    for (AutoCloseable part : parts.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        log.debug("crashing {}: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /**
   * Closes the campaign: hangs up its calls still in Asterisk (a closed run leaves no channel
   * behind; a clean stop drains first), closes its parts in the reverse order of starting and
   * settles what had no time to finish. A run alone on its floor closes the floor too; a campaign
   * sharing a floor leaves it with {@link Floor#remove}.
   */
  @Override
  public void close() {
    if (ownsFloor) {
      floor.close();
    } else {
      floor.remove(campaign.name());
    }
  }

  /** {@link #close} for this campaign's parts only (the floor closes them in turn). */
  void closeParts() {
    synchronized (this) {
      if (partsClosed) {
        return;
      }
      partsClosed = true;
    }
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
      var unused =
          DeadRunCleanup.settleAtStop(campaign, floor.attempts(), floor.leads(), clock.instant());
    } catch (RuntimeException e) {
      log.warn("campaign {}: settling its last calls failed: {}", campaign.name(), e.toString());
    }
  }
}
