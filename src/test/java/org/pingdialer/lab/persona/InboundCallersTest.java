package org.pingdialer.lab.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated network's callers: who they are, and how often they call. */
class InboundCallersTest {
  @Test
  void theUsualMixIsMostlyCallersWhoWaitSomeWhoGiveUpAndAFewWhoPressForACallback() {
    var random = new SplittableRandom(1);
    int givesUp = 0;
    int presses = 0;
    int waits = 0;
    for (int i = 0; i < 20_000; i++) {
      InboundCallers.Caller caller = InboundCallers.Mix.USUAL.draw(random);
      switch (caller.extension()) {
        case "gives-up" -> {
          givesUp++;
          assertThat(caller.patience()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(40));
        }
        case "presses" -> presses++;
        default -> waits++;
      }
    }
    assertThat(givesUp / 20_000.0).isBetween(0.09, 0.11);
    assertThat(presses / 20_000.0).isBetween(0.04, 0.06);
    assertThat(waits / 20_000.0).isBetween(0.83, 0.87);
  }

  private static List<String> callFiles(Path outgoing) throws IOException {
    try (Stream<Path> files = Files.list(outgoing)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".call")).toList();
    }
  }

  /**
   * At 36,000 an hour (one every 100 ms on average, at random), twenty callers take about two
   * seconds, not a burst; they call the numbers in turn; none calls after the stream is closed.
   */
  @Test
  void callersArriveAtTheirRatePerHourAndCallTheNumbersInTurn(@TempDir Path network)
      throws Exception {
    Path outgoing = Files.createDirectories(network.resolve("spool/outgoing"));
    long started = System.nanoTime();
    try (var callers =
        InboundCallers.start(
            network, List.of("4930777100", "4930777101"), 36_000, InboundCallers.Mix.USUAL, 7)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> callFiles(outgoing).size() >= 20);
      assertThat(callers).isNotNull();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isGreaterThan(Duration.ofMillis(500));
    Thread.sleep(100); // a file being written as the stream closed lands now
    int atClose = callFiles(outgoing).size();
    Thread.sleep(500);
    assertThat(callFiles(outgoing)).hasSize(atClose);

    long toFirst = 0;
    long toSecond = 0;
    for (String name : callFiles(outgoing)) {
      String text = Files.readString(outgoing.resolve(name));
      toFirst += text.contains("Channel: PJSIP/4930777100@dialer") ? 1 : 0;
      toSecond += text.contains("Channel: PJSIP/4930777101@dialer") ? 1 : 0;
    }
    assertThat(toFirst + toSecond).isEqualTo(atClose);
    assertThat(Math.abs(toFirst - toSecond)).isLessThanOrEqualTo(1);
  }
}
