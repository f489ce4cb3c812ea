package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pingdialer.campaign.spec.Campaign.CallingWindows;
import org.pingdialer.campaign.spec.Campaign.TimeRange;

class CallingWindowsTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** Weekdays 08:00-21:00; Saturday not listed; Sunday listed without ranges. */
  static final CallingWindows WINDOWS =
      new CallingWindows(
          Map.of(
              DayOfWeek.MONDAY,
              List.of(new TimeRange(LocalTime.of(8, 0), LocalTime.of(21, 0))),
              DayOfWeek.SUNDAY,
              List.of()));

  /** 2026-06-01 is a Monday. */
  static ZonedDateTime monday(int hour, int minute, int second) {
    return ZonedDateTime.of(2026, 6, 1, hour, minute, second, 0, BERLIN);
  }

  @Test
  void opensAtTheFirstMinuteOfTheRange() {
    assertThat(WINDOWS.isOpen(monday(8, 0, 0))).isTrue();
    assertThat(WINDOWS.isOpen(monday(7, 59, 59))).isFalse();
  }

  @Test
  void closesAtTheEndOfTheRange() {
    assertThat(WINDOWS.isOpen(monday(20, 59, 59))).isTrue();
    assertThat(WINDOWS.isOpen(monday(21, 0, 0))).isFalse();
  }

  @Test
  void aDayWithoutRangesIsClosedAllDay() {
    assertThat(WINDOWS.isOpen(monday(12, 0, 0).plusDays(5))).isFalse(); // Saturday, not listed
    assertThat(WINDOWS.isOpen(monday(12, 0, 0).plusDays(6))).isFalse(); // Sunday: []
  }

  @Test
  void isOpenReadsTheTimeInTheLeadsOwnZone() {
    // 13:00 in New York is 19:00 in Berlin: the lead's local clock (13:00) decides.
    ZonedDateTime newYork =
        ZonedDateTime.of(2026, 6, 1, 7, 30, 0, 0, ZoneId.of("America/New_York"));
    assertThat(WINDOWS.isOpen(newYork)).isFalse();
    assertThat(WINDOWS.isOpen(newYork.withZoneSameInstant(BERLIN))).isTrue();
  }

  @Test
  void severalRangesOnOneDayAreEachOpen() throws CampaignFileException {
    CallingWindows windows =
        CampaignFiles.parse(CampaignFilesTest.STRICT, "summer.yaml").callingWindows();

    assertThat(windows.isOpen(monday(11, 59, 0))).isTrue();
    assertThat(windows.isOpen(monday(12, 30, 0))).isFalse(); // lunch gap 12:00-13:00
    assertThat(windows.isOpen(monday(13, 0, 0))).isTrue();
  }
}
