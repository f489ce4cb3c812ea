package org.pingdialer.lead;

/**
 * A dialable number, checked by libphonenumber.
 *
 * @param e164 with the leading '+', e.g. {@code +49301234567}
 * @param region the ISO 3166 region the number belongs to, e.g. {@code DE}
 */
public record PhoneNumber(String e164, String region, Type type) {

  /** What kind of line the number is; premium and other paid numbers are never imported. */
  public enum Type {
    FIXED_LINE,
    MOBILE,
    FIXED_LINE_OR_MOBILE,
    TOLL_FREE,
    PREMIUM_RATE,
    SHARED_COST,
    VOIP,
    PERSONAL_NUMBER,
    PAGER,
    UAN,
    VOICEMAIL,
    UNKNOWN
  }

  /** The digits the trunk dials: E.164 without the '+'. */
  public String dialDigits() {
    return e164.substring(1);
  }
}
