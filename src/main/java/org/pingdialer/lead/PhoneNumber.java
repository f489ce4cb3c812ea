package org.pingdialer.lead;

import java.time.ZoneId;
import java.util.List;

/**
 * A dialable number, checked by libphonenumber.
 *
 * @param e164 with the leading '+', e.g. {@code +49301234567}
 * @param region the ISO 3166 region the number belongs to, e.g. {@code DE}
 * @param zones the time zones the callee may be in (one for most countries); calling windows must
 *     be open in all of them
 */
public record PhoneNumber(String e164, String region, Type type, List<ZoneId> zones) {
  public PhoneNumber {
    zones = List.copyOf(zones);
  }

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

  /** The zones as stored: IANA ids separated by spaces. */
  public String zoneIds() {
    return String.join(" ", zones.stream().map(ZoneId::getId).toList());
  }

  /** The digits the trunk dials: E.164 without the '+'. */
  public String dialDigits() {
    return e164.substring(1);
  }
}
