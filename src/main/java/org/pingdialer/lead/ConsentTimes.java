package org.pingdialer.lead;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
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
   * The instant, or empty when {@code text} is not a date/time in a format above. Runs for every
   * row of an import with a consent column: the usual writings are read by hand, the rest by the
   * formatters.
   */
  static Optional<Instant> parse(String text, ZoneId zone) {
    String value = text.strip();
    LocalDateTime plain = plainDateTime(value);
    if (plain != null) {
      return Optional.of(plain.atZone(zone).toInstant());
    }
    return parseWithFormatters(value, zone);
  }

  /**
   * The formatters' reading of every shape above; {@link #parse} goes here for whatever its fast
   * path leaves (offsets, 'T', 24:00, days past the month's end, which the formatters' smart
   * resolver reads on their own terms). The writing is told by its shape first, so a valid value is
   * parsed once: a failed parse (an exception) per try cost more than the parse.
   */
  static Optional<Instant> parseWithFormatters(String value, ZoneId zone) {
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

  /**
   * The two writings bought lists nearly always have, read by hand: {@code 2026-03-01[ 14:30[:15]]}
   * and {@code 1.3.2026[ 14:30[:15]]}. A formatter's parse costs more than the phone number's own
   * check on a million rows. Null for any other shape and for values that are no real date or time
   * (the formatters then decide, so both paths read every value alike; ConsentTimesTest compares
   * them).
   */
  private static LocalDateTime plainDateTime(String value) {
    int n = value.length();
    int year;
    int month;
    int day;
    int at; // where the time of day would start (after one space)
    if (n >= 10 && value.charAt(4) == '-' && value.charAt(7) == '-') {
      year = digits(value, 0, 4);
      month = digits(value, 5, 7);
      day = digits(value, 8, 10);
      at = 10;
    } else {
      int firstDot = value.indexOf('.');
      int secondDot = firstDot < 0 ? -1 : value.indexOf('.', firstDot + 1);
      if (firstDot < 1 || firstDot > 2 || secondDot - firstDot < 2 || secondDot - firstDot > 3) {
        return null;
      }
      day = digits(value, 0, firstDot);
      month = digits(value, firstDot + 1, secondDot);
      at = secondDot + 5;
      year = at <= n ? digits(value, secondDot + 1, at) : -1;
    }
    if (year < 1 || month < 1 || month > 12 || day < 1 || (day > 28 && !fits(year, month, day))) {
      return null;
    }
    if (at == n) {
      return LocalDateTime.of(year, month, day, 0, 0);
    }
    if ((n != at + 6 && n != at + 9) || value.charAt(at) != ' ' || value.charAt(at + 3) != ':') {
      return null;
    }
    int hour = digits(value, at + 1, at + 3);
    int minute = digits(value, at + 4, at + 6);
    int second = 0;
    if (n == at + 9) {
      second = value.charAt(at + 6) == ':' ? digits(value, at + 7, at + 9) : -1;
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    return LocalDateTime.of(year, month, day, hour, minute, second);
  }

  private static boolean fits(int year, int month, int day) {
    return day <= YearMonth.of(year, month).lengthOfMonth();
  }

  /** The number written by the ASCII digits in [from, to), or -1 when one is no digit. */
  private static int digits(String value, int from, int to) {
    int number = 0;
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      number = number * 10 + (c - '0');
    }
    return number;
  }

  /** "…Z", "…+02:00" or "…-05:00" after the time of day. */
  private static boolean hasOffset(String value) {
    int time = Math.max(value.indexOf('T'), value.indexOf(' '));
    return value.endsWith("Z")
        || (time > 0 && (value.indexOf('+', time) > 0 || value.indexOf('-', time) > 0));
  }
}
