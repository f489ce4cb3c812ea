package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AriPressureTest {
  private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");
  private static final Duration FAST = Duration.ofMillis(4);

  @Test
  void eachTroubleInARowHoldsTwiceAsLongUpToThirtySeconds() {
    AriPressure p = AriPressure.NONE;
    long[] holds = new long[9];
    for (int i = 0; i < holds.length; i++) {
      p = p.troubled(FAST, T);
      holds[i] = Duration.between(T, p.holdUntil()).toMillis();
    }
    assertThat(holds)
        .containsExactly(500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000);
    assertThat(p.holding(T.plusSeconds(29))).contains(T.plusSeconds(30));
    assertThat(p.holding(T.plusSeconds(30))).isEmpty();
  }

  @Test
  void onlyAChannelCreatedEndsTheTroubles() {
    AriPressure p = AriPressure.NONE.troubled(FAST, T).troubled(FAST, T);
    // A hangup or a 404 answered: the PBX answers, but whether it takes calls is not known yet.
    AriPressure answered = p.answered(FAST, false);
    assertThat(answered.troubledInARow()).isEqualTo(2);
    assertThat(answered.holdUntil()).isEqualTo(p.holdUntil());
    AriPressure created = answered.answered(FAST, true);
    assertThat(created.troubledInARow()).isZero();
    assertThat(created.holding(T)).isEmpty();
  }

  @Test
  void slowWhileRequestsTakeMoreThanASecondSmoothed() {
    AriPressure p = AriPressure.NONE.answered(FAST, true);
    assertThat(p.slow()).isFalse();
    // One slow answer among fast ones is not an overloaded PBX.
    assertThat(p.answered(Duration.ofSeconds(3), false).slow()).isFalse();
    for (int i = 0; i < 5; i++) {
      p = p.answered(Duration.ofSeconds(3), false);
    }
    assertThat(p.slow()).isTrue();
    int fastOnes = 0;
    while (p.slow()) {
      p = p.answered(FAST, false);
      fastOnes++;
    }
    assertThat(fastOnes).as("back in time after a few fast answers").isBetween(2, 8);
    // A timeout is trouble and slow too.
    AriPressure timedOut = AriPressure.NONE.troubled(Duration.ofSeconds(10), T);
    assertThat(timedOut.slow()).isTrue();
  }
}
