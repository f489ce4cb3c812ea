package org.pingdialer.lab.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.Disposition;
import org.pingdialer.agent.DtmfCommands;
import org.pingdialer.lab.agents.DispositionMix.Outcome;

class DispositionMixTest {
  private static List<Outcome> draws(DispositionMix mix, long seed, int count) {
    var random = new SplittableRandom(seed);
    var draws = new ArrayList<Outcome>();
    for (int i = 0; i < count; i++) {
      draws.add(mix.draw(random));
    }
    return draws;
  }

  @Test
  void theSameSeedGivesTheSameOutcomes() {
    var mix = DispositionMix.of(60, 10, 30);
    assertThat(draws(mix, 9, 200)).isEqualTo(draws(mix, 9, 200));
  }

  @Test
  void outcomesFollowTheWeights() {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    draws(DispositionMix.of(60, 10, 30), 3, 10_000).forEach(o -> counts.merge(o, 1, Integer::sum));
    assertThat(counts.keySet()).containsOnly(Outcome.REFUSED, Outcome.CALLBACK, Outcome.SALE);
    assertThat(counts.get(Outcome.REFUSED)).isBetween(5_800, 6_200);
    assertThat(counts.get(Outcome.CALLBACK)).isBetween(900, 1_100);
    assertThat(counts.get(Outcome.SALE)).isBetween(2_800, 3_200);
  }

  @Test
  void aZeroWeightIsNeverDrawn() {
    assertThat(draws(new DispositionMix(0, 0, 0, 0, 0, 1), 1, 100)).containsOnly(Outcome.MACHINE);
  }

  @Test
  void weightsMustBePositiveInSum() {
    assertThatThrownBy(() -> DispositionMix.of(0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DispositionMix.of(-1, 5, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theKeysOfEveryOutcomeFileItsDisposition() {
    ZoneId zone = ZoneId.of("Europe/Berlin");
    ZonedDateTime now = ZonedDateTime.of(2026, 3, 2, 10, 0, 0, 0, zone);
    Instant callbackAt = now.plusHours(2).toInstant();
    for (Outcome outcome : Outcome.values()) {
      var keys = new DtmfCommands("agent1", zone);
      String typed = outcome.keys(LocalTime.of(12, 0));
      DtmfCommands.Command last = null;
      for (int i = 0; i < typed.length(); i++) {
        last = keys.key(typed.charAt(i), now).orElse(last);
      }
      assertThat(last)
          .as("keys %s", typed)
          .isEqualTo(new DtmfCommands.Command.File(outcome.disposition(callbackAt)));
    }
    assertThat(Outcome.SALE.disposition(callbackAt)).isEqualTo(new Disposition.Sale());
  }
}
