package org.pingdialer.campaign.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pingdialer.call.DialPolicy.Profile;
import org.pingdialer.campaign.spec.Campaign.CallingWindows;
import org.pingdialer.campaign.spec.Campaign.TimeRange;

/**
 * Reads {@code calling_windows}: keys are a day ({@code sat}) or a forward day range ({@code
 * mon-fri}); values are one {@code HH:MM-HH:MM} range, a list of them, or {@code []} for no calls.
 */
final class CallingWindowsReader {
  /** US rule (FTC/FCC), kept in the callee's local time: 08:00–21:00. */
  static final LocalTime STRICT_EARLIEST = LocalTime.of(8, 0);

  static final LocalTime STRICT_LATEST = LocalTime.of(21, 0);

  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
  private static final Pattern DAY_KEY =
      Pattern.compile("(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?");
  private static final Pattern RANGE =
      Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

  private final Problems problems;
  private final Profile profile;

  CallingWindowsReader(Problems problems, Profile profile) {
    this.problems = problems;
    this.profile = profile;
  }

  Optional<CallingWindows> read(JsonNode node, String path) {
    if (!node.isObject()) {
      problems.add(
          path, "must be a mapping of days to time ranges, e.g. mon-fri: 09:00-20:00", show(node));
      return Optional.empty();
    }
    Map<DayOfWeek, List<TimeRange>> days = new EnumMap<>(DayOfWeek.class);
    Map<DayOfWeek, String> setBy = new EnumMap<>(DayOfWeek.class);
    boolean valid = true;
    for (var entry : node.properties()) {
      String key = entry.getKey();
      String place = path + "." + key;
      Optional<List<DayOfWeek>> keyDays = days(key, place);
      if (keyDays.isEmpty()) {
        valid = false;
        continue;
      }
      Optional<List<TimeRange>> ranges = ranges(entry.getValue(), place);
      valid &= ranges.isPresent();
      for (DayOfWeek day : keyDays.get()) {
        String earlier = setBy.putIfAbsent(day, key);
        if (earlier != null) {
          problems.add(
              place,
              dayName(day) + " is already set by " + earlier + "; give each day one entry",
              key);
          valid = false;
        }
        days.put(day, ranges.orElse(List.of()));
      }
    }
    if (valid && days.values().stream().allMatch(List::isEmpty)) {
      problems.add(
          path, "no day has a calling range, so the campaign would never dial", show(node));
      return Optional.empty();
    }
    return valid ? Optional.of(new CallingWindows(days)) : Optional.empty();
  }

  private Optional<List<DayOfWeek>> days(String key, String place) {
    Matcher m = DAY_KEY.matcher(key);
    if (!m.matches()) {
      problems.add(
          place, "not a day; write mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri");
      return Optional.empty();
    }
    int first = DAYS.indexOf(m.group(1));
    int last = m.group(2) == null ? first : DAYS.indexOf(m.group(2));
    if (last < first) {
      problems.add(
          place, "a day range runs forward from mon to sun; split it, e.g. fri-sun and mon", key);
      return Optional.empty();
    }
    List<DayOfWeek> result = new ArrayList<>();
    for (int i = first; i <= last; i++) {
      result.add(DayOfWeek.of(i + 1));
    }
    return Optional.of(result);
  }

  private Optional<List<TimeRange>> ranges(JsonNode value, String place) {
    if (value.isNull()) {
      return Optional.of(List.of());
    }
    if (value.isTextual()) {
      return range(value.asText(), place + "[0]").map(List::of);
    }
    if (!value.isArray()) {
      problems.add(
          place,
          "must be a time range such as 09:00-20:00, a list of them, or [] for no calls",
          show(value));
      return Optional.empty();
    }
    List<TimeRange> ranges = new ArrayList<>();
    boolean valid = true;
    for (int i = 0; i < value.size(); i++) {
      String item = place + "[" + i + "]";
      JsonNode element = value.get(i);
      Optional<TimeRange> range =
          element.isTextual() ? range(element.asText(), item) : Optional.empty();
      if (!element.isTextual()) {
        problems.add(item, "must be a time range such as 09:00-20:00", show(element));
      }
      if (range.isEmpty()) {
        valid = false;
        continue;
      }
      for (int j = 0; j < ranges.size(); j++) {
        if (ranges.get(j).overlaps(range.get())) {
          problems.add(
              item,
              "overlaps "
                  + ranges.get(j)
                  + " ("
                  + place
                  + "["
                  + j
                  + "]); merge them into one range",
              element.asText());
          valid = false;
        }
      }
      ranges.add(range.get());
    }
    return valid ? Optional.of(ranges) : Optional.empty();
  }

  private Optional<TimeRange> range(String text, String place) {
    Matcher m = RANGE.matcher(text.strip());
    if (!m.matches()) {
      problems.add(place, "must be a time range HH:MM-HH:MM such as 09:00-12:30", text);
      return Optional.empty();
    }
    Optional<LocalTime> start = time(m.group(1), m.group(2));
    Optional<LocalTime> end =
        "24".equals(m.group(3)) && "00".equals(m.group(4))
            ? Optional.of(TimeRange.MIDNIGHT)
            : time(m.group(3), m.group(4));
    if (start.isEmpty() || end.isEmpty()) {
      problems.add(
          place,
          "hours run 00-23 and minutes 00-59; a range that calls until midnight ends at 24:00",
          text);
      return Optional.empty();
    }
    if (!start.get().isBefore(end.get())) {
      problems.add(place, "must end after it starts (ranges do not cross midnight)", text);
      return Optional.empty();
    }
    if (profile == Profile.STRICT
        && (start.get().isBefore(STRICT_EARLIEST) || end.get().isAfter(STRICT_LATEST))) {
      problems.add(
          place, "must lie within 08:00-21:00 (the callee's local time) in profile strict", text);
      return Optional.empty();
    }
    return Optional.of(new TimeRange(start.get(), end.get()));
  }

  private static Optional<LocalTime> time(String hours, String minutes) {
    int h = Integer.parseInt(hours);
    int m = Integer.parseInt(minutes);
    return h <= 23 && m <= 59 ? Optional.of(LocalTime.of(h, m)) : Optional.empty();
  }

  private static String dayName(DayOfWeek day) {
    return DAYS.get(day.getValue() - 1);
  }

  private static String show(JsonNode node) {
    return YamlMap.show(node);
  }
}
