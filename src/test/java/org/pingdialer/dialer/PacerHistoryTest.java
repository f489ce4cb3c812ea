package org.pingdialer.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.pacing.Pacer;

/** What a predictive pacer learns from the attempts table when the dialing loop starts. */
class PacerHistoryTest {
  private static final Instant T = Instant.parse("2026-11-29T09:00:00Z");

  /** A pacer that only writes down what it is told. */
  private static final class Told implements Pacer {
    final List<String> lines = new ArrayList<>();

    @Override
    public int callsToPlace(State state) {
      return 0;
    }

    @Override
    public void answered(Duration ring, Instant at) {
      lines.add("answered " + ring.toMillis() + " ms at " + at.getEpochSecond() % 10_000);
    }

    @Override
    public void unanswered(Instant at) {
      lines.add("unanswered at " + at.getEpochSecond() % 10_000);
    }

    @Override
    public void abandoned(Instant at) {
      lines.add("abandoned");
    }
  }

  private static AttemptStore.Ended call(int second, DialOutcome outcome, Long ringMillis) {
    return new AttemptStore.Ended(
        T.plusSeconds(second),
        outcome,
        Attempt.Kind.CALL,
        Optional.ofNullable(ringMillis).map(Duration::ofMillis));
  }

  @Test
  void callsTeachTheLiveRateAndRingTimesLineChecksAndAbandonsDoNot() {
    var told = new Told();
    CampaignLoop.learnFromHistory(
        told,
        List.of(
            call(1, DialOutcome.ANSWERED, 4_200L),
            new AttemptStore.Ended(
                T.plusSeconds(2),
                DialOutcome.ANSWERED,
                Attempt.Kind.LINE_CHECK,
                Optional.of(Duration.ofSeconds(3))),
            call(3, DialOutcome.ABANDONED, 7_000L),
            call(4, DialOutcome.MACHINE, 2_000L),
            call(5, DialOutcome.BUSY, null),
            call(6, DialOutcome.ANSWERED, null)));

    assertThat(told.lines)
        .containsExactly(
            "answered 4200 ms at " + (T.getEpochSecond() + 1) % 10_000,
            "answered 7000 ms at " + (T.getEpochSecond() + 3) % 10_000,
            "unanswered at " + (T.getEpochSecond() + 4) % 10_000,
            "unanswered at " + (T.getEpochSecond() + 5) % 10_000,
            "answered 0 ms at " + (T.getEpochSecond() + 6) % 10_000);
  }

  @Test
  void onlyTheLastCallsAreTold() {
    List<AttemptStore.Ended> month = new ArrayList<>();
    for (int i = 0; i < CampaignLoop.PACER_HISTORY + 100; i++) {
      // The first 100 were all answered, the last PACER_HISTORY none.
      month.add(call(i, i < 100 ? DialOutcome.ANSWERED : DialOutcome.NO_ANSWER, 5_000L));
    }
    var told = new Told();
    CampaignLoop.learnFromHistory(told, month);
    assertThat(told.lines).hasSize(CampaignLoop.PACER_HISTORY).allMatch(l -> l.startsWith("un"));
    assertThat(told.lines.getFirst())
        .isEqualTo("unanswered at " + (T.getEpochSecond() + 100) % 10_000);
  }
}
