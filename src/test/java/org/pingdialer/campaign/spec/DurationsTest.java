package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsEveryUnit() {
    assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(Durations.parse("25s")).contains(Duration.ofSeconds(25));
    assertThat(Durations.parse("10m")).contains(Duration.ofMinutes(10));
    assertThat(Durations.parse("72h")).contains(Duration.ofDays(3));
    assertThat(Durations.parse("2d")).contains(Duration.ofDays(2));
  }

  @Test
  void refusesBareNumbersFractionsAndUnknownUnits() {
    assertThat(Durations.parse("25")).isEmpty();
    assertThat(Durations.parse("1.5h")).isEmpty();
    assertThat(Durations.parse("3w")).isEmpty();
    assertThat(Durations.parse("-5s")).isEmpty();
  }

  @Test
  void formatsInTheLargestExactUnitUpToHours() {
    assertThat(Durations.format(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2500ms");
    assertThat(Durations.format(Duration.ofDays(3))).isEqualTo("72h");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
  }
}
