package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One row per cause the dialer knows (ari-reference section 2), written out, not derived. */
class CauseTableTest {

  @ParameterizedTest(name = "cause {0} (SIP {1}) -> {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "1, 404, UNALLOCATED",
        "3, 420, FAILED",
        "16, -, CALLEE_HUNGUP",
        "17, 486, BUSY",
        "18, 408, NO_ANSWER",
        "19, 480, NO_ANSWER",
        "20, -, UNAVAILABLE",
        "21, 603, REJECTED",
        "21, 403, REJECTED",
        "21, 401, FAILED",
        "21, 407, FAILED",
        "22, 410, INVALID_NUMBER",
        "27, 502, UNAVAILABLE",
        "28, 484, INVALID_NUMBER",
        "31, -, REJECTED",
        "34, 503, CONGESTION",
        "38, 500, CONGESTION",
        "41, 409, CONGESTION",
        "42, -, CONGESTION",
        "58, 488, FAILED",
        "102, 504, CONGESTION",
        "127, 487, UNKNOWN",
        "0, -, UNKNOWN",
        "99, -, UNKNOWN",
      })
  void farEndCauseBeforeAnswerMapsToItsOutcome(int cause, Integer sip, DialOutcome expected) {
    assertThat(CauseTable.beforeAnswer(cause, sip)).isEqualTo(expected);
  }

  @Test
  void everyRowOfTheTableIsCoveredAbove() {
    assertThat(CauseTable.rows().keySet())
        .containsExactlyInAnyOrder(
            1, 3, 16, 17, 18, 19, 20, 21, 22, 27, 28, 31, 34, 38, 41, 42, 58, 102);
  }
}
