package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LineCheckResultTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
  private static final Timeline SILENT = Timeline.createdAt(T);
  private static final Timeline RANG = Timeline.createdAt(T).ringing(T);
  private static final Timeline INTERCEPT = Timeline.createdAt(T).progress(T);

  @Test
  void ringingAnsweringOrBusyMeansLive() {
    assertThat(LineCheckResult.of(DialOutcome.NO_ANSWER, RANG)).isEqualTo(LineCheckResult.LIVE);
    assertThat(LineCheckResult.of(DialOutcome.BUSY, SILENT)).isEqualTo(LineCheckResult.LIVE);
    assertThat(LineCheckResult.of(DialOutcome.ABANDONED, RANG)).isEqualTo(LineCheckResult.LIVE);
    assertThat(LineCheckResult.of(DialOutcome.REJECTED, RANG)).isEqualTo(LineCheckResult.LIVE);
  }

  @Test
  void unallocatedInvalidAndInterceptedMeanDead() {
    assertThat(LineCheckResult.of(DialOutcome.UNALLOCATED, SILENT)).isEqualTo(LineCheckResult.DEAD);
    assertThat(LineCheckResult.of(DialOutcome.UNALLOCATED, INTERCEPT))
        .isEqualTo(LineCheckResult.DEAD);
    assertThat(LineCheckResult.of(DialOutcome.INVALID_NUMBER, SILENT))
        .isEqualTo(LineCheckResult.DEAD);
  }

  @Test
  void congestionUnavailableAndOurFailuresAreUnknown() {
    assertThat(LineCheckResult.of(DialOutcome.CONGESTION, SILENT))
        .isEqualTo(LineCheckResult.UNKNOWN);
    assertThat(LineCheckResult.of(DialOutcome.UNAVAILABLE, SILENT))
        .isEqualTo(LineCheckResult.UNKNOWN);
    assertThat(LineCheckResult.of(DialOutcome.FAILED, SILENT)).isEqualTo(LineCheckResult.UNKNOWN);
    assertThat(LineCheckResult.of(DialOutcome.NO_ANSWER, INTERCEPT))
        .isEqualTo(LineCheckResult.UNKNOWN);
  }
}
