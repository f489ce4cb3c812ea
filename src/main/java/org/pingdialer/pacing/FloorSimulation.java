package org.pingdialer.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.spec.Scenario;
import org.pingdialer.compliance.AbandonGovernor;

/**
 * A discrete-event simulation of a blended floor in virtual time: several outbound campaigns and
 * inbound queues served by one pool of agents, each agent a member of some of them. Each campaign
 * has its own {@link Pacer}, {@link AbandonGovernor} and callees; the pool follows the live rules:
 *
 * <ol>
 *   <li>An agent who frees up takes the longest-waiting inbound caller of its queues first, then an
 *       answered outbound callee of its campaigns still waiting for an agent.
 *   <li>Otherwise it is kept for an inbound queue of its while that queue holds fewer agents (ready
 *       or on its calls) than its reserve, and else goes to one of its campaigns by {@link
 *       AgentShares} (priority, then weight).
 *   <li>Each campaign's pacer paces on the agents it holds (ready for it or on its calls), and its
 *       governor counts its own calls only.
 *   <li>An answered callee takes a ready agent of its own campaign, else a ready member held by a
 *       campaign of the same or a lower priority (the lowest first), never one a higher priority
 *       holds. An inbound caller takes a ready agent kept for its queue, else any ready member.
 * </ol>
 *
 * Seeded: the same inputs give the same result.
 */
public final class FloorSimulation {
  private static final Instant EPOCH = Instant.parse("2026-01-05T08:00:00Z");

  /**
   * An outbound campaign on the floor.
   *
   * @param wantedRatio the most calls per agent its pacing asks of its governor
   * @param channelLimit never more of its calls in flight than this
   * @param members the agents (0-based) who work it
   */
  public record Outbound(
      String name,
      int priority,
      int weight,
      Pacer pacer,
      AbandonGovernor governor,
      Population callees,
      double wantedRatio,
      int channelLimit,
      Set<Integer> members) {
    public Outbound {
      members = Set.copyOf(members);
    }
  }

  /**
   * An inbound queue on the floor: callers arrive at random ({@code callsPerHour}), wait for an
   * agent up to their patience (exponential, mean {@code patience}), talk (log-normal) and leave
   * the agent a wrap-up.
   *
   * @param reserve agents kept for the queue (see {@link InboundReserve})
   * @param answerWithin the service level's threshold
   */
  public record Inbound(
      String name,
      double callsPerHour,
      Duration talkMean,
      double talkSigma,
      Duration wrap,
      Duration patience,
      Duration answerWithin,
      int reserve,
      Set<Integer> members) {
    public Inbound {
      members = Set.copyOf(members);
      if (!(callsPerHour > 0) || talkMean.isZero() || talkMean.isNegative() || talkSigma < 0) {
        throw new IllegalArgumentException(
            "queue " + name + ": calls per hour and talk mean must be positive, sigma at least 0");
      }
      if (patience.isZero() || patience.isNegative() || reserve < 0) {
        throw new IllegalArgumentException(
            "queue " + name + ": patience must be positive and the reserve at least 0");
      }
    }
  }

  /** What one run measured, for the pool and for each campaign and queue. */
  public record Result(
      int agents,
      double hours,
      double agentMinutesPerHour,
      double occupancy,
      List<CampaignResult> campaigns,
      List<QueueResult> queues) {}

  /**
   * One campaign's share of a run.
   *
   * @param agentMinutes agent time (talk and wrap-up) its calls took, in the measured hours
   */
  public record CampaignResult(
      String name,
      int priority,
      int weight,
      double callsPerHour,
      long liveAnswers,
      long abandoned,
      double abandonRate,
      double agentMinutes) {}

  /**
   * One queue's service in a run.
   *
   * @param serviceLevel callers answered within the threshold, of all callers who arrived
   * @param averageSpeedOfAnswerMs mean wait of the callers answered
   * @param abandoned callers who hung up before an agent took them
   * @param agentMinutes agent time (talk and wrap-up) its calls took
   */
  public record QueueResult(
      String name,
      int reserve,
      long offered,
      long answered,
      long abandoned,
      double serviceLevel,
      long averageSpeedOfAnswerMs,
      double agentMinutes) {}

