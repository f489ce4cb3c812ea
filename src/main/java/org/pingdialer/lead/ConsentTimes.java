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

  /** The instant, or empty when {@code text} is not a date/time in a format above. */
  static Optional<Instant> parse(String text, ZoneId zone) {
    String value = text.strip();
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException e) {
      // not ISO with an offset; try the local forms
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      // not an ISO instant either
    }
    for (DateTimeFormatter format : LOCAL_DATE_TIMES) {
      try {
        return Optional.of(LocalDateTime.parse(value, format).atZone(zone).toInstant());
      } catch (DateTimeParseException e) {
        // next format
      }
    }
    for (DateTimeFormatter format : DATES) {
      try {
        return Optional.of(LocalDate.parse(value, format).atStartOfDay(zone).toInstant());
      } catch (DateTimeParseException e) {
        // next format
      }
    }
    return Optional.empty();
  }
}
