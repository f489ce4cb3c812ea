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
    return new Pacer.State(T, ready, Collections.nCopies(busy, busyFor), dialing, 1000, allowed);
  }

  @Test
  void progressivePlacesOneCallPerReadyAgentWithinTheChannelLimit() {
    var pacer = new ProgressivePacer();
    assertThat(pacer.callsToPlace(state(3, 2, Duration.ZERO, 1, 3))).isEqualTo(2);
    assertThat(pacer.callsToPlace(new Pacer.State(T, 5, List.of(), 0, 2, 3))).isEqualTo(2);
  }

  @Test
  void predictiveDialsMoreWhenFewerCallsAreAnsweredAndNeverPastTheChannelLimit() {
    var likely = new PredictivePacer(0.02, 0.6, Duration.ofSeconds(130));
    var unlikely = new PredictivePacer(0.02, 0.1, Duration.ofSeconds(130));
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
    var pacer = new PredictivePacer(0.02, 0.2, Duration.ofSeconds(130));
    for (int i = 0; i < 100; i++) {
      pacer.agentFreed(Duration.ofSeconds(130), T); // every call so far took 130 s
      pacer.answered(Duration.ofSeconds(8 + i % 5), T); // and rang 8-12 s before an answer
    }
    int freshCalls = pacer.callsToPlace(state(0, 20, Duration.ofSeconds(5), 0, 3));
    int endingCalls = pacer.callsToPlace(state(0, 20, Duration.ofSeconds(125), 0, 3));
    assertThat(endingCalls).isGreaterThan(freshCalls);
  }

  @Test
  void predictiveFallsBackToProgressiveWhenTheGovernorSaysSo() {
    var pacer = new PredictivePacer(0.02, 0.1, Duration.ofSeconds(130));
    assertThat(pacer.callsToPlace(state(4, 6, Duration.ofSeconds(100), 1, 1.0))).isEqualTo(3);
  }

  @Test
  void predictiveLearnsTheLiveRate() {
    var pacer = new PredictivePacer(0.02, 0.5, Duration.ofSeconds(130));
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

  /** A pacer that has seen 100 calls of 130 s, rung 8-12 s before a person answered. */
  private static PredictivePacer learned(double liveRate) {
    var pacer = new PredictivePacer(0.02, liveRate, Duration.ofSeconds(130));
    for (int i = 0; i < 100; i++) {
      pacer.agentFreed(Duration.ofSeconds(130), T);
      pacer.answered(Duration.ofSeconds(8 + i % 5), T);
    }
    return pacer;
  }

  @Test
  void predictivePlacesNothingWhenNoAgentWillBeFreeInTime() {
    var pacer = learned(0.2);
    // 20 agents 10 s into 130 s calls: none will be free while a new call rings.
    assertThat(pacer.callsToPlace(state(0, 20, Duration.ofSeconds(10), 0, 3))).isZero();
    // Nobody logged in: nothing, whatever the governor allows.
    assertThat(pacer.callsToPlace(new Pacer.State(T, 0, List.of(), 0, 100, 3))).isZero();
  }

  @Test
  void callsThatRangPastTheLongestRingNoLongerCountAsComingAnswers() {
    var pacer = learned(0.2);
    List<Duration> busy = Collections.nCopies(10, Duration.ofMinutes(2));
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
    Pacer.State state = state(2, 20, Duration.ofSeconds(125), 0, 3);
    assertThat(burnt.callsToPlace(state)).isLessThan(calm.callsToPlace(state));
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
