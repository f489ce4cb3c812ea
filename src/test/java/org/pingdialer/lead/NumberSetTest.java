package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NumberSetTest {
  @Test
  void behavesLikeASetOfNumbersThroughSeveralGrowths() {
    var numbers = new NumberSet();
    Set<String> reference = new HashSet<>();
    var random = new Random(7);
    for (int i = 0; i < 300_000; i++) {
      String e164 = "+4930" + (1_000_000 + random.nextInt(400_000));
      assertThat(numbers.add(e164)).isEqualTo(reference.add(e164));
    }
    assertThat(numbers.size()).isEqualTo(reference.size());
    assertThat(numbers.add("+4930" + 1_000_000)).isEqualTo(reference.add("+4930" + 1_000_000));
  }
}