  private sealed interface Event
      permits Answer, Released, GiveUp, AgentFree, Arrival, HangUp, AskAgain {
    long at();
  }

  private record Answer(long at, int campaign, int call, boolean live, long ringMs)
      implements Event {}

  private record Released(long at, int campaign, int call) implements Event {}

  /** An answered callee without an agent is dropped. */
  private record GiveUp(long at, int campaign, int call) implements Event {}

  private record AgentFree(long at, int agent, long talkMs, long wrapMs) implements Event {}

  private record Arrival(long at, int queue) implements Event {}

  /** An inbound caller's patience ran out. */
  private record HangUp(long at, int queue, int caller) implements Event {}

  private record AskAgain(long at, int campaign) implements Event {}

  /** A callee or caller waiting for an agent. */
  private record Waiting(int id, long since) {}

  private enum Phase {
    READY,
    BUSY
  }

  /** One agent: ready or busy, and for whom (a campaign, a queue, or nobody). */
  private static final class Agent {
    final int id;
    Phase phase = Phase.READY;
    int campaign = -1;
    int queue = -1;
    long readySince;
    long busySince;
    long talkEnd;

    Agent(int id) {
      this.id = id;
    }
  }

  /** One campaign's running state. */
  private static final class Dialing {
    final Outbound spec;
    final Deque<Waiting> waiting = new ArrayDeque<>();
    final Map<Integer, Long> dialingSince = new HashMap<>();
    long askAgainAt = -1;
    long placed;
    long live;
    long abandoned;
    long workMs;

    Dialing(Outbound spec) {
      this.spec = spec;
    }
  }

  /** One queue's running state. */
  private static final class Queue {
    final Inbound spec;
    final Deque<Waiting> waiting = new ArrayDeque<>();
    long offered;
    long answered;
    long answeredWithin;
    long abandoned;
    long waitSumMs;
    long workMs;

    Queue(Inbound spec) {
      this.spec = spec;
    }
  }

  private final List<Dialing> campaigns = new ArrayList<>();
  private final List<Queue> queues = new ArrayList<>();
  private final List<Agent> agents = new ArrayList<>();
  private final SplittableRandom random;
  private final PriorityQueue<Event> events =
      new PriorityQueue<>(Comparator.comparingLong(Event::at));
  private long now;
  private int nextId;
  private long workMs;

  /**
   * @param agents the pool's size; members are numbered 0 to {@code agents - 1}
   * @throws IllegalArgumentException when a member is outside the pool or names repeat
   */
  public FloorSimulation(int agents, List<Outbound> outbound, List<Inbound> inbound, long seed) {
    if (agents < 1) {
      throw new IllegalArgumentException("the floor needs at least one agent, had " + agents);
    }
    Set<String> names = new HashSet<>();
    for (Outbound o : outbound) {
      check(o.name(), o.members(), agents, names);
      campaigns.add(new Dialing(o));
    }
    for (Inbound i : inbound) {
      check(i.name(), i.members(), agents, names);
      queues.add(new Queue(i));
    }
    for (int i = 0; i < agents; i++) {
      this.agents.add(new Agent(i));
    }
    this.random = new SplittableRandom(seed);
  }

