package org.pingdialer.lead;

import java.time.Instant;
import java.util.Optional;

/**
 * Who the lead is and where it came from, as far as the file said.
 *
 * @param consent the consent text of the file (e.g. "yes", "web form 2026-03-01"), if any
 * @param consentAt when consent was given, if the file said
 */
public record Contact(
    Optional<String> firstName,
    Optional<String> lastName,
    Optional<String> fullName,
    Optional<String> email,
    Optional<String> source,
    Optional<String> consent,
    Optional<Instant> consentAt) {

  public static Contact none() {
    return new Contact(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
