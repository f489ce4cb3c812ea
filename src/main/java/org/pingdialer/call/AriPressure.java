package org.pingdialer.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How Asterisk's REST interface has been answering one engine's requests, and what that asks of the
 * dialer: no new call for a while when requests fail on Asterisk's side (5xx) or get no answer
 * (timeout, refused connection), and one new call at a time while they are slow. An overloaded PBX
 * is not given more work than it can take, and nothing queues up in the controller behind it.
 * Immutable and pure; the engine keeps the current one on its loop and tells the dialing loop when
 * what it asks changes.
 *
 * @param troubledInARow requests that failed on Asterisk's side or got no answer since the last
 *     channel Asterisk created
 * @param latencyMillis how long requests take, smoothed ({@link #WEIGHT} for each new one)
 * @param holdUntil no new call before this; null when not holding
 */
public record AriPressure(int troubledInARow, double latencyMillis, Instant holdUntil) {
  /**
   * The hold after the first trouble; it doubles with each one in a row up to {@link #MAX_HOLD}.
   */
  public static final Duration FIRST_HOLD = Duration.ofMillis(500);

  public static final Duration MAX_HOLD = Duration.ofSeconds(30);

  /**
   * Requests slower than this, smoothed, make the dialer place one call at a time. Asterisk answers
   * a request in a few milliseconds here (asterisk-runtime.md's ARI floor); a second is a PBX in
   * trouble.
   */
  public static final Duration SLOW = Duration.ofSeconds(1);

  /** The weight of each new request's time in the smoothed latency. */
  static final double WEIGHT = 0.2;

  public static final AriPressure NONE = new AriPressure(0, 0, null);

  public AriPressure {
    if (troubledInARow < 0 || latencyMillis < 0) {
      throw new IllegalArgumentException(
          "troubles and latency are never negative: " + troubledInARow + ", " + latencyMillis);
    }
  }

  /**
   * A request Asterisk answered (an error that is about the call, like 404 for a channel already
   * gone, is an answer too). A channel it created ends a run of troubles and the hold: the PBX
   * takes calls again.
   */
  public AriPressure answered(Duration took, boolean channelCreated) {
    double latency = smoothed(took);
    return channelCreated
        ? new AriPressure(0, latency, null)
        : new AriPressure(troubledInARow, latency, holdUntil);
  }

  /**
   * A request that failed on Asterisk's side or got no answer: hold new calls, longer each time.
   */
  public AriPressure troubled(Duration took, Instant now) {
    int troubles = troubledInARow + 1;
    Duration hold = FIRST_HOLD.multipliedBy(1L << Math.min(troubles - 1, 16));
    if (hold.compareTo(MAX_HOLD) > 0) {
      hold = MAX_HOLD;
    }
    return new AriPressure(troubles, smoothed(took), now.plus(hold));
  }

  /** When no new call may be placed until, if that is still ahead of {@code now}. */
  public Optional<Instant> holding(Instant now) {
    return holdUntil != null && now.isBefore(holdUntil) ? Optional.of(holdUntil) : Optional.empty();
  }

  /** Requests take longer than {@link #SLOW}: one new call at a time. */
  public boolean slow() {
    return latencyMillis > SLOW.toMillis();
  }

  /** At most this many calls being placed at once while Asterisk is slow. */
  public static final int PLACING_WHILE_SLOW = 1;

  private double smoothed(Duration took) {
    double millis = Math.max(0, took.toNanos() / 1e6);
    return latencyMillis == 0 ? millis : latencyMillis + WEIGHT * (millis - latencyMillis);
  }
}