  /**
   * The floor a scenario file describes: each campaign's pacer by its mode (a predictive one
   * steering to two thirds of its abandon cap, as live), its own governor, and each queue's reserve
   * as the file sets it or as Erlang C sizes it for the queue's service level.
   */
  public static FloorSimulation of(Scenario scenario) {
    List<Outbound> outbound = new ArrayList<>();
    for (Scenario.Outbound o : scenario.campaigns()) {
      Scenario.Callees c = o.callees();
      var callees =
          new Population(
              c.liveRate(),
              c.machineRate(),
              c.ringMin(),
              c.ringMax(),
              c.noAnswerAfter(),
              c.talkMean(),
              c.talkSigma(),
              c.wrap(),
              Duration.ofSeconds(2));
      var limits = new AbandonGovernor.Limits(o.maxAbandon() * 2 / 3, o.maxAbandon(), 0);
      outbound.add(
          new Outbound(
              o.name(),
              o.priority(),
              o.weight(),
              Pacers.named(o.mode(), callees, o.maxAbandon(), limits.target(), o.ratio()),
              new AbandonGovernor(limits),
              callees,
              Pacers.wantedRatio(o.mode(), o.ratio()),
              10 * o.members().size(),
              o.members()));
    }
    List<Inbound> inbound = new ArrayList<>();
    for (Scenario.Inbound q : scenario.queues()) {
      int reserve =
          q.reserve().isPresent()
              ? q.reserve().getAsInt()
              : InboundReserve.agents(
                  q.callsPerHour(),
                  q.talkMean().plus(q.wrap()),
                  q.answeredWithin(),
                  q.serviceLevel());
      inbound.add(
          new Inbound(
              q.name(),
              q.callsPerHour(),
              q.talkMean(),
              q.talkSigma(),
              q.wrap(),
              q.patience(),
              q.answeredWithin(),
              reserve,
              q.members()));
    }
    return new FloorSimulation(scenario.agents(), outbound, inbound, scenario.seed());
  }

