package org.pingdialer.lead;

/**
 * Where a lead is in the loop. {@link LeadTransitions} says which events move it on; DEAD and DONE
 * are terminal.
 */
public enum LeadState {
  /** Imported, not yet checked or dialed. */
  NEW,
  /** A line check call is in progress. */
  CHECKING,
  /** The line check found the number live (ringing, busy or answered). */
  LIVE,
  /** The number is dead (unallocated, intercept, invalid); never dialed again. */
  DEAD,
  /** Claimed from the hopper by a dialer, about to be dialed. */
  QUEUED,
  /** A call to the lead is in progress. */
  DIALING,
  /** Waiting until {@code dueAt}: a redial or a callback. */
  WAITING,
  /** Finished for good; {@code doneReason} says why. */
  DONE;

  public boolean isTerminal() {
    return this == DEAD || this == DONE;
  }
}
