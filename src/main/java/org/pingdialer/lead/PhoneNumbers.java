package org.pingdialer.lead;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns numbers as people write them into {@link PhoneNumber}s, with libphonenumber: national
 * formats in the campaign's default region ({@code 030 1234567}, {@code 030/123 45 67}), the
 * international prefix ({@code 0049 30 1234567}) and the "+49 (0)30" habit. Thread-safe.
 */
public final class PhoneNumbers {
  /** Paid numbers a dialer must never call: the callee would pay, or we would. */
  private static final Set<PhoneNumber.Type> REFUSED =
      Set.of(PhoneNumber.Type.PREMIUM_RATE, PhoneNumber.Type.SHARED_COST);

  /** "+49 (0)30 ...": the trunk prefix written in brackets after the country code. */
  private static final Pattern BRACKETED_TRUNK_PREFIX =
      Pattern.compile("^(\\+\\d{1,3})\\s*\\(0\\)");

  private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
  private final String defaultRegion;

  /**
   * @param defaultRegion ISO 3166 alpha-2 region for numbers written without a country code
   */
  public PhoneNumbers(String defaultRegion) {
    String region = defaultRegion.toUpperCase(Locale.ROOT);
    if (!util.getSupportedRegions().contains(region)) {
      throw new IllegalArgumentException(
          "default_region '" + defaultRegion + "' is not a region code such as DE, AT, GB or US");
    }
    this.defaultRegion = region;
  }

  /** A parsed number, or why it cannot be dialed. */
  public sealed interface Parsed {
    /** The number is valid and may be dialed. */
    record Valid(PhoneNumber number) implements Parsed {}

    /** Not importable; {@code reason} says why and what to do. */
    record Rejected(String input, String reason, boolean paid) implements Parsed {
      /** Not a number, or not a valid one. */
      static Rejected invalid(String input, String reason) {
        return new Rejected(input, reason, false);
      }
    }
  }

  public Parsed parse(String input) {
    if (input == null || input.isBlank()) {
      return Parsed.Rejected.invalid(String.valueOf(input), "the number is empty");
    }
    String cleaned = BRACKETED_TRUNK_PREFIX.matcher(input.strip()).replaceFirst("$1 ");
    Phonenumber.PhoneNumber parsed;
    try {
      parsed = util.parse(cleaned, defaultRegion);
    } catch (NumberParseException e) {
      return Parsed.Rejected.invalid(input, "not a phone number (" + e.getMessage() + ")");
    }
    if (!util.isValidNumber(parsed)) {
      return Parsed.Rejected.invalid(
          input,
          "not a valid number for region "
              + util.getRegionCodeForNumber(parsed)
              + " (wrong length or unassigned range); check the digits or the default region "
              + defaultRegion);
    }
    PhoneNumber.Type type = PhoneNumber.Type.valueOf(util.getNumberType(parsed).name());
    if (REFUSED.contains(type)) {
      return new Parsed.Rejected(
          input,
          "a " + type.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " number is never dialed",
          true);
    }
    String region = util.getRegionCodeForNumber(parsed);
    return new Parsed.Valid(
        new PhoneNumber(
            util.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164),
            region,
            type,
            NumberTimezones.instance().zonesOf(region)));
  }
}
