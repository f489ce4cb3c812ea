package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {
  private final PhoneNumbers germany = new PhoneNumbers("DE");

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "030 1234567",
        "0049 30 1234567",
        "+49 (0)30 1234567",
        "030/123 45 67",
        "+49 30 1234567",
        "+49301234567",
        "(030) 123-45-67"
      })
  void germanWritingsOfOneBerlinNumberAllBecomeTheSameE164(String written) {
    assertThat(germany.parse(written))
        .isEqualTo(
            new PhoneNumbers.Parsed.Valid(
                new PhoneNumber(
                    "+49301234567",
                    "DE",
                    PhoneNumber.Type.FIXED_LINE,
                    List.of(ZoneId.of("Europe/Berlin")))));
  }

  @Test
  void mobileNumbersAreTypedAsMobileAndForeignNumbersKeepTheirRegion() {
    var mobile = (PhoneNumbers.Parsed.Valid) germany.parse("0151 23456789");
    assertThat(mobile.number().type()).isEqualTo(PhoneNumber.Type.MOBILE);
    assertThat(mobile.number().dialDigits()).isEqualTo("4915123456789");

    var london = (PhoneNumbers.Parsed.Valid) germany.parse("+44 20 7946 0958");
    assertThat(london.number().region()).isEqualTo("GB");
  }

  @Test
  void timezonesComeFromTheRegionWithZonesOfTheSameClockMerged() {
    var london = (PhoneNumbers.Parsed.Valid) germany.parse("+44 20 7946 0958");
    assertThat(london.number().zoneIds()).isEqualTo("Europe/London");
    // Germany's tz entries are Berlin and Busingen: one clock, one zone.
    var berlin = (PhoneNumbers.Parsed.Valid) germany.parse("030 1234567");
    assertThat(berlin.number().zoneIds()).isEqualTo("Europe/Berlin");
    // The US without area-code data: every distinct US clock, a window must fit all of them.
    var us =
        (PhoneNumbers.Parsed.Valid)
            germany.parse("+1 212 555 0100".replace("555 0100", "736 2000"));
    assertThat(us.number().zones())
        .extracting(ZoneId::getId)
        .contains("America/New_York", "America/Chicago", "America/Los_Angeles", "Pacific/Honolulu")
        .doesNotContain("America/Detroit");
  }

  @Test
  void theLabsNumberPlanIsValidGermanFixedLine() {
    // The simulated network's numbers (4930999 PP NNNN) must import like bought data.
    var lab = (PhoneNumbers.Parsed.Valid) germany.parse("+4930999100001");
    assertThat(lab.number().type()).isEqualTo(PhoneNumber.Type.FIXED_LINE);
  }

  @Test
  void premiumRateNumbersAreRejectedWithTheReason() {
    assertThat(germany.parse("0900 1234567"))
        .isInstanceOfSatisfying(
            PhoneNumbers.Parsed.Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo("a premium rate number is never dialed");
              assertThat(r.paid()).isTrue();
            });
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "hello", "030 12", "+49 30 12345678901234"})
  void invalidNumbersAreRejectedSayingWhy(String written) {
    assertThat(germany.parse(written))
        .isInstanceOfSatisfying(
            PhoneNumbers.Parsed.Rejected.class, r -> assertThat(r.paid()).isFalse());
  }

  @Test
  void anUnknownDefaultRegionIsAConfigurationError() {
    assertThatThrownBy(() -> new PhoneNumbers("Germany"))
        .hasMessageContaining("default_region 'Germany'");
  }
}
