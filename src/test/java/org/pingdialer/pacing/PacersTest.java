package org.pingdialer.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacersTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  private static Pacer.State state(
      int ready, int busy, Duration busyFor, int dialing, double allowed) {
    return new Pacer.State(
        T, ready, Collections.nCopies(busy, Pacer.Busy.talking(busyFor)), dialing, 1000, allowed);
  }

  @Test
  void progressivePlacesOneCallPerReadyAgentWithinTheChannelLimit() {
    var pacer = new ProgressivePacer();
    assertThat(pacer.callsToPlace(state(3, 2, Duration.ZERO, 1, 3))).isEqualTo(2);
    assertThat(pacer.callsToPlace(new Pacer.State(T, 5, List.of(), 0, 2, 3))).isEqualTo(2);
  }

  @Test
  void predictiveDialsMoreWhenFewerCallsAreAnsweredAndNeverPastTheChannelLimit() {
    var likely = new PredictivePacer(0.02, 0.6, Duration.ofMinutes(2), Duration.ofSeconds(10));
    var unlikely = new PredictivePacer(0.02, 0.1, Duration.ofMinutes(2), Duration.ofSeconds(10));
    Pacer.State tenReady = state(10, 0, Duration.ZERO, 0, 3);
    int few = likely.callsToPlace(tenReady);
    int many = unlikely.callsToPlace(tenReady);
    assertThat(few).isGreaterThanOrEqualTo(10);
    assertThat(many).isGreaterThan(few);
    assertThat(many).isLessThanOrEqualTo(30); // the allowed ratio: 3 calls per agent
    assertThat(unlikely.callsToPlace(new Pacer.State(T, 10, List.of(), 0, 12, 3))).isEqualTo(12);
  }

  @Test
  void predictiveCountsBusyAgentsAboutToBeFree() {
    var pacer = new PredictivePacer(0.02, 0.2, Duration.ofMinutes(2), Duration.ofSeconds(10));
    for (int i = 0; i < 100; i++) {
      pacer.agentFreed(Duration.ofMinutes(2), Duration.ofSeconds(1), T); // 120 s talk, 1 s wrap
      pacer.answered(Duration.ofSeconds(8 + i % 5), T); // and rang 8-12 s before an answer
    }
    int freshCalls = pacer.callsToPlace(state(0, 20, Duration.ofSeconds(5), 0, 3));
    int endingCalls = pacer.callsToPlace(state(0, 20, Duration.ofSeconds(115), 0, 3));
    assertThat(endingCalls).isGreaterThan(freshCalls);
  }

  @Test
  void predictiveFallsBackToProgressiveWhenTheGovernorSaysSo() {
    var pacer = new PredictivePacer(0.02, 0.1, Duration.ofMinutes(2), Duration.ofSeconds(10));
    assertThat(pacer.callsToPlace(state(4, 6, Duration.ofSeconds(100), 1, 1.0))).isEqualTo(3);
  }

  @Test
  void predictiveLearnsTheLiveRate() {
    var pacer = new PredictivePacer(0.02, 0.5, Duration.ofMinutes(2), Duration.ofSeconds(10));
    int before = pacer.callsToPlace(state(10, 0, Duration.ZERO, 0, 3));
    for (int i = 0; i < 300; i++) {
      pacer.unanswered(T);
    }
    assertThat(pacer.callsToPlace(state(10, 0, Duration.ZERO, 0, 3))).isGreaterThan(before);
  }

  @Test
  void vicidialRaisesItsLevelWhileAgentsWaitAndHalvesItOverTheDropLimit() {
    var pacer = new VicidialPacer(0.03);
    assertThat(pacer.callsToPlace(state(10, 0, Duration.ZERO, 0, 3))).isGreaterThan(10);
    double raised = pacer.level();
    assertThat(raised).isGreaterThan(1.0);
    // Within 15 s the level stays.
    assertThat(pacer.level()).isEqualTo(raised);
    for (int i = 0; i < 100; i++) {
      pacer.answered(Duration.ofSeconds(5), T);
    }
    for (int i = 0; i < 4; i++) {
      pacer.abandoned(T);
    }
    pacer.callsToPlace(
        new Pacer.State(T.plusSeconds(16), 10, List.of(), 0, 1000, 3)); // 4 % drops: halved
    assertThat(pacer.level()).isEqualTo(Math.max(1.0, raised / 2));
  }

  /**
   * A pacer that has seen 100 calls of 120 s talk and 10 s wrap-up, rung 8-12 s before a person
   * answered.
   */
  private static PredictivePacer learned(double liveRate) {
    return learned(liveRate, Duration.ofMinutes(2), Duration.ofSeconds(10));
  }

  private static PredictivePacer learned(double liveRate, Duration talk, Duration wrap) {
    var pacer = new PredictivePacer(0.02, liveRate, Duration.ofMinutes(2), Duration.ofSeconds(10));
    for (int i = 0; i < 100; i++) {
      pacer.agentFreed(talk, wrap, T);
      pacer.answered(Duration.ofSeconds(8 + i % 5), T);
    }
    return pacer;
  }

  @Test
  void predictivePlacesNothingWhenNoAgentWillBeFreeInTime() {
    var pacer = learned(0.2);
    // 20 agents 10 s into 120 s calls: none will be free while a new call rings.
    assertThat(pacer.callsToPlace(state(0, 20, Duration.ofSeconds(10), 0, 3))).isZero();
    // Nobody logged in: nothing, whatever the governor allows.
    assertThat(pacer.callsToPlace(new Pacer.State(T, 0, List.of(), 0, 100, 3))).isZero();
  }

  @Test
  void callsThatRangPastTheLongestRingNoLongerCountAsComingAnswers() {
    var pacer = learned(0.2);
    // Ten agents whose calls just ended: back after a 10 s wrap-up.
    List<Pacer.Busy> busy =
        Collections.nCopies(10, Pacer.Busy.wrapping(Duration.ofMinutes(2), Duration.ZERO));
    var fresh = new Pacer.State(T, 2, busy, 10, 1000, 3, Collections.nCopies(10, Duration.ZERO));
    var stale =
        new Pacer.State(T, 2, busy, 10, 1000, 3, Collections.nCopies(10, Duration.ofSeconds(16)));
    assertThat(pacer.callsToPlace(stale)).isGreaterThan(pacer.callsToPlace(fresh));
    // Without ages the calls count as just placed.
    assertThat(pacer.callsToPlace(new Pacer.State(T, 2, busy, 10, 1000, 3)))
        .isEqualTo(pacer.callsToPlace(fresh));
  }

  @Test
  void predictiveDialsLessAfterAbandonsThanItsModelAlone() {
    var calm = learned(0.2);
    var burnt = learned(0.2);
    for (int i = 0; i < 10; i++) {
      burnt.abandoned(T);
    }
    Pacer.State state =
        new Pacer.State(
            T,
            2,
            Collections.nCopies(
                20, Pacer.Busy.wrapping(Duration.ofMinutes(2), Duration.ofSeconds(5))),
            0,
            1000,
            3);
    assertThat(burnt.callsToPlace(state)).isLessThan(calm.callsToPlace(state));
  }

  private static Pacer.State busyOnly(Pacer.Busy agent, int agents) {
    return new Pacer.State(T, 0, Collections.nCopies(agents, agent), 0, 1000, 3);
  }

  @Test
  void agentsInWrapUpAreExpectedBackSoonerThanAgentsStillTalking() {
    var pacer = learned(0.2);
    // The same 60 s since the agents took their calls; one team still talks (calls last 120 s),
    // the other's calls ended after 52 s and they are 8 s into a 10 s wrap-up.
    int talking = pacer.callsToPlace(busyOnly(Pacer.Busy.talking(Duration.ofSeconds(60)), 20));
    int wrapping =
        pacer.callsToPlace(
            busyOnly(Pacer.Busy.wrapping(Duration.ofSeconds(52), Duration.ofSeconds(8)), 20));
    assertThat(talking).isZero();
    assertThat(wrapping).isGreaterThan(talking);
    // An agent near the end of its wrap-up against one who just took its call.
    int justTalking = pacer.callsToPlace(busyOnly(Pacer.Busy.talking(Duration.ofSeconds(1)), 5));
    int nearlyDone =
        pacer.callsToPlace(
            busyOnly(Pacer.Busy.wrapping(Duration.ofSeconds(130), Duration.ofSeconds(9)), 5));
    assertThat(nearlyDone).isGreaterThan(justTalking);
    // A wrap-up that has run past every wrap-up seen (the agent most likely paused after its call)
    // counts far less than one going on.
    int overdue =
        pacer.callsToPlace(
            busyOnly(Pacer.Busy.wrapping(Duration.ofSeconds(120), Duration.ofSeconds(30)), 20));
    assertThat(overdue).isLessThan(wrapping);
  }

  @Test
  void predictiveLearnsWrapUpTimesApartFromTalkTimes() {
    var quickWrap = learned(0.2, Duration.ofMinutes(2), Duration.ofSeconds(10));
    var slowWrap = learned(0.2, Duration.ofMinutes(2), Duration.ofMinutes(1));
    // Agents 5 s into their wrap-up: back in 5 s where wrap-ups take 10 s, in 55 s where 60 s.
    Pacer.State wrapping =
        busyOnly(Pacer.Busy.wrapping(Duration.ofMinutes(2), Duration.ofSeconds(5)), 10);
    assertThat(quickWrap.callsToPlace(wrapping)).isPositive();
    assertThat(slowWrap.callsToPlace(wrapping)).isZero();
  }

  @Test
  void predictiveLearnsTalkTimesAndAddsTheWrapUpToThem() {
    var longCalls = learned(0.2, Duration.ofMinutes(2), Duration.ofSeconds(2));
    var shortCalls = learned(0.2, Duration.ofSeconds(10), Duration.ofSeconds(2));
    var shortCallsLongWrap = learned(0.2, Duration.ofSeconds(10), Duration.ofMinutes(1));
    // Agents 8 s into their calls: the short calls end in 2 s, and 2 s of wrap-up later they are
    // back; with a minute's wrap-up after them they are not back while a new call rings.
    Pacer.State talking = busyOnly(Pacer.Busy.talking(Duration.ofSeconds(8)), 10);
    assertThat(longCalls.callsToPlace(talking)).isZero();
    assertThat(shortCalls.callsToPlace(talking)).isPositive();
    assertThat(shortCallsLongWrap.callsToPlace(talking)).isZero();
  }

  @Test
  void aBusyAgentsTimesCannotBeNegative() {
    assertThatThrownBy(() -> Pacer.Busy.talking(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
    assertThat(Pacer.Busy.wrapping(Duration.ofSeconds(50), Duration.ofSeconds(3)).busyFor())
        .isEqualTo(Duration.ofSeconds(53));
  }

  @Test
  void moreRingAgesThanCallsIsAMistake() {
    assertThatThrownBy(
            () -> new Pacer.State(T, 1, List.of(), 0, 10, 3, List.of(Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more ring ages");
  }

  @Test
  void predictiveAsksToDecideAgainWhileAgentsAreBusyAndTheOthersNever() {
    var pacer = learned(0.2);
    pacer.callsToPlace(state(0, 5, Duration.ofSeconds(60), 0, 3));
    assertThat(pacer.askAgainIn()).contains(Duration.ofSeconds(1));
    pacer.callsToPlace(new Pacer.State(T, 0, List.of(), 0, 100, 3)); // nobody logged in
    assertThat(pacer.askAgainIn()).isEmpty();
    var progressive = new ProgressivePacer();
    progressive.callsToPlace(state(0, 5, Duration.ofSeconds(60), 0, 3));
    assertThat(progressive.askAgainIn()).isEmpty();
  }
}
