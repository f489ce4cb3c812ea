package org.pingdialer.lead;

import java.time.Instant;
import java.util.Optional;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;

/**
 * A stored lead and where it is in the loop.
 *
 * @param e164 the number, e.g. {@code +49301234567}
 * @param timezones the number's zones as IANA ids separated by spaces
 * @param attempts calls placed to this lead so far (line checks included)
 * @param claimedFor the campaign that claimed it from the hopper, while QUEUED or DIALING
 */
public record Lead(
    long id,
    String list,
    long line,
    String e164,
    PhoneNumber.Type type,
    String timezones,
    Contact contact,
    LeadState state,
    Instant stateSince,
    Optional<WaitReason> waitReason,
    Optional<Instant> dueAt,
    Optional<String> callbackAgent,
    Optional<DoneReason> doneReason,
    int attempts,
    Optional<String> claimedFor) {

  /** The digits the trunk dials. */
  public String dialDigits() {
    return e164.substring(1);
  }
}
