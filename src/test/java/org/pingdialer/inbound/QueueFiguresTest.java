package org.pingdialer.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueueFiguresTest {
  private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");

  private static InboundCallStore.Row call(
      long id, Optional<Long> answeredAfter, Optional<InboundOutcome> outcome) {
    return new InboundCallStore.Row(
        id,
        "support",
        "4930777100",
        "4930999111120",
        T,
        answeredAfter.map(T::plusSeconds),
        outcome.map(o -> T.plusSeconds(60)),
        answeredAfter.map(a -> "agent1"),
        outcome,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void theServiceLevelCountsEndedCallsAndTheSpeedOfAnswerAnsweredOnes() {
    var figures =
        InboundCallStore.QueueFigures.of(
            "support",
            List.of(
                call(1, Optional.of(5L), Optional.of(InboundOutcome.ANSWERED)),
                call(2, Optional.of(15L), Optional.of(InboundOutcome.ANSWERED)),
                call(3, Optional.of(40L), Optional.of(InboundOutcome.ANSWERED)),
                call(4, Optional.empty(), Optional.of(InboundOutcome.ABANDONED)),
                call(5, Optional.empty(), Optional.empty())), // still waiting: not yet counted
            Duration.ofSeconds(20));
    assertThat(figures.offered()).isEqualTo(5);
    assertThat(figures.waiting()).isEqualTo(1);
    assertThat(figures.answeredWithin()).isEqualTo(2);
    // 2 of the 4 calls that ended were answered within 20 s.
    assertThat(figures.serviceLevel()).isEqualTo(0.5);
    assertThat(figures.averageSpeedOfAnswer()).isEqualTo(Duration.ofSeconds(20));
    assertThat(figures.longestWait()).isEqualTo(Duration.ofSeconds(40));
    assertThat(figures.outcomes())
        .isEqualTo(Map.of(InboundOutcome.ANSWERED, 3L, InboundOutcome.ABANDONED, 1L));
  }

  @Test
  void noEndedCallIsNoServiceLevelRatherThanADivisionByZero() {
    var figures =
        InboundCallStore.QueueFigures.of(
            "support",
            List.of(call(1, Optional.empty(), Optional.empty())),
            Duration.ofSeconds(20));
    assertThat(figures.serviceLevel()).isZero();
    assertThat(figures.averageSpeedOfAnswer()).isZero();
  }
}
