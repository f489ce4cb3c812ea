package org.pingdialer.web;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.CallState;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.KnownBots;
import org.pingdialer.call.Timeline;
import org.pingdialer.campaign.CampaignLoop;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.campaign.Floor;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.concurrent.Loops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live picture of one running campaign for the dashboard: agents and how long each has been in
 * its state, calls in flight with their timelines, the pacing level and abandon rates, outcomes per
 * minute. It is kept from what the agent desk, the call engine and the campaign loop tell their
 * watchers (no polling), and handed to subscribers as a whole {@link View} after each change.
 *
 * <p>Threads: one owner thread ({@code dashboard}) holds the state; watchers hand over to it.
 * Subscribers are told on it and must hand over too (the SSE route sends on the client's own
 * thread). Changes within {@link #COALESCE} are sent as one view; a {@link #HEARTBEAT} view goes
 * out even without changes, since the abandon rates' windows slide with time alone.
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

  /** Changes this close together go out as one view. */
  static final Duration COALESCE = Duration.ofMillis(200);

  /** A view goes out at least this often (also finds clients that went away). */
  public static final Duration HEARTBEAT = Duration.ofSeconds(15);

  /** Ended calls kept on the board, newest first. */
  static final int RECENT_CALLS = 8;

  /** How often the floor's other campaigns and its queues are asked for their figures. */
  static final Duration FLOOR_EVERY = Duration.ofSeconds(5);

  /** Minutes of outcomes kept for the chart. */
  static final int CHART_MINUTES = 60;

  private final String campaign;
  private final String pacing;
  private final Optional<AbandonGovernor.Limits> limits;
  private final InstantSource clock;
  private final KnownBots bots;
  private final CampaignLoop campaignLoop;
  private final Floor floor;
  private final ScheduledExecutorService loop = Loops.ownerThread("dashboard");

  /** The floor's campaigns and queues, refreshed every {@link #FLOOR_EVERY} (owned by `loop`). */
  private List<FloorCampaign> floorCampaigns = List.of();

  private List<QueueRow> floorQueues = List.of();

  // Owned by `loop`.
  private final Map<String, AgentRow> agents = new TreeMap<>();
  private final Map<AttemptKey, CallRow> calls = new LinkedHashMap<>();
  private final Deque<CallRow> recent = new ArrayDeque<>();

  /** How long each recent goat call held its agent, seconds, newest first. */
  private final Deque<Long> goatHolds = new ArrayDeque<>();

  private final TreeMap<Long, Map<DialOutcome, Long>> outcomesByMinute = new TreeMap<>();
  private CampaignLoop.Stats stats;

  /** The campaign's state as an operator set it: dialing, paused or stopped. */
  private String campaignState;

  private boolean pushPending;

  private final List<Consumer<View>> subscribers = new CopyOnWriteArrayList<>();

  private Dashboard(CampaignRun run, InstantSource clock, KnownBots bots) {
    this.campaign = run.campaign().name();
    this.pacing = describe(run.campaign().pacing());
    this.campaignLoop = run.loop();
    this.floor = run.floor();
    this.limits = run.loop().abandonLimits();
    this.clock = clock;
    this.bots = bots;
    this.campaignState = name(run.state());
  }

  /**
   * Starts watching a run. Agents already logged in show with no time in state (the desk does not
   * say since when); start it right after the run to see every change.
   */
  public static Dashboard watch(CampaignRun run, InstantSource clock, KnownBots bots) {
    var dashboard = new Dashboard(run, clock, bots);
    run.desk()
        .observe(
            (agent, before, after) -> dashboard.hand(() -> dashboard.agentChanged(agent, after)));
    run.engine()
        .watchCalls((key, state) -> dashboard.hand(() -> dashboard.callChanged(key, state)));
    run.loop().watch(stats -> dashboard.hand(() -> dashboard.statsChanged(stats)));
    run.watchState(state -> dashboard.hand(() -> dashboard.campaignStateChanged(state)));
    var unusedAgents =
        run.desk().states().thenAccept(states -> dashboard.hand(() -> dashboard.known(states)));
    var unusedStats =
        run.loop().stats().thenAccept(s -> dashboard.hand(() -> dashboard.statsChanged(s)));
    // A start, pause or stop of any campaign on the floor shows at once, not at the next ask.
    Consumer<CampaignRun> watchFloorState =
        floorRun -> floorRun.watchState(state -> dashboard.hand(dashboard::askFloor));
    run.floor().runs().forEach(watchFloorState);
    run.floor()
        .watchAdded(
            added -> {
              watchFloorState.accept(added);
              dashboard.hand(dashboard::askFloor);
            });
    var unusedFloor =
        dashboard.loop.scheduleWithFixedDelay(
            dashboard::askFloor, 0, FLOOR_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    var unusedBeat =
        dashboard.loop.scheduleWithFixedDelay(
            dashboard::heartbeat,
            HEARTBEAT.toMillis(),
            HEARTBEAT.toMillis(),
            TimeUnit.MILLISECONDS);
    return dashboard;
  }

  /**
   * Adds a subscriber: told the current view at once, then after every change, on the dashboard's
   * thread (hand over, never block). Returns what removes it.
   */
  public Runnable subscribe(Consumer<View> subscriber) {
    loop.execute(
        () -> {
          subscribers.add(subscriber);
          tell(subscriber, view());
        });
    return () -> subscribers.remove(subscriber);
  }

  /** The view now. */
  public CompletableFuture<View> current() {
    return CompletableFuture.supplyAsync(this::view, loop);
  }

  /**
   * Hands news to the dashboard's thread. After {@link #close} the run may still tell its watchers
   * (they cannot be removed): that news is dropped quietly.
   */
  private void hand(Runnable news) {
    try {
      loop.execute(news);
    } catch (RejectedExecutionException closed) {
      // closed: nobody is watching any more
    }
  }

  // --- watchers' news, on the loop --------------------------------------------------------------

  private void known(Map<String, AgentState> states) {
    states.forEach(
        (id, state) -> agents.putIfAbsent(id, AgentRow.of(id, state, null))); // since: unknown
    changed();
  }

  private void agentChanged(String agent, AgentState after) {
    agents.put(agent, AgentRow.of(agent, after, clock.instant().toEpochMilli()));
    changed();
  }

  private void callChanged(AttemptKey key, CallState state) {
    CallRow row = CallRow.of(state);
    if (state instanceof CallState.Ended ended) {
      calls.remove(key);
      recent.addFirst(row);
      while (recent.size() > RECENT_CALLS) {
        recent.removeLast();
      }
      var t = ended.timeline();
      boolean goat = bots.isBot(ended.attempt().number());
      if (goat && t.bridgedAt() != null && t.endedAt() != null) {
        goatHolds.addFirst(Duration.between(t.bridgedAt(), t.endedAt()).toSeconds());
        while (goatHolds.size() > RECENT_CALLS) {
          goatHolds.removeLast();
        }
      }
      if (ended.attempt().kind() == Attempt.Kind.CALL) {
        Instant at = ended.timeline().endedAt() != null ? ended.timeline().endedAt() : now();
        outcomesByMinute
            .computeIfAbsent(at.getEpochSecond() / 60, m -> new EnumMap<>(DialOutcome.class))
            .merge(ended.outcome(), 1L, Long::sum);
        outcomesByMinute.headMap(at.getEpochSecond() / 60 - CHART_MINUTES).clear();
      }
    } else {
      calls.put(key, row);
    }
    changed();
  }

  private void statsChanged(CampaignLoop.Stats stats) {
    this.stats = stats;
    changed();
  }

  private void campaignStateChanged(CampaignRun.State state) {
    campaignState = name(state);
    changed();
  }

  /**
   * Asks every campaign on the floor and the inbound desk for their figures; the answers come back
   * to the dashboard's thread (nothing here waits for them).
   */
  private void askFloor() {
    List<CampaignRun> runs = floor.runs();
    List<CompletableFuture<FloorCampaign>> asked = new ArrayList<>();
    for (CampaignRun run : runs) {
      asked.add(
          run.loop()
              .stats()
              .thenApply(
                  s ->
                      new FloorCampaign(
                          run.campaign().name(),
                          name(run.state()),
                          run.campaign().share().priority(),
                          run.campaign().share().weight(),
                          s.placed(),
                          s.dialing(),
                          s.governor().map(AbandonGovernor.Decision::rate24h).orElse(0.0))));
    }
    var unused =
        CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
            .thenCombine(
                floor.inbound().stats(),
                (done, inbound) -> {
                  List<FloorCampaign> campaigns =
                      asked.stream().map(CompletableFuture::join).toList();
                  List<QueueRow> queues = new ArrayList<>();
                  inbound
                      .waiting()
                      .forEach(
                          (queue, waiting) -> {
                            Map<String, Long> ended = new TreeMap<>();
                            inbound
                                .outcomes()
                                .getOrDefault(queue, Map.of())
                                .forEach((o, n) -> ended.put(name(o), n));
                            queues.add(
                                new QueueRow(
                                    queue,
                                    waiting,
                                    ended,
                                    inbound.answeredWithin().getOrDefault(queue, 0L)));
                          });
                  hand(() -> floorChanged(campaigns, queues));
                  return null;
                });
  }

  private void floorChanged(List<FloorCampaign> campaigns, List<QueueRow> queues) {
    if (!campaigns.equals(floorCampaigns) || !queues.equals(floorQueues)) {
      floorCampaigns = campaigns;
      floorQueues = queues;
      changed();
    }
  }

  private void heartbeat() {
    // The loop's stats are asked again: the governor's rates move as old calls leave a window.
    var unused = campaignLoop.stats().thenAccept(s -> hand(() -> statsChanged(s)));
    push();
  }

  /** Sends one view for the changes of the next {@link #COALESCE}. */
  private void changed() {
    if (!pushPending) {
      pushPending = true;
      var unused = loop.schedule(this::push, COALESCE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void push() {
    pushPending = false;
    if (subscribers.isEmpty()) {
      return;
    }
    View view = view();
    subscribers.forEach(s -> tell(s, view));
  }

  private void tell(Consumer<View> subscriber, View view) {
    try {
      subscriber.accept(view);
    } catch (RuntimeException e) {
      log.warn("a dashboard subscriber failed; dropping it", e);
      subscribers.remove(subscriber);
    }
  }

  private Instant now() {
    return clock.instant();
  }

  private View view() {
    List<Minute> minutes = new ArrayList<>();
    outcomesByMinute.forEach(
        (minute, counts) -> {
          Map<String, Long> named = new TreeMap<>();
          counts.forEach((o, n) -> named.put(name(o), n));
          minutes.add(new Minute(minute * 60_000, named));
        });
    return new View(
        now().toEpochMilli(),
        campaign,
        campaignState,
        pacing,
        List.copyOf(agents.values()),
        List.copyOf(calls.values()),
        List.copyOf(recent),
        level(),
        minutes,
        floorCampaigns,
        floorQueues,
        new Goat(
            true,
            "calls to the lab network's phone-goat numbers that reached an agent, bridge to end",
            List.copyOf(goatHolds)));
  }

  private PacingLevel level() {
    Double target = limits.map(AbandonGovernor.Limits::target).orElse(null);
    Double cap = limits.map(AbandonGovernor.Limits::cap).orElse(null);
    if (stats == null) {
      return new PacingLevel(
          pacing, null, "waiting for the loop", 0, null, null, target, cap, 0, 0, 0, 0, null);
    }
    Optional<AbandonGovernor.Decision> decision = stats.governor();
    long answered = stats.outcomes().getOrDefault(DialOutcome.ANSWERED, 0L);
    long abandoned = stats.outcomes().getOrDefault(DialOutcome.ABANDONED, 0L);
    return new PacingLevel(
        pacing,
        decision.map(AbandonGovernor.Decision::allowedRatio).orElse(null),
        decision
            .map(AbandonGovernor.Decision::why)
            .orElse(
                limits.isPresent()
                    ? "no decision yet (no agent ready)"
                    : "not governed: this campaign has no abandon cap (lab profile)"),
        stats.pacerWanted(),
        decision.map(AbandonGovernor.Decision::rate24h).orElse(null),
        decision.map(AbandonGovernor.Decision::rate30d).orElse(null),
        target,
        cap,
        stats.dialing(),
        stats.placed(),
        stats.seatedAgents(),
        stats.readyAgents(),
        answered + abandoned == 0 ? null : (double) abandoned / (answered + abandoned));
  }

  private static String describe(Campaign.Pacing pacing) {
    return switch (pacing) {
      case Campaign.Pacing.Preview p -> "preview";
      case Campaign.Pacing.Progressive p -> "progressive (1 call per ready agent)";
      case Campaign.Pacing.Power p ->
          String.format(Locale.ROOT, "power (%.1f calls per ready agent)", p.ratio());
      case Campaign.Pacing.Predictive p ->
          String.format(
              Locale.ROOT,
              "predictive (abandon cap %.1f %%, at most %d channels)",
              100 * p.maxAbandonRate(),
              p.maxChannels());
    };
  }

  static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    subscribers.clear();
    loop.shutdownNow();
  }

  // --- the view: plain records, times as epoch milliseconds, absent values null ------------------

  /**
   * Everything the page shows; {@code floorCampaigns} and {@code queues} are the whole floor's.
   *
   * @param now the server's time, so that the page counts time in state on the server's clock
   * @param state the campaign's: dialing, paused or stopped (the operator's start, pause, stop)
   * @param recentCalls the last calls that ended, newest first
   */
  public record View(
      long now,
      String campaign,
      String state,
      String pacing,
      List<AgentRow> agents,
      List<CallRow> calls,
      List<CallRow> recentCalls,
      PacingLevel level,
      List<Minute> outcomes,
      List<FloorCampaign> floorCampaigns,
      List<QueueRow> queues,
      Goat goat) {}

  /**
   * A campaign on the floor, this one included: its state, place on the pool, calls placed since
   * its start, calls being dialed now and its abandon rate over 24 h.
   */
  public record FloorCampaign(
      String name,
      String state,
      int priority,
      int weight,
      long placed,
      long dialing,
      double abandonRate24h) {}

  /**
   * An inbound queue on the floor: callers waiting now, calls ended since the controller started by
   * outcome, and how many were answered within the queue's service-level threshold.
   */
  public record QueueRow(
      String name, int waiting, Map<String, Long> outcomes, long answeredWithin) {}

  /**
   * One agent.
   *
   * @param since when it entered its state; null when that happened before the dashboard watched
   */
  public record AgentRow(String id, String state, String pause, Long since) {
    static AgentRow of(String id, AgentState state, Long since) {
      return new AgentRow(
          id,
          name(state.status()),
          state.pause().map(AgentState.PauseReason::code).orElse(null),
          since);
    }
  }

  /**
   * One call.
   *
   * @param number the dialed number with all but its last four digits hidden
   * @param outcome set once it ended
   * @param steps what happened so far, in order
   */
  public record CallRow(
      String id,
      String kind,
      String number,
      String state,
      String agent,
      String outcome,
      List<Step> steps) {
    static CallRow of(CallState state) {
      String agent =
          switch (state) {
            case CallState.Connecting c -> c.agent().agentId();
            case CallState.Bridged b -> b.agent().agentId();
            default -> null;
          };
      String outcome = state instanceof CallState.Ended e ? name(e.outcome()) : null;
      Attempt attempt = state.attempt();
      return new CallRow(
          attempt.key().channelId(),
          name(attempt.kind()),
          masked(attempt.number()),
          state.getClass().getSimpleName().toLowerCase(Locale.ROOT),
          agent,
          outcome,
          Step.of(state.timeline()));
    }

    static String masked(String number) {
      return number.length() <= 4 ? number : "…" + number.substring(number.length() - 4);
    }
  }

  /** One moment of a call's timeline. */
  public record Step(String name, long at) {
    static List<Step> of(Timeline t) {
      List<Step> steps = new ArrayList<>();
      add(steps, "created", t.createdAt());
      add(steps, "in stasis", t.inStasisAt());
      add(steps, "ringing", t.ringingAt());
      add(steps, "progress", t.progressAt());
      add(steps, "answered", t.answeredAt());
      add(steps, "bridged", t.bridgedAt());
      add(steps, "drop message", t.dropStartedAt());
      add(steps, "ended", t.endedAt());
      steps.sort(Comparator.comparingLong(Step::at));
      return List.copyOf(steps);
    }

    private static void add(List<Step> steps, String name, Instant at) {
      if (at != null) {
        steps.add(new Step(name, at.toEpochMilli()));
      }
    }
  }

  /**
   * The pacing level: what the abandon governor allows and why, the rates on both windows against
   * target and cap (fractions; null when the campaign is not governed), and the loop's counts.
   *
   * @param pacerWanted new calls the pacing asked for at its last decision
   * @param sessionAbandonRate abandoned over live answers of this run's calls (null before any)
   */
  public record PacingLevel(
      String mode,
      Double allowedRatio,
      String decision,
      int pacerWanted,
      Double rate24h,
      Double rate30d,
      Double target,
      Double cap,
      int dialing,
      long placed,
      int seatedAgents,
      int readyAgents,
      Double sessionAbandonRate) {}

  /** Calls ended in one minute (starting at {@code at}), by outcome. */
  public record Minute(long at, Map<String, Long> counts) {}

  /**
   * Goat hold times: how long recent calls to a phone goat held an agent (the lab network's goat
   * numbers; a goat elsewhere is not known by its number).
   */
  public record Goat(boolean measured, String note, List<Long> holdSeconds) {}
}
