package org.pingdialer.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.compliance.AbandonGovernor;

/**
 * A discrete-event simulation of one campaign in virtual time: agents, calls placed by a {@link
 * Pacer} (the same classes the dialer uses), callees drawn from a {@link Population}, and the same
 * {@link AbandonGovernor}. Seeded: the same inputs give the same result.
 */
public final class Simulation {
  private static final Instant EPOCH = Instant.parse("2026-01-05T08:00:00Z");

  /** What one run measured. */
  public record Result(
      String mode,
      int agents,
      double hours,
      double agentMinutesPerHour,
      double occupancy,
      double abandonRate,
      double callsPerHour,
      long liveAnswers,
      long abandoned,
      long waitP50Ms,
      long waitP90Ms,
      long waitP99Ms,
      Idle idle) {}

  /**
   * Where agents idled (measured hours only), to see what limits a pacer: an idle gap runs from an
   * agent's free (with no answered callee waiting) to its next connected call.
   *
   * @param gaps idle gaps
   * @param gapP50Ms median idle gap
   * @param gapP90Ms 90th percentile idle gap
   * @param gapMeanMs mean idle gap
   * @param ringingAtFree mean calls in flight at the moment an agent freed to no waiting callee
   * @param freesWithNothingRinging share of such frees with no call in flight at all
   * @param answersFindingAllBusy answers by a person that found every agent busy (they waited, and
   *     either reached an agent within the deadline or were abandoned)
   */
  public record Idle(
      long gaps,
      long gapP50Ms,
      long gapP90Ms,
      long gapMeanMs,
      double ringingAtFree,
      double freesWithNothingRinging,
      long answersFindingAllBusy) {}

  private sealed interface Event permits Answer, Released, GiveUp, AgentFree, AskAgain {
    long at();
  }

  private record Answer(long at, int call, boolean live, long ringMs) implements Event {}

  private record Released(long at, int call) implements Event {}

  private record GiveUp(long at, int call) implements Event {}

  private record AgentFree(long at, int agent, long talkMs, long wrapMs) implements Event {}

  /** The pacer asked to decide again at this time if nothing happened before. */
  private record AskAgain(long at) implements Event {}

  private final Population population;
  private final Pacer pacer;
  private final AbandonGovernor governor;
  private final int agents;
  private final int channelLimit;
  private final SplittableRandom random;

  private final PriorityQueue<Event> events =
      new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
  private final long[] busySince;

  /**
   * When each busy agent's call ends and its wrap-up starts. Not an event of its own: the pacer
   * sees the phase when it next decides (it asks again within a second while agents are busy), and
   * the baselines' runs stay as they were.
   */
  private final long[] talkEndsAt;

  private final Deque<Integer> ready = new ArrayDeque<>();
  private final Deque<long[]> waiting = new ArrayDeque<>(); // {call, answeredAt}
  private int dialing;

  /** When the pacer's pending request to decide again falls due; -1 for none. */
  private long askAgainAt = -1;

  /** When each call in flight was placed, by call number. */
  private final Map<Integer, Long> dialingSince = new HashMap<>();

  private int nextCall;
  private long now;
  private long placed;
  private long live;
  private long abandoned;
  private long workMs;
  private final List<Long> waits = new ArrayList<>();

  /** When each agent last became ready with nobody waiting; -1 while busy. */
  private final long[] idleSince;

  private final List<Long> idleGaps = new ArrayList<>();
  private long freesToReady;
  private long ringingAtFrees;
  private long freesWithNothingRinging;
  private long answersFindingAllBusy;

  public Simulation(
      Population population,
      Pacer pacer,
      AbandonGovernor governor,
      int agents,
      int channelLimit,
      long seed) {
    this.population = population;
    this.pacer = pacer;
    this.governor = governor;
    this.agents = agents;
    this.channelLimit = channelLimit;
    this.random = new SplittableRandom(seed);
    this.busySince = new long[agents];
    Arrays.fill(busySince, -1);
    this.talkEndsAt = new long[agents];
    this.idleSince = new long[agents];
    for (int i = 0; i < agents; i++) {
      ready.add(i);
    }
  }

  /** Runs for {@code length} of virtual time. */
  public Result run(String mode, Duration length) {
    return run(mode, Duration.ZERO, length);
  }

  /**
   * Runs for {@code warmUp} and then {@code length} of virtual time, measuring only the second
   * part: the pacer has learned and the governor's windows hold earlier calls, as on any day but a
   * campaign's first (a rolling 24 h window that starts empty makes the first abandons weigh
   * heavy).
   */
  public Result run(String mode, Duration warmUp, Duration length) {
    long start = warmUp.toMillis();
    long end = start + length.toMillis();
    boolean measuring = start == 0;
    pace();
    while (!events.isEmpty() && events.peek().at() <= end) {
      if (!measuring && events.peek().at() > start) {
        measuring = true;
        placed = 0;
        live = 0;
        abandoned = 0;
        workMs = 0;
        waits.clear();
        idleGaps.clear();
        freesToReady = 0;
        ringingAtFrees = 0;
        freesWithNothingRinging = 0;
        answersFindingAllBusy = 0;
      }
      Event event = events.poll();
      now = event.at();
      switch (event) {
        case Answer a -> answer(a);
        case Released r -> {
          dialing--;
          dialingSince.remove(r.call());
          pacer.unanswered(instant());
        }
        case GiveUp g -> giveUp(g);
        case AgentFree f -> agentFree(f);
        case AskAgain ask -> askAgainAt = -1;
      }
      pace();
    }
    double hours = length.toMillis() / 3_600_000.0;
    long[] sorted = waits.stream().mapToLong(Long::longValue).sorted().toArray();
    long liveAnswers = live + abandoned;
    return new Result(
        mode,
        agents,
        hours,
        workMs / 60_000.0 / (agents * hours),
        workMs / (agents * (double) length.toMillis()),
        liveAnswers == 0 ? 0 : (double) abandoned / liveAnswers,
        placed / hours,
        liveAnswers,
        abandoned,
        percentile(sorted, 0.50),
        percentile(sorted, 0.90),
        percentile(sorted, 0.99),
        idle());
  }

