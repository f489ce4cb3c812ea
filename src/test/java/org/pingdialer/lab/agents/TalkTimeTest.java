package org.pingdialer.lab.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TalkTimeTest {
  private static final TalkTime TYPICAL =
      new TalkTime(Duration.ofSeconds(20), 0.5, Duration.ofSeconds(8), Duration.ofSeconds(90));

  private static List<Duration> draws(TalkTime talk, long seed, int count) {
    var random = new SplittableRandom(seed);
    var draws = new ArrayList<Duration>();
    for (int i = 0; i < count; i++) {
      draws.add(talk.draw(random));
    }
    return draws;
  }

  @Test
  void theSameSeedGivesTheSameTalkTimes() {
    assertThat(draws(TYPICAL, 42, 100)).isEqualTo(draws(TYPICAL, 42, 100));
    assertThat(draws(TYPICAL, 42, 100)).isNotEqualTo(draws(TYPICAL, 43, 100));
  }

  @Test
  void talkTimesStayWithinMinAndMax() {
    var wide =
        new TalkTime(Duration.ofSeconds(20), 2.5, Duration.ofSeconds(8), Duration.ofSeconds(90));
    List<Duration> draws = draws(wide, 7, 10_000);
    assertThat(draws).allMatch(d -> d.compareTo(Duration.ofSeconds(8)) >= 0);
    assertThat(draws).allMatch(d -> d.compareTo(Duration.ofSeconds(90)) <= 0);
    assertThat(draws).contains(Duration.ofSeconds(8), Duration.ofSeconds(90));
  }

  @Test
  void halfTheCallsAreShorterThanTheMedian() {
    List<Duration> draws = draws(TYPICAL, 1, 10_000);
    long shorter = draws.stream().filter(d -> d.compareTo(Duration.ofSeconds(20)) < 0).count();
    assertThat(shorter).isBetween(4_700L, 5_300L);
  }

  @Test
  void noSpreadAlwaysGivesTheMedian() {
    assertThat(draws(TalkTime.fixed(Duration.ofSeconds(3)), 5, 50))
        .containsOnly(Duration.ofSeconds(3));
  }

  @Test
  void aMedianOutsideMinAndMaxIsRejected() {
    assertThatThrownBy(
            () ->
                new TalkTime(
                    Duration.ofSeconds(5), 0.5, Duration.ofSeconds(8), Duration.ofSeconds(90)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min <= median <= max");
    assertThatThrownBy(
            () ->
                new TalkTime(
                    Duration.ofSeconds(20), -1, Duration.ofSeconds(8), Duration.ofSeconds(90)))
        .hasMessageContaining("spread");
  }
}
