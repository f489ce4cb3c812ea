package org.pingdialer.lead;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Reads the consent time as lead files write it: ISO ({@code 2026-03-01}, {@code 2026-03-01 14:30},
 * {@code 2026-03-01T14:30:00Z}) or German ({@code 01.03.2026}, {@code 01.03.2026 14:30}). Times
 * without an offset are in the list's region; a date alone means its start.
 */
final class ConsentTimes {
  private static final List<DateTimeFormatter> LOCAL_DATE_TIMES =
      List.of(
          DateTimeFormatter.ofPattern("yyyy-MM-dd[' ']['T']HH:mm[:ss]"),
          DateTimeFormatter.ofPattern("d.M.yyyy[' ']HH:mm[:ss]"));
  private static final List<DateTimeFormatter> DATES =
      List.of(DateTimeFormatter.ISO_LOCAL_DATE, DateTimeFormatter.ofPattern("d.M.yyyy"));

  private ConsentTimes() {}

  /**
   * The instant, or empty when {@code text} is not a date/time in a format above. The writing is
   * told by its shape first, so a valid value is parsed once: this runs for every row of an import
   * with a consent column, and a failed parse (an exception) per try cost more than the parse.
   */
  static Optional<Instant> parse(String text, ZoneId zone) {
    String value = text.strip();
    boolean german = value.indexOf('.') > 0;
    boolean withTime = value.indexOf(':') > 0;
    try {
      if (german) {
        return Optional.of(
            withTime
                ? LocalDateTime.parse(value, LOCAL_DATE_TIMES.get(1)).atZone(zone).toInstant()
                : LocalDate.parse(value, DATES.get(1)).atStartOfDay(zone).toInstant());
      }
      if (!withTime) {
        return Optional.of(LocalDate.parse(value, DATES.get(0)).atStartOfDay(zone).toInstant());
      }
      if (hasOffset(value)) {
        return Optional.of(OffsetDateTime.parse(value).toInstant());
      }
      return Optional.of(
          LocalDateTime.parse(value, LOCAL_DATE_TIMES.get(0)).atZone(zone).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** "…Z", "…+02:00" or "…-05:00" after the time of day. */
  private static boolean hasOffset(String value) {
    int time = Math.max(value.indexOf('T'), value.indexOf(' '));
    return value.endsWith("Z")
        || (time > 0 && (value.indexOf('+', time) > 0 || value.indexOf('-', time) > 0));
  }
}
