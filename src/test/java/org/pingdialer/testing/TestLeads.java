package org.pingdialer.testing;

import java.time.Instant;
import java.util.Optional;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.PhoneNumber;

/** Leads for unit tests that need one but not a store: a Berlin fixed line, no contact. */
public final class TestLeads {
  private TestLeads() {}

  /**
   * Lead {@code id} of list {@code l} in {@code state} since {@code since}, with {@code attempts}
   * calls so far, claimed for {@code claimedFor}.
   */
  public static Lead lead(
      long id, LeadState state, Instant since, int attempts, String claimedFor) {
    return new Lead(
        id,
        "l",
        1,
        "+4930999200001",
        PhoneNumber.Type.FIXED_LINE,
        "Europe/Berlin",
        Contact.none(),
        state,
        since,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        attempts,
        Optional.of(claimedFor));
  }
}
