package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConsentTimesTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @CsvSource({
    "2026-03-01, 2026-02-28T23:00:00Z",
    "2026-03-01 14:30, 2026-03-01T13:30:00Z",
    "2026-03-01T14:30:15, 2026-03-01T13:30:15Z",
    "2026-03-01T14:30:00Z, 2026-03-01T14:30:00Z",
    "2026-07-01T14:30:00+02:00, 2026-07-01T12:30:00Z",
    "01.03.2026, 2026-02-28T23:00:00Z",
    "1.3.2026 14:30, 2026-03-01T13:30:00Z",
    "' 01.07.2026 09:05:30 ', 2026-07-01T07:05:30Z"
  })
  void readsIsoAndGermanWritings(String written, String expected) {
    assertThat(ConsentTimes.parse(written, BERLIN)).contains(Instant.parse(expected));
  }

  /**
   * The hand-read shapes must read exactly as the formatters read them, valid or not: every writing
   * below through both paths, in a zone with a DST gap at 02:00.
   */
  @Test
  void theFastPathReadsEveryValueAsTheFormattersDo() {
    List<String> dates = new ArrayList<>();
    for (String day : List.of("1", "01", "28", "29", "30", "31", "32", "0", "7x")) {
      for (String month : List.of("2", "02", "3", "12", "13", "0")) {
        for (String year : List.of("2024", "2026", "0000", "26", "20266")) {
          dates.add(day + "." + month + "." + year);
          dates.add(year + "-" + pad(month) + "-" + pad(day));
        }
      }
    }
    List<String> times =
        List.of(
            "",
            " 14:30",
            " 14:30:15",
            " 02:30",
            " 24:00",
            " 23:60",
            " 9:05",
            " 14:30:5",
            "T14:30",
            " 14:30:15Z",
            " 14:30+02:00",
            "14:30",
            "  14:30",
            " 14-30");
    int compared = 0;
    for (String date : dates) {
      for (String time : times) {
        String value = date + time;
        assertThat(ConsentTimes.parse(value, BERLIN))
            .as(value)
            .isEqualTo(ConsentTimes.parseWithFormatters(value, BERLIN));
        compared++;
      }
    }
    assertThat(compared).isEqualTo(9 * 6 * 5 * 2 * times.size());
    // Both paths must have had something to agree on.
    assertThat(ConsentTimes.parse("29.02.2024 02:30", BERLIN))
        .contains(Instant.parse("2024-02-29T01:30:00Z"));
    assertThat(ConsentTimes.parse("2026-03-29 02:30", BERLIN))
        .contains(Instant.parse("2026-03-29T01:30:00Z"));
  }

  private static String pad(String part) {
    return part.length() == 1 ? "0" + part : part;
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"yes", "2026-13-01", "32.01.2026", "March 1st", ""})
  void anythingElseIsNotATime(String written) {
    assertThat(ConsentTimes.parse(written, BERLIN)).isEmpty();
  }
}
