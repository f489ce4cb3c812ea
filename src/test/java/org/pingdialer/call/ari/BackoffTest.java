package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final AriEventStream.Backoff backoff =
      new AriEventStream.Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void doublesFromTheFirstDelay() {
    assertThat(backoff.delay(0)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(800));
  }

  @Test
  void isCappedForeverEvenAfterManyFailures() {
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(10_000)).isEqualTo(Duration.ofSeconds(2));
  }
}
