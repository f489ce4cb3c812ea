package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AriPressure;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.pacing.Pacer;
import org.pingdialer.pacing.Pacers;
import org.pingdialer.pacing.PowerPacer;
import org.pingdialer.pacing.ProgressivePacer;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.ManualScheduler;

/**
 * The campaign loop's pacing and abandon decisions, on the floor's state with the time passed in:
 * what the pacer sees, what the channel limit, ARI's pressure and the abandon governor leave of its
 * answer. No PBX, no threads, no waits.
 */
class CampaignFloorTest {
  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
  private static final double NO_LIMIT = Double.MAX_VALUE;

  /** No bound on calls ringing beyond the ready agents (an ungoverned campaign). */
  private static final int UNBOUNDED = Integer.MAX_VALUE;

  private final ManualScheduler time = new ManualScheduler(T);

  /** The agents the floor reads, on the test's thread (the scheduler's); long wrap-ups. */
  private final AgentPool agents = new AgentPool(time, time.clock(), Duration.ofMinutes(10));

  private CampaignFloor floorWith(OptionalInt channelLimit, String... names) {
    for (String agent : names) {
      agents.seat(seat(agent));
    }
    return new CampaignFloor("test", channelLimit, agents);
  }

  private static AgentSeat seat(String agent) {
    return new AgentSeat(agent, "phone-" + agent, "pd-agent-" + agent);
  }

  private static AttemptKey call(long n) {
    return new AttemptKey("floor", n);
  }

  /**
   * On a shared pool each campaign paces on the agents given to it, not on every seated agent:
   * weights 3 and 1 on four agents give three and one; a queue that keeps one agent in reserve
   * leaves the two campaigns three between them.
   */
  @Test
  void eachCampaignOfASharedPoolPacesOnTheAgentsItHolds() {
    agents.join(
        new AgentPool.Membership("big", new Campaign.Share(1, 3, Set.of()), Duration.ofSeconds(5)));
    agents.join(
        new AgentPool.Membership(
            "small", new Campaign.Share(1, 1, Set.of()), Duration.ofSeconds(5)));
    agents.open("big", true);
    agents.open("small", true);
    for (String agent : new String[] {"a", "b", "c", "d"}) {
      agents.seat(seat(agent));
    }
    var big = new CampaignFloor("big", OptionalInt.empty(), agents);
    var small = new CampaignFloor("small", OptionalInt.empty(), agents);

    assertThat(big.pacerState(T, NO_LIMIT).readyAgents()).isEqualTo(3);
    assertThat(small.pacerState(T, NO_LIMIT).readyAgents()).isEqualTo(1);
    var progressive = new ProgressivePacer();
    assertThat(big.pace(progressive, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T).toPlace())
        .isEqualTo(3);
    assertThat(small.pace(progressive, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T).toPlace())
        .isEqualTo(1);

    agents.join(
        new AgentPool.Membership(
            "help", new Campaign.Share(100, 1, Set.of()), Duration.ofSeconds(5), 1));
    int bigHolds = big.pacerState(T, NO_LIMIT).readyAgents();
    int smallHolds = small.pacerState(T, NO_LIMIT).readyAgents();
    assertThat(bigHolds + smallHolds).isEqualTo(3);
    assertThat(bigHolds).isGreaterThanOrEqualTo(2);
    assertThat(smallHolds).isGreaterThanOrEqualTo(1);
  }

