package org.pingdialer.lab.agents;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a lab agent talks to a customer: log-normal (most calls short, a few long, as in real
 * call centres) around {@code median}, clamped to {@code [min, max]}.
 *
 * @param median half the calls are shorter
 * @param spread the standard deviation of the talk time's natural logarithm; 0 always gives the
 *     median, 0.5 puts about two thirds of the calls between 0.6x and 1.65x the median
 * @param min no call is shorter
 * @param max no call is longer
 */
public record TalkTime(Duration median, double spread, Duration min, Duration max) {
  public TalkTime {
    if (median.isNegative() || median.isZero()) {
      throw new IllegalArgumentException("talk time median must be positive, was " + median);
    }
    if (!(spread >= 0 && spread <= 3)) {
      throw new IllegalArgumentException("talk time spread must be 0..3, was " + spread);
    }
    if (min.isNegative() || min.compareTo(median) > 0 || median.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "talk time needs 0 <= min <= median <= max, was min "
              + min
              + ", median "
              + median
              + ", max "
              + max);
    }
  }

  /** Always {@code talk}. */
  public static TalkTime fixed(Duration talk) {
    return new TalkTime(talk, 0, talk, talk);
  }

  /** One talk time; the only state used is {@code random}'s. */
  public Duration draw(RandomGenerator random) {
    double millis = median.toMillis() * Math.exp(spread * random.nextGaussian());
    long clamped = Math.clamp(Math.round(millis), min.toMillis(), max.toMillis());
    return Duration.ofMillis(clamped);
  }
}
