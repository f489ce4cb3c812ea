package org.pingdialer.lead;

import java.util.List;

/** What a column of a lead file can mean, and the header names that mean it by default. */
public enum LeadField {
  PHONE(
      "phone",
      "telefon",
      "telefonnummer",
      "tel",
      "phone number",
      "phonenumber",
      "rufnummer",
      "number",
      "nummer",
      "mobile",
      "mobil",
      "handy",
      "mobilnummer"),
  FIRST_NAME("first name", "firstname", "vorname", "given name"),
  LAST_NAME("last name", "lastname", "nachname", "surname", "family name", "familienname"),
  NAME("name", "full name", "fullname"),
  EMAIL("email", "e-mail", "mail", "e mail"),
  SOURCE("source", "quelle", "lead source", "herkunft"),
  CONSENT("consent", "einwilligung", "opt in", "optin"),
  CONSENT_AT(
      "consent at",
      "consent date",
      "consent time",
      "consent timestamp",
      "einwilligung datum",
      "einwilligungsdatum",
      "opt in date",
      "optin date");

  @SuppressWarnings("ImmutableEnumChecker") // List.of: immutable, Error Prone cannot tell
  private final List<String> names;

  LeadField(String... names) {
    this.names = List.of(names);
  }

  /** Header names that map to this field, normalised (lower case, '_' and '-' as spaces). */
  List<String> names() {
    return names;
  }
}
