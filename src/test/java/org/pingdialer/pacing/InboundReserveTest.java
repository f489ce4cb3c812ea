package org.pingdialer.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InboundReserveTest {
  private static final Duration TWENTY_S = Duration.ofSeconds(20);

  /** Erlang C by its textbook formula (sums of powers and factorials), to check the recursion. */
  private static double waitChance(int agents, double load) {
    double sum = 0;
    double term = 1; // load^k / k!
    for (int k = 0; k < agents; k++) {
      sum += term;
      term = term * load / (k + 1);
    }
    double top = term * agents / (agents - load);
    return top / (sum + top);
  }

  @Test
  void tenErlangsAtEightyPercentInTwentySecondsNeedFourteenAgents() {
    // 200 calls an hour of 180 s: 10 Erlangs. Erlang C tables: 28.5 % wait with 13 agents
    // (79.6 % answered within 20 s), 17.4 % with 14 (88.8 %).
    assertThat(waitChance(13, 10)).isCloseTo(0.2853, within(0.001));
    assertThat(waitChance(14, 10)).isCloseTo(0.1741, within(0.001));
    assertThat(InboundReserve.agents(200, Duration.ofMinutes(3), TWENTY_S, 0.8)).isEqualTo(14);
  }

  @Test
  void theServiceLevelOfTheRecursionMatchesTheTextbookFormula() {
    double load = 3.2;
    double erlangB = 1;
    for (int agents = 1; agents <= 12; agents++) {
      erlangB = load * erlangB / (agents + load * erlangB);
      if (agents > load) {
        double expected = 1 - waitChance(agents, load) * Math.exp(-(agents - load) * 20 / 190.0);
        assertThat(InboundReserve.serviceLevel(agents, load, erlangB, 190, TWENTY_S))
            .as("%d agents", agents)
            .isCloseTo(expected, within(1e-9));
      }
    }
  }

  @Test
  void moreCallsOrAStricterTargetNeedMoreAgents() {
    Duration handle = Duration.ofSeconds(190);
    int base = InboundReserve.agents(60, handle, TWENTY_S, 0.8);
    assertThat(InboundReserve.agents(120, handle, TWENTY_S, 0.8)).isGreaterThan(base);
    assertThat(InboundReserve.agents(60, handle, TWENTY_S, 0.95)).isGreaterThan(base);
    assertThat(InboundReserve.agents(60, handle, Duration.ofSeconds(60), 0.8))
        .isLessThanOrEqualTo(base);
    // Always more agents than the load itself: with fewer the line grows without end.
    assertThat(base).isGreaterThan((int) Math.floor(60 * 190 / 3600.0));
  }

  @Test
  void noCallsNeedNoAgents() {
    assertThat(InboundReserve.agents(0, Duration.ofSeconds(190), TWENTY_S, 0.8)).isZero();
  }

  @Test
  void numbersOutOfRangeAreRefused() {
    assertThatThrownBy(() -> InboundReserve.agents(-1, Duration.ofSeconds(1), TWENTY_S, 0.8))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InboundReserve.agents(10, Duration.ofSeconds(1), TWENTY_S, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InboundReserve.agents(1e9, Duration.ofMinutes(10), TWENTY_S, 0.8))
        .hasMessageContaining("needs more than 1000 agents");
  }
}
