package org.pingdialer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pingdialer.concurrent.Loops;
import org.slf4j.LoggerFactory;

/** Issue 17: an owner thread that falls behind is a metric and, past a second, a warning. */
class LoopLagTest {
  @Test
  void aLoopStuckForOverASecondIsWarnedAboutOnceAndItsRecoveryToldOnce() throws Exception {
    var appender = new ListAppender<ILoggingEvent>();
    appender.start();
    Logger logger = (Logger) LoggerFactory.getLogger(LoopLag.class);
    logger.addAppender(appender);
    var owner = Loops.ownerThread("lag-test");
    var registry = new SimpleMeterRegistry();
    try {
      var lag = new LoopLag("test", () -> CompletableFuture.runAsync(() -> {}, owner), registry);
      var release = new CountDownLatch(1);
      owner.execute(
          () -> {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      lag.probe();
      Thread.sleep(1_300);
      lag.probe(); // the first still waits: judged while stuck
      lag.probe();
      assertThat(registry.get("pingdialer.event.loop.lag.now").gauge().value()).isGreaterThan(1.2);
      release.countDown();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> registry.get("pingdialer.event.loop.lag").timer().count() == 1);
      lag.probe(); // a quick one: back on time
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> registry.get("pingdialer.event.loop.lag").timer().count() == 2);
      assertThat(appender.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .satisfiesExactly(
              warning -> assertThat(warning).startsWith("the test loop is 1").contains("behind"),
              back -> assertThat(back).startsWith("the test loop is back on time"));
    } finally {
      owner.shutdownNow();
      logger.detachAppender(appender);
    }
  }
}