  @Test
  void readyAgentsAreTheSeatedOnesNeitherPausedNorReserved() {
    var floor = floorWith(OptionalInt.empty(), "a", "b", "c", "d");
    agents.pause("b", AgentState.PauseReason.byAgent("break"));
    assertThat(agents.takeForPlacing("c")).contains(seat("c"));

    assertThat(floor.readyAgents()).containsExactlyInAnyOrder("a", "d");
    agents.resume("b");
    agents.unreserve("c", "not placed");
    agents.leave("d", "phone hung up");
    assertThat(floor.readyAgents()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(floor.seated()).isEqualTo(3);
  }

  @Test
  void progressivePlacesOneCallPerReadyAgentLessTheCallsDialing() {
    var floor = floorWith(OptionalInt.empty(), "a", "b", "c");
    var pacer = new ProgressivePacer();

    assertThat(floor.pace(pacer, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T).toPlace()).isEqualTo(3);
    floor.placing(false); // handed to the engine, no key yet: counts already
    floor.placed(call(1), false, T);
    floor.placing(false);
    assertThat(floor.dialing()).isEqualTo(2);
    assertThat(floor.pace(pacer, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T).toPlace()).isEqualTo(1);
    // Answered and an agent reserved for it: no longer dialing, and that agent is not ready.
    floor.answeredFor(call(1));
    agents.reserve(seat("a"), call(1));
    assertThat(floor.pace(pacer, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T).toPlace()).isEqualTo(1);
    floor.notPlaced(false);
    assertThat(floor.pace(pacer, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T).toPlace()).isEqualTo(2);
  }

  @Test
  void powerPlacesItsRatioPerReadyAgentUntilTheGovernorSeesTooManyAbandons() {
    var floor = floorWith(OptionalInt.empty(), "a", "b", "c", "d");
    var governor = new AbandonGovernor(new AbandonGovernor.Limits(0.02, 0.03, 0));
    var power = new PowerPacer(2.5);
    double wanted = Pacers.wantedRatio(new Campaign.Pacing.Power(2.5, Duration.ofSeconds(20)));

    // Too few agents for the full ratio (the governor's small-team rule), no abandons yet in a day
    // of 40 answers (enough that one abandon would stay under the cap).
    for (int i = 0; i < 40; i++) {
      governor.record(DialOutcome.ANSWERED, T.minusSeconds(3600));
    }
    AbandonGovernor.Decision early = governor.allow(wanted, floor.seated(), T);
    double allowed = early.allowedRatio();
    assertThat(allowed).isLessThan(2.5).isGreaterThan(1);
    assertThat(floor.pace(power, allowed, UNBOUNDED, AriPressure.NONE, T).toPlace())
        .isEqualTo((int) Math.ceil(4 * allowed));
    // But one drop is all that 40 answers take under the cap: one call beyond the four agents.
    assertThat(early.unattended()).isEqualTo(1);
    assertThat(floor.pace(power, allowed, early.unattended(), AriPressure.NONE, T).toPlace())
        .isEqualTo(5);

    // 3 abandons in 50 answered calls: 6 %, over the 3 % cap. One call per agent, no more.
    for (int i = 0; i < 47; i++) {
      governor.record(DialOutcome.ANSWERED, T.minusSeconds(600 + i));
    }
    for (int i = 0; i < 3; i++) {
      governor.record(DialOutcome.ABANDONED, T.minusSeconds(300 + i));
    }
    AbandonGovernor.Decision capped = governor.allow(wanted, floor.seated(), T);
    assertThat(capped.why()).isEqualTo("at the cap: progressive");
    assertThat(
            floor
                .pace(power, capped.allowedRatio(), capped.unattended(), AriPressure.NONE, T)
                .toPlace())
        .isEqualTo(4);
    // A day later the abandons are out of the 24 h window, not the 30 days: still over the cap.
    Instant nextDay = T.plus(Duration.ofHours(25));
    assertThat(governor.allow(wanted, floor.seated(), nextDay).allowedRatio()).isEqualTo(1);
  }

  @Test
  void aPredictivePacerUnderTheGovernorsCapPlacesNoMoreThanOneCallPerReadyAgent()
      throws CampaignFileException {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: predictive, max_channels: 30, max_abandon_rate: 0.03, ring_timeout: 20s}
            """);
    var floor = floorWith(campaign.pacing().channelLimit(), "a", "b", "c", "d", "e");
    Pacer pacer = Pacers.forCampaign(campaign);

    // A fresh pacer (20 % live answers) under no limit dials ahead of its five ready agents.
    int free = floor.pace(pacer, 3.0, UNBOUNDED, AriPressure.NONE, T).toPlace();
    assertThat(free).isGreaterThan(5);
    // The governor at its cap allows one call per agent: progressive.
    assertThat(floor.pace(pacer, 1.0, UNBOUNDED, AriPressure.NONE, T).toPlace()).isEqualTo(5);
  }

  @Test
  void maxChannelsCountsEveryCallUpAndBeingPlacedWhateverThePacerAsks() {
    var floor = floorWith(OptionalInt.of(4), "a", "b", "c");
    var power = new PowerPacer(3.0);

    // 3 agents × 3 = 9 wanted, 4 channels.
    CampaignFloor.Paced paced = floor.pace(power, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T);
    assertThat(paced.wanted()).isEqualTo(4); // the pacer sees the channel limit too
    assertThat(paced.toPlace()).isEqualTo(4);

    // A callback placed with its agent reserved takes a channel from the paced calls.
    assertThat(agents.takeForPlacing("a")).isPresent();
    floor.placing(true);
    floor.placed(call(1), true, T);
    assertThat(floor.channelsLeft()).isEqualTo(3);
    assertThat(floor.pacerState(T, NO_LIMIT).channelLimit()).isEqualTo(3);
    assertThat(floor.pace(power, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T).toPlace()).isEqualTo(3);

    // Three calls dialing: none left, whatever the pacer says.
    for (long n = 2; n <= 4; n++) {
      floor.placing(false);
      floor.placed(call(n), false, T);
    }
    assertThat(floor.channelsLeft()).isZero();
    assertThat(floor.pace(power, NO_LIMIT, UNBOUNDED, AriPressure.NONE, T).toPlace()).isZero();
    floor.ended(call(2));
    assertThat(floor.channelsLeft()).isEqualTo(1);
  }

  @Test
  void whileAriHoldsNothingIsPlacedAndWhileItIsSlowOneCallAtATime() {
    var floor = floorWith(OptionalInt.empty(), "a", "b", "c");
    var pacer = new ProgressivePacer();
    AriPressure holding = AriPressure.NONE.troubled(Duration.ofSeconds(5), T);
    assertThat(holding.holding(T)).isPresent();

    assertThat(floor.pace(pacer, NO_LIMIT, UNBOUNDED, holding, T))
        .isEqualTo(new CampaignFloor.Paced(0, 0));

    AriPressure slow = new AriPressure(0, 2_000, null);
    assertThat(slow.slow()).isTrue();
    CampaignFloor.Paced paced = floor.pace(pacer, NO_LIMIT, UNBOUNDED, slow, T);
    assertThat(paced.wanted()).isEqualTo(3);
    assertThat(paced.toPlace()).isEqualTo(AriPressure.PLACING_WHILE_SLOW);
    // A create Asterisk has not answered yet: nothing more until it has.
    floor.placing(false);
    floor.placed(call(1), false, T);
    assertThat(floor.creating(call(1), true)).isFalse();
    assertThat(floor.pace(pacer, NO_LIMIT, UNBOUNDED, slow, T).toPlace()).isZero();
    // Made: a place came free, which the loop pumps for at once (true only the first time).
    assertThat(floor.creating(call(1), false)).isTrue();
    assertThat(floor.creating(call(1), false)).isFalse();
    assertThat(floor.pace(pacer, NO_LIMIT, UNBOUNDED, slow, T).toPlace()).isEqualTo(1);
  }

  /** Takes the agent through a call's answer and connect at the scheduler's time now. */
  private void connect(String agent, long call) {
    agents.reserve(seat(agent), call(call));
    agents.connected(seat(agent), call(call));
  }

  @Test
  void thePacerSeesBusyAgentsByPhaseAndTheAgeOfEveryCallDialing() {
    var floor = floorWith(OptionalInt.empty(), "a", "b", "c");
    time.advance(Duration.ofSeconds(10));
    connect("b", 10); // at T+10
    time.advance(Duration.ofSeconds(60));
    agents.released(seat("b"), call(10)); // talked 60 s, wraps up from T+70
    time.advance(Duration.ofSeconds(25));
    connect("a", 11); // at T+95
    floor.placing(false);
    floor.placed(call(1), false, T.plusSeconds(88));
    floor.placing(false); // no key yet: counted, no age

    Pacer.State state = floor.pacerState(T.plusSeconds(100), 2.0);

    assertThat(state.readyAgents()).isEqualTo(1);
    assertThat(state.busy())
        .containsExactlyInAnyOrder(
            Pacer.Busy.talking(Duration.ofSeconds(5)),
            Pacer.Busy.wrapping(Duration.ofSeconds(60), Duration.ofSeconds(30)));
    assertThat(state.callsDialing()).isEqualTo(2);
    assertThat(state.dialingFor()).containsExactly(Duration.ofSeconds(12));
    assertThat(state.allowedRatio()).isEqualTo(2.0);
    assertThat(floor.talking()).isEqualTo(1);
    assertThat(floor.wrappingUp()).isEqualTo(1);
  }

  @Test
  void anAdoptedCallsAgentIsSeatedBusyAndNotReadyAndItsCallTakesAChannel() {
    var floor = new CampaignFloor("test", OptionalInt.of(2), agents);
    agents.adopt(seat("a"), call(9));
    floor.adopted(call(9));

    assertThat(floor.seated()).isEqualTo(1);
    assertThat(floor.talking()).isEqualTo(1);
    assertThat(floor.readyAgents()).isEmpty();
    assertThat(floor.channelsLeft()).isEqualTo(1);
    assertThat(floor.dialing()).isZero();
  }

  @Test
  void aClockThatSteppedBackGivesZeroAgesNotNegativeOnes() {
    var floor = floorWith(OptionalInt.empty(), "a");
    connect("a", 5);
    floor.placing(false);
    floor.placed(call(1), false, T);

    Pacer.State state = floor.pacerState(T.minusSeconds(3), NO_LIMIT);

    assertThat(state.busy()).containsExactly(Pacer.Busy.talking(Duration.ZERO));
    assertThat(state.dialingFor()).containsExactly(Duration.ZERO);
  }
}