  private Idle idle() {
    long[] gaps = idleGaps.stream().mapToLong(Long::longValue).sorted().toArray();
    long sum = 0;
    for (long gap : gaps) {
      sum += gap;
    }
    return new Idle(
        gaps.length,
        percentile(gaps, 0.50),
        percentile(gaps, 0.90),
        gaps.length == 0 ? 0 : sum / gaps.length,
        freesToReady == 0 ? 0 : ringingAtFrees / (double) freesToReady,
        freesToReady == 0 ? 0 : freesWithNothingRinging / (double) freesToReady,
        answersFindingAllBusy);
  }

  private static long percentile(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
  }

  private Instant instant() {
    return EPOCH.plusMillis(now);
  }

  private void pace() {
    List<Pacer.Busy> busy = new ArrayList<>();
    for (int agent = 0; agent < agents; agent++) {
      long since = busySince[agent];
      if (since < 0) {
        continue;
      }
      long talkEnd = talkEndsAt[agent];
      busy.add(
          now < talkEnd
              ? Pacer.Busy.talking(Duration.ofMillis(now - since))
              : Pacer.Busy.wrapping(
                  Duration.ofMillis(talkEnd - since), Duration.ofMillis(now - talkEnd)));
    }
    double wanted = 3.0; // the most any pacer asks for (VICIdial's clamp)
    AbandonGovernor.Decision decision = governor.allow(wanted, agents, instant());

    List<Duration> ringing = new ArrayList<>(dialingSince.size());
    for (long since : dialingSince.values()) {
      ringing.add(Duration.ofMillis(now - since));
    }
    var state =
        new Pacer.State(
            instant(), ready.size(), busy, dialing, channelLimit, decision.allowedRatio(), ringing);
    int n = Pacers.withinUnattended(pacer.callsToPlace(state), state, decision.unattended());
    for (int i = 0; i < n; i++) {
      place();
    }
    // One pending request at a time: an earlier event has the pacer decide anyway.
    Optional<Duration> again = pacer.askAgainIn();
    if (again.isPresent() && askAgainAt < 0) {
      askAgainAt = now + Math.max(1, again.get().toMillis());
      events.add(new AskAgain(askAgainAt));
    }
  }

  private void place() {
    int call = nextCall++;
    placed++;
    dialing++;
    dialingSince.put(call, now);
    double draw = random.nextDouble();
    long ringMs =
        population.ringMin().toMillis()
            + (long)
                (random.nextDouble()
                    * (population.ringMax().toMillis() - population.ringMin().toMillis()));
    if (draw < population.liveRate()) {
      events.add(new Answer(now + ringMs, call, true, ringMs));
    } else if (draw < population.liveRate() + population.machineRate()) {
      events.add(new Answer(now + ringMs, call, false, ringMs));
    } else {
      events.add(new Released(now + population.noAnswerAfter().toMillis(), call));
    }
  }

  private void answer(Answer a) {
    dialing--;
    dialingSince.remove(a.call());
    if (!a.live()) {
      pacer.unanswered(instant());
      governor.record(DialOutcome.MACHINE, instant());
      return; // a machine: released 3 s after its answer; it needs no agent
    }
    pacer.answered(Duration.ofMillis(a.ringMs()), instant());
    if (!ready.isEmpty()) {
      int agent = ready.poll();
      idleGaps.add(now - idleSince[agent]); // from its free (or the start) to this call
      connect(agent, 0);
    } else {
      answersFindingAllBusy++;
      waiting.add(new long[] {a.call(), now});
      events.add(new GiveUp(now + population.abandonAfter().toMillis(), a.call()));
    }
  }

  private void connect(int agent, long waitMs) {
    live++;
    waits.add(waitMs);
    governor.record(DialOutcome.ANSWERED, instant());
    double mu =
        Math.log((double) population.talkMean().toMillis())
            - population.talkSigma() * population.talkSigma() / 2;
    long talk = (long) Math.exp(mu + population.talkSigma() * random.nextGaussian());
    long wrap = population.wrap().toMillis();
    busySince[agent] = now;
    talkEndsAt[agent] = now + talk;
    events.add(new AgentFree(now + talk + wrap, agent, talk, wrap));
  }

  private void giveUp(GiveUp g) {
    boolean stillWaiting = waiting.removeIf(w -> w[0] == g.call());
    if (stillWaiting) {
      abandoned++;
      pacer.abandoned(instant());
      governor.record(DialOutcome.ABANDONED, instant());
    }
  }

  private void agentFree(AgentFree f) {
    workMs += f.talkMs() + f.wrapMs();
    busySince[f.agent()] = -1;
    pacer.agentFreed(Duration.ofMillis(f.talkMs()), Duration.ofMillis(f.wrapMs()), instant());
    long[] oldest = waiting.poll();
    if (oldest != null) {
      connect(f.agent(), now - oldest[1]);
    } else {
      idleSince[f.agent()] = now;
      freesToReady++;
      ringingAtFrees += dialing;
      if (dialing == 0) {
        freesWithNothingRinging++;
      }
      ready.add(f.agent());
    }
  }
}
