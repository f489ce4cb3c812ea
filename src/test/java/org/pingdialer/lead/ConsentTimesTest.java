package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
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

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"yes", "2026-13-01", "32.01.2026", "March 1st", ""})
  void anythingElseIsNotATime(String written) {
    assertThat(ConsentTimes.parse(written, BERLIN)).isEmpty();
  }
}
