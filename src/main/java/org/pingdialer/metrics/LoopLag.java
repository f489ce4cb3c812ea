package org.pingdialer.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a task waits before an owner thread (the call engine's, the campaign loop's, the agent
 * desk's) runs it: the probe hands the loop a no-op read and times it until it ran. A lag that
 * grows means events and commands queue up behind slow work on that thread.
 *
 * <p>One probe at a time per loop: while it waits, no other is sent, and the gauge reports how long
 * it has waited so far, so a loop that is stuck shows a growing lag rather than none.
 *
 * <p>A lag over {@link #WARN_AT} is also logged as a warning, once until the loop is back under
 * half of it (then once at INFO): an operator reading the log sees an overloaded controller without
 * a dashboard.
 */
final class LoopLag {
  private static final Logger log = LoggerFactory.getLogger(LoopLag.class);

  /** A lag the operator is told about: events are handled a second late. */
  static final Duration WARN_AT = Duration.ofSeconds(1);

  private final String loop;
  private final Supplier<CompletableFuture<?>> probe;

  /** A warning was logged and the lag has not been back under half of WARN_AT since. */
  private boolean warned;

  private final Timer timer;

  /** nanoTime when the probe in flight was sent, or -1 when none is. */
  private final AtomicLong sentAt = new AtomicLong(-1);

  private final AtomicLong lastNanos = new AtomicLong();

  LoopLag(String loop, Supplier<CompletableFuture<?>> probe, MeterRegistry registry) {
    this.loop = loop;
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

  /** Sends a probe unless one is still waiting (then tells whether that one waits too long). */
  void probe() {
    long now = System.nanoTime();
    if (!sentAt.compareAndSet(-1, now)) {
      long waiting = now - sentAt.get();
      if (waiting > 0) {
        judge(waiting);
      }
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
                    judge(lag);
                  }
                });
  }

  /** Logs a lag over {@link #WARN_AT} once, and its end once. */
  private synchronized void judge(long lagNanos) {
    if (!warned && lagNanos > WARN_AT.toNanos()) {
      warned = true;
      log.warn(
          "the {} loop is {} ms behind: events and commands queue up (see"
              + " pingdialer_event_loop_lag_seconds); is the machine or Asterisk overloaded?",
          loop,
          TimeUnit.NANOSECONDS.toMillis(lagNanos));
    } else if (warned && lagNanos < WARN_AT.toNanos() / 2) {
      warned = false;
      log.info(
          "the {} loop is back on time ({} ms behind)",
          loop,
          TimeUnit.NANOSECONDS.toMillis(lagNanos));
    }
  }

  private double nowSeconds() {
    long sent = sentAt.get();
    long waiting = sent < 0 ? 0 : System.nanoTime() - sent;
    return Math.max(waiting, lastNanos.get()) / 1e9;
  }
}
