package org.pingdialer.pacing;

import java.time.Duration;

/**
 * The callees and agents the simulator models.
 *
 * @param liveRate chance that a person answers
 * @param machineRate chance that an answering machine answers (released 3 s after its answer)
 * @param ringMin shortest ring before an answer (uniform between min and max)
 * @param noAnswerAfter an unanswered call is released after ringing this long
 * @param talkMean mean talk time, log-normal
 * @param talkSigma the log-normal's sigma (spread)
 * @param wrap fixed wrap-up after each call
 * @param abandonAfter an answered callee without an agent for this long is dropped
 */
public record Population(
    double liveRate,
    double machineRate,
    Duration ringMin,
    Duration ringMax,
    Duration noAnswerAfter,
    Duration talkMean,
    double talkSigma,
    Duration wrap,
    Duration abandonAfter) {
  public Population {
    if (liveRate < 0 || machineRate < 0 || liveRate + machineRate > 1) {
      throw new IllegalArgumentException(
          "live rate and machine rate must be 0..1 and add up to at most 1, were "
              + liveRate
              + " and "
              + machineRate);
    }
    if (ringMin.compareTo(ringMax) > 0) {
      throw new IllegalArgumentException("ring-min must not exceed ring-max");
    }
    if (talkSigma < 0 || talkMean.isNegative() || talkMean.isZero()) {
      throw new IllegalArgumentException("talk mean must be positive and sigma at least 0");
    }
  }

  /** The standard population: 20 % live after U(3,15) s, 10 % machines, 120 s talk. */
  public static Population standard() {
    return new Population(
        0.20,
        0.10,
        Duration.ofSeconds(3),
        Duration.ofSeconds(15),
        Duration.ofSeconds(20),
        Duration.ofSeconds(120),
        0.8,
        Duration.ofSeconds(10),
        Duration.ofSeconds(2));
  }
}
