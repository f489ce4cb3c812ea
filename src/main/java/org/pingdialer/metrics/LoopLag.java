package org.pingdialer.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How long a task waits before an owner thread (the call engine's, the campaign loop's, the agent
 * desk's) runs it: the probe hands the loop a no-op read and times it until it ran. A lag that
 * grows means events and commands queue up behind slow work on that thread.
 *
 * <p>One probe at a time per loop: while it waits, no other is sent, and the gauge reports how long
 * it has waited so far, so a loop that is stuck shows a growing lag rather than none.
 */
final class LoopLag {
  private final Supplier<CompletableFuture<?>> probe;
  private final Timer timer;

  /** nanoTime when the probe in flight was sent, or -1 when none is. */
  private final AtomicLong sentAt = new AtomicLong(-1);

  private final AtomicLong lastNanos = new AtomicLong();

  LoopLag(String loop, Supplier<CompletableFuture<?>> probe, MeterRegistry registry) {
    this.probe = probe;
    this.timer =
        Timer.builder("pingdialer.event.loop.lag")
            .description("time a task waited for the owner thread to run it")
            .tag("loop", loop)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    Gauge.builder("pingdialer.event.loop.lag.now", this, LoopLag::nowSeconds)
        .description("the last probe's lag, or how long the probe in flight has waited")
        .tag("loop", loop)
        .baseUnit("seconds")
        .register(registry);
  }

  /** Sends a probe unless one is still waiting. */
  void probe() {
    long now = System.nanoTime();
    if (!sentAt.compareAndSet(-1, now)) {
      return;
    }
    var unused =
        probe
            .get()
            .whenComplete(
                (ok, error) -> {
                  long lag = System.nanoTime() - now;
                  sentAt.set(-1);
                  if (error == null) {
                    lastNanos.set(lag);
                    timer.record(lag, TimeUnit.NANOSECONDS);
                  }
                });
  }

  private double nowSeconds() {
    long sent = sentAt.get();
    long waiting = sent < 0 ? 0 : System.nanoTime() - sent;
    return Math.max(waiting, lastNanos.get()) / 1e9;
  }
}
