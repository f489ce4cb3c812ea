package org.pingdialer.campaign.spec;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as campaign files write them: a whole number and a unit, {@code 25s}, {@code 72h}. */
public final class Durations {
  public static final String EXAMPLES = "500ms, 25s, 10m, 72h or 2d";

  private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** Empty when the text is not a whole number followed by ms, s, m, h or d. */
  public static Optional<Duration> parse(String text) {
    Matcher m = NUMBER_AND_UNIT.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          case "d" -> Duration.ofDays(amount);
          default -> throw new AssertionError("unit not in the pattern: " + m.group(2));
        });
  }

  /** In the largest unit that is exact: {@code 15s}, {@code 72h}, {@code 1500ms}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = duration.toSeconds();
    if (seconds == 0 || seconds % 60 != 0) {
      return seconds + "s";
    }
    if (seconds % 3600 != 0) {
      return seconds / 60 + "m";
    }
    // Hours rather than days: the rules are written in hours (72 h after an abandon).
    return seconds / 3600 + "h";
  }
}
