package org.pingdialer.call;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.pingdialer.call.ari.AriException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times one engine's ARI requests and keeps what they say about the PBX ({@link AriPressure}): the
 * requests run on I/O threads, their times and troubles go to the engine's loop, which owns the
 * pressure, logs each change and tells the watchers (the dialing loop holds or slows new calls).
 */
final class AriGauge {
  private static final Logger log = LoggerFactory.getLogger(AriGauge.class);

  private final String campaign;
  private final Executor loop;
  private final InstantSource clock;
  private final List<Consumer<AriPressure>> watchers = new CopyOnWriteArrayList<>();

  /** Loop-owned. */
  private AriPressure pressure = AriPressure.NONE;

  AriGauge(String campaign, Executor loop, InstantSource clock) {
    this.campaign = campaign;
    this.loop = loop;
    this.clock = clock;
  }

  /** Told on the loop when what the pressure asks of the dialer changes. */
  void watch(Consumer<AriPressure> watcher) {
    watchers.add(watcher);
  }

  /** The pressure now; on the loop only. */
  AriPressure now() {
    return pressure;
  }

  /** Asterisk failed (5xx) or did not answer, as opposed to refusing one call's request. */
  static boolean isPbxTrouble(RuntimeException e) {
    return e instanceof UncheckedIOException
        || (e instanceof AriException a && a.kind() == AriException.Kind.SERVER_ERROR);
  }

  /**
   * Runs one ARI request on the calling (I/O) thread and tells the loop how ARI answered it (its
   * time, and whether the PBX was in trouble), then rethrows its failure.
   *
   * @param create a channel create: its success ends a run of troubles and the hold
   */
  void timed(boolean create, Runnable request) {
    long start = System.nanoTime();
    try {
      request.run();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      loop.execute(() -> becomes(pressure.answered(took, create)));
    } catch (AriException | UncheckedIOException e) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      loop.execute(
          () ->
              becomes(
                  isPbxTrouble(e)
                      ? pressure.troubled(took, clock.instant())
                      : pressure.answered(took, false)));
      throw e;
    }
  }

  /** On the loop: keeps the new pressure, and says so when what it asks of the dialer changed. */
  private void becomes(AriPressure next) {
    AriPressure before = pressure;
    pressure = next;
    boolean newHold = next.troubledInARow() > before.troubledInARow();
    boolean troublesOver = before.troubledInARow() > 0 && next.troubledInARow() == 0;
    boolean slowChanged = before.slow() != next.slow();
    if (newHold) {
      log.warn(
          "campaign {}: ARI failed or did not answer {} times in a row; no new call for {} ms",
          campaign,
          next.troubledInARow(),
          Duration.between(clock.instant(), next.holdUntil()).toMillis());
    }
    if (troublesOver) {
      log.info(
          "campaign {}: Asterisk creates channels again after {} failed requests",
          campaign,
          before.troubledInARow());
    }
    if (slowChanged) {
      if (next.slow()) {
        log.warn(
            "campaign {}: ARI is slow ({} ms a request, smoothed); one new call at a time",
            campaign,
            Math.round(next.latencyMillis()));
      } else {
        log.info("campaign {}: ARI answers in time again", campaign);
      }
    }
    if (newHold || troublesOver || slowChanged) {
      watchers.forEach(w -> w.accept(next));
    }
  }
}