  private static void check(String name, Set<Integer> members, int agents, Set<String> names) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("two campaigns or queues are named " + name);
    }
    for (int member : members) {
      if (member < 0 || member >= agents) {
        throw new IllegalArgumentException(
            name + ": member " + (member + 1) + " is not one of the " + agents + " agents");
      }
    }
  }

  /**
   * Runs for {@code warmUp} and then {@code length} of virtual time, measuring only the second
   * part.
   */
  public Result run(Duration warmUp, Duration length) {
    long start = warmUp.toMillis();
    long end = start + length.toMillis();
    boolean measuring = start == 0;
    for (int q = 0; q < queues.size(); q++) {
      scheduleArrival(q);
    }
    for (Agent agent : agents) {
      free(agent);
    }
    pace();
    while (!events.isEmpty() && events.peek().at() <= end) {
      if (!measuring && events.peek().at() > start) {
        measuring = true;
        resetCounts();
      }
      Event event = events.poll();
      now = event.at();
      switch (event) {
        case Answer a -> answer(a);
        case Released r -> {
          Dialing d = campaigns.get(r.campaign());
          d.dialingSince.remove(r.call());
          d.spec.pacer().unanswered(instant());
        }
        case GiveUp g -> giveUp(g);
        case AgentFree f -> agentFree(f);
        case Arrival a -> arrival(a);
        case HangUp h -> hangUp(h);
        case AskAgain ask -> campaigns.get(ask.campaign()).askAgainAt = -1;
      }
      pace();
    }
    return result(length);
  }

  private void resetCounts() {
    workMs = 0;
    for (Dialing d : campaigns) {
      d.placed = 0;
      d.live = 0;
      d.abandoned = 0;
      d.workMs = 0;
    }
    for (Queue q : queues) {
      q.offered = 0;
      q.answered = 0;
      q.answeredWithin = 0;
      q.abandoned = 0;
      q.waitSumMs = 0;
      q.workMs = 0;
    }
  }

  private Result result(Duration length) {
    double hours = length.toMillis() / 3_600_000.0;
    List<CampaignResult> perCampaign = new ArrayList<>();
    for (Dialing d : campaigns) {
      long answers = d.live + d.abandoned;
      perCampaign.add(
          new CampaignResult(
              d.spec.name(),
              d.spec.priority(),
              d.spec.weight(),
              d.placed / hours,
              answers,
              d.abandoned,
              answers == 0 ? 0 : (double) d.abandoned / answers,
              d.workMs / 60_000.0));
    }
    List<QueueResult> perQueue = new ArrayList<>();
    for (Queue q : queues) {
      perQueue.add(
          new QueueResult(
              q.spec.name(),
              q.spec.reserve(),
              q.offered,
              q.answered,
              q.abandoned,
              q.offered == 0 ? 1 : (double) q.answeredWithin / q.offered,
              q.answered == 0 ? 0 : q.waitSumMs / q.answered,
              q.workMs / 60_000.0));
    }
    int pool = agents.size();
    return new Result(
        pool,
        hours,
        workMs / 60_000.0 / (pool * hours),
        workMs / (pool * (double) length.toMillis()),
        perCampaign,
        perQueue);
  }

  private Instant instant() {
    return EPOCH.plusMillis(now);
  }

  // --- agents
  // -------------------------------------------------------------------------------------

  /** An agent is free: it serves who waits, or is kept for a queue or given to a campaign. */
  private void free(Agent agent) {
    agent.phase = Phase.READY;
    agent.campaign = -1;
    agent.queue = -1;
    agent.readySince = now;
    Optional<Integer> caller = longestWaitingQueue(agent);
    if (caller.isPresent()) {
      Waiting w = queues.get(caller.get()).waiting.poll();
      connectInbound(agent, caller.get(), now - w.since());
      return;
    }
    Optional<Integer> callee = longestWaitingCampaign(agent);
    if (callee.isPresent()) {
      campaigns.get(callee.get()).waiting.poll();
      connectOutbound(agent, callee.get());
      return;
    }
    allot(agent);
  }

  private Optional<Integer> longestWaitingQueue(Agent agent) {
    int best = -1;
    for (int q = 0; q < queues.size(); q++) {
      Queue queue = queues.get(q);
      if (queue.spec.members().contains(agent.id)
          && !queue.waiting.isEmpty()
          && (best < 0 || queue.waiting.peek().since() < queues.get(best).waiting.peek().since())) {
        best = q;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(best);
  }

  private Optional<Integer> longestWaitingCampaign(Agent agent) {
    int best = -1;
    for (int c = 0; c < campaigns.size(); c++) {
      Dialing d = campaigns.get(c);
      if (d.spec.members().contains(agent.id)
          && !d.waiting.isEmpty()
          && (best < 0 || d.waiting.peek().since() < campaigns.get(best).waiting.peek().since())) {
        best = c;
      }
    }
    return best < 0 ? Optional.empty() : Optional.of(best);
  }

  /** A ready agent with nobody waiting: kept for a short queue, else to a campaign by share. */
  private void allot(Agent agent) {
    for (int q = 0; q < queues.size(); q++) {
      Queue queue = queues.get(q);
      if (queue.spec.members().contains(agent.id) && serving(q) < queue.spec.reserve()) {
        agent.queue = q;
        return;
      }
    }
    List<AgentShares.Claim> claims = new ArrayList<>();
    for (Dialing d : campaigns) {
      if (d.spec.members().contains(agent.id)) {
        claims.add(
            new AgentShares.Claim(
                d.spec.name(),
                d.spec.priority(),
                d.spec.weight(),
                true,
                holding(campaigns.indexOf(d))));
      }
    }
    Optional<String> to = AgentShares.choose(claims);
    if (to.isPresent()) {
      for (int c = 0; c < campaigns.size(); c++) {
        if (campaigns.get(c).spec.name().equals(to.get())) {
          agent.campaign = c;
        }
      }
      return;
    }
    // A member of queues only: it waits for their callers even over their reserve.
    for (int q = 0; q < queues.size(); q++) {
      if (queues.get(q).spec.members().contains(agent.id)) {
        agent.queue = q;
        return;
      }
    }
  }

  private int holding(int campaign) {
    int n = 0;
    for (Agent a : agents) {
      if (a.campaign == campaign) {
        n++;
      }
    }
    return n;
  }

  private int serving(int queue) {
    int n = 0;
    for (Agent a : agents) {
      if (a.queue == queue) {
        n++;
      }
    }
    return n;
  }

  private void busy(Agent agent, long talkMs, long wrapMs) {
    if (agent.phase != Phase.READY) {
      throw new IllegalStateException("agent " + (agent.id + 1) + " would be in two calls");
    }
    agent.phase = Phase.BUSY;
    agent.busySince = now;
    agent.talkEnd = now + talkMs;
    events.add(new AgentFree(now + talkMs + wrapMs, agent.id, talkMs, wrapMs));
  }

  private long logNormal(Duration mean, double sigma) {
    double mu = Math.log((double) mean.toMillis()) - sigma * sigma / 2;
    return Math.max(1, (long) Math.exp(mu + sigma * random.nextGaussian()));
  }

  private void connectOutbound(Agent agent, int campaign) {
    Dialing d = campaigns.get(campaign);
    d.live++;
    d.spec.governor().record(DialOutcome.ANSWERED, instant());
    agent.campaign = campaign;
    agent.queue = -1;
    busy(agent, logNormal(d.spec.callees().talkMean(), d.spec.callees().talkSigma()), wrap(d));
  }

  private static long wrap(Dialing d) {
    return d.spec.callees().wrap().toMillis();
  }

  private void connectInbound(Agent agent, int queue, long waitMs) {
    Queue q = queues.get(queue);
    q.answered++;
    q.waitSumMs += waitMs;
    if (waitMs <= q.spec.answerWithin().toMillis()) {
      q.answeredWithin++;
    }
    agent.queue = queue;
    agent.campaign = -1;
    busy(agent, logNormal(q.spec.talkMean(), q.spec.talkSigma()), q.spec.wrap().toMillis());
  }

  private void agentFree(AgentFree f) {
    Agent agent = agents.get(f.agent());
    long work = f.talkMs() + f.wrapMs();
    workMs += work;
    if (agent.campaign >= 0) {
      Dialing d = campaigns.get(agent.campaign);
      d.workMs += work;
      d.spec
          .pacer()
          .agentFreed(Duration.ofMillis(f.talkMs()), Duration.ofMillis(f.wrapMs()), instant());
    } else if (agent.queue >= 0) {
      queues.get(agent.queue).workMs += work;
    }
    free(agent);
  }

  /** The ready agent that waited longest among those {@code eligible} accepts. */
  private Optional<Agent> longestReady(Predicate<Agent> eligible) {
    Agent best = null;
    for (Agent a : agents) {
      if (a.phase == Phase.READY
          && eligible.test(a)
          && (best == null || a.readySince < best.readySince)) {
        best = a;
      }
    }
    return Optional.ofNullable(best);
  }

  // --- outbound
  // -----------------------------------------------------------------------------------

  private void pace() {
    for (int c = 0; c < campaigns.size(); c++) {
      pace(c);
    }
  }

  private void pace(int campaign) {
    Dialing d = campaigns.get(campaign);
    int ready = 0;
    List<Pacer.Busy> busy = new ArrayList<>();
    for (Agent a : agents) {
      if (a.campaign != campaign) {
        continue;
      }
      if (a.phase == Phase.READY) {
        ready++;
      } else {
        busy.add(
            now < a.talkEnd
                ? Pacer.Busy.talking(Duration.ofMillis(now - a.busySince))
                : Pacer.Busy.wrapping(
                    Duration.ofMillis(a.talkEnd - a.busySince),
                    Duration.ofMillis(now - a.talkEnd)));
      }
    }
    int held = ready + busy.size();
    if (held == 0) {
      return;
    }
    AbandonGovernor.Decision decision =
        d.spec.governor().allow(d.spec.wantedRatio(), held, instant());
    List<Duration> ringing = new ArrayList<>(d.dialingSince.size());
    for (long since : d.dialingSince.values()) {
      ringing.add(Duration.ofMillis(now - since));
    }
    var state =
        new Pacer.State(
            instant(),
            ready,
            busy,
            d.dialingSince.size(),
            d.spec.channelLimit(),
            decision.allowedRatio(),
            ringing);
    int n =
        Pacers.withinUnattended(d.spec.pacer().callsToPlace(state), state, decision.unattended());
    for (int i = 0; i < n; i++) {
      place(campaign);
    }
    Optional<Duration> again = d.spec.pacer().askAgainIn();
    if (again.isPresent() && d.askAgainAt < 0) {
      d.askAgainAt = now + Math.max(1, again.get().toMillis());
      events.add(new AskAgain(d.askAgainAt, campaign));
    }
  }

  private void place(int campaign) {
    Dialing d = campaigns.get(campaign);
    Population callees = d.spec.callees();
    int call = nextId++;
    d.placed++;
    d.dialingSince.put(call, now);
    double draw = random.nextDouble();
    long ringMs =
        callees.ringMin().toMillis()
            + (long)
                (random.nextDouble()
                    * (callees.ringMax().toMillis() - callees.ringMin().toMillis()));
    if (draw < callees.liveRate()) {
      events.add(new Answer(now + ringMs, campaign, call, true, ringMs));
    } else if (draw < callees.liveRate() + callees.machineRate()) {
      events.add(new Answer(now + ringMs, campaign, call, false, ringMs));
    } else {
      events.add(new Released(now + callees.noAnswerAfter().toMillis(), campaign, call));
    }
  }

  private void answer(Answer a) {
    Dialing d = campaigns.get(a.campaign());
    d.dialingSince.remove(a.call());
    if (!a.live()) {
      d.spec.pacer().unanswered(instant());
      d.spec.governor().record(DialOutcome.MACHINE, instant());
      return;
    }
    d.spec.pacer().answered(Duration.ofMillis(a.ringMs()), instant());
    int campaign = a.campaign();
    Optional<Agent> agent = longestReady(x -> x.campaign == campaign);
    if (agent.isEmpty()) {
      // Borrowed from a campaign of the same or a lower priority, the lowest first: a callee is
      // not dropped while such a member waits, and a lower priority never takes a higher one's
      // agent (its pacer would learn to dial on agents that are not its own).
      agent =
          agents.stream()
              .filter(
                  x ->
                      x.phase == Phase.READY
                          && x.queue < 0
                          && d.spec.members().contains(x.id)
                          && (x.campaign < 0
                              || campaigns.get(x.campaign).spec.priority() <= d.spec.priority()))
              .min(
                  Comparator.comparingInt(
                          (Agent x) ->
                              x.campaign < 0
                                  ? Integer.MIN_VALUE
                                  : campaigns.get(x.campaign).spec.priority())
                      .thenComparingLong(x -> x.readySince));
    }
    if (agent.isPresent()) {
      connectOutbound(agent.get(), campaign);
    } else {
      d.waiting.add(new Waiting(a.call(), now));
      events.add(new GiveUp(now + d.spec.callees().abandonAfter().toMillis(), campaign, a.call()));
    }
  }

  private void giveUp(GiveUp g) {
    Dialing d = campaigns.get(g.campaign());
    if (d.waiting.removeIf(w -> w.id() == g.call())) {
      d.abandoned++;
      d.spec.pacer().abandoned(instant());
      d.spec.governor().record(DialOutcome.ABANDONED, instant());
    }
  }

  // --- inbound
  // ------------------------------------------------------------------------------------

  private void scheduleArrival(int queue) {
    double perMs = queues.get(queue).spec.callsPerHour() / 3_600_000.0;
    long gap = Math.max(1, (long) (-Math.log(1 - random.nextDouble()) / perMs));
    events.add(new Arrival(now + gap, queue));
  }

  private void arrival(Arrival a) {
    scheduleArrival(a.queue());
    Queue q = queues.get(a.queue());
    q.offered++;
    int queue = a.queue();
    Optional<Agent> agent = longestReady(x -> x.queue == queue);
    if (agent.isEmpty()) {
      // Inbound first: a ready member held by a campaign takes the caller, the lowest priority
      // first.
      agent =
          agents.stream()
              .filter(x -> x.phase == Phase.READY && q.spec.members().contains(x.id))
              .min(
                  Comparator.comparingInt(
                          (Agent x) ->
                              x.campaign < 0
                                  ? Integer.MIN_VALUE
                                  : campaigns.get(x.campaign).spec.priority())
                      .thenComparingLong(x -> x.readySince));
    }
    if (agent.isPresent()) {
      connectInbound(agent.get(), queue, 0);
      return;
    }
    int caller = nextId++;
    q.waiting.add(new Waiting(caller, now));
    long patience =
        Math.max(1, (long) (-Math.log(1 - random.nextDouble()) * q.spec.patience().toMillis()));
    events.add(new HangUp(now + patience, queue, caller));
  }

  private void hangUp(HangUp h) {
    Queue q = queues.get(h.queue());
    if (q.waiting.removeIf(w -> w.id() == h.caller())) {
      q.abandoned++;
    }
  }
}
