package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                new PhoneNumber("+49301234567", "DE", PhoneNumber.Type.FIXED_LINE)));
  }

  @org.junit.jupiter.api.Test
  void mobileNumbersAreTypedAsMobileAndForeignNumbersKeepTheirRegion() {
    var mobile = (PhoneNumbers.Parsed.Valid) germany.parse("0151 23456789");
    assertThat(mobile.number().type()).isEqualTo(PhoneNumber.Type.MOBILE);
    assertThat(mobile.number().dialDigits()).isEqualTo("4915123456789");

    var london = (PhoneNumbers.Parsed.Valid) germany.parse("+44 20 7946 0958");
    assertThat(london.number().region()).isEqualTo("GB");
  }

  @org.junit.jupiter.api.Test
  void premiumRateNumbersAreRejectedWithTheReason() {
    assertThat(germany.parse("0900 1234567"))
        .isInstanceOfSatisfying(
            PhoneNumbers.Parsed.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo("a premium rate number is never dialed"));
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "hello", "030 12", "+49 30 12345678901234"})
  void invalidNumbersAreRejectedSayingWhy(String written) {
    assertThat(germany.parse(written)).isInstanceOf(PhoneNumbers.Parsed.Rejected.class);
  }

  @org.junit.jupiter.api.Test
  void anUnknownDefaultRegionIsAConfigurationError() {
    assertThatThrownBy(() -> new PhoneNumbers("Germany"))
        .hasMessageContaining("default_region 'Germany'");
  }
}
