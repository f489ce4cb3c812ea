package org.pingdialer.call.ami;

import java.time.Instant;
import java.util.Locale;

/**
 * An agent phone's registration changed, as AMI's {@code ContactStatus} event reports it.
 *
 * @param endpoint the PJSIP endpoint, e.g. {@code agent1}
 * @param uri the registered contact, e.g. {@code sip:agent1@127.0.0.1:5070}
 * @param receivedAt when the controller received the event (AMI events carry no timestamp)
 */
public record ContactStatus(
    String endpoint, String aor, String uri, Status status, Instant receivedAt) {

  /** Asterisk 22's contact states; anything new maps to {@link #UNKNOWN}. */
  public enum Status {
    /** A REGISTER added the contact. */
    CREATED,
    /** Registered, and answering qualify OPTIONS. */
    REACHABLE,
    /** Registered, but not answering qualify OPTIONS: the phone is gone. */
    UNREACHABLE,
    /** Registered with qualify off. */
    NON_QUALIFIED,
    /** The contact was refreshed. */
    UPDATED,
    /** Unregistered or expired. */
    REMOVED,
    UNKNOWN;

    static Status fromAmi(String value) {
      if (value == null) {
        return UNKNOWN;
      }
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "created" -> CREATED;
        case "reachable" -> REACHABLE;
        case "unreachable" -> UNREACHABLE;
        case "nonqualified", "unqualified" -> NON_QUALIFIED;
        case "updated" -> UPDATED;
        case "removed" -> REMOVED;
        default -> UNKNOWN;
      };
    }

    /** Whether a phone in this state can take calls. */
    public boolean isRegistered() {
      return this == CREATED || this == REACHABLE || this == NON_QUALIFIED || this == UPDATED;
    }
  }
}
