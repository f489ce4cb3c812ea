package org.pingdialer.call;

/**
 * How an attempt ended, as the dialer sets it (the agent's disposition is separate). The raw hangup
 * cause is always stored beside it.
 */
public enum DialOutcome {
  /** A person answered and was connected to an agent. */
  ANSWERED,
  /** An answering machine answered (AMD). */
  MACHINE,
  BUSY,
  /** Rang without answer until our ring timeout (or the network gave up). */
  NO_ANSWER,
  /** The number does not exist (cause 1, SIP 404). */
  UNALLOCATED,
  /** The number is malformed or changed (cause 28 / 22). */
  INVALID_NUMBER,
  /** The network is congested or temporarily failing: try again soon. */
  CONGESTION,
  /** The callee or the network declined the call. */
  REJECTED,
  /** The phone is off or out of order. */
  UNAVAILABLE,
  /** Answered, but no agent was free: the drop message played (or, in the lab, silence). */
  ABANDONED,
  /** The callee hung up after answering, before an agent was connected, or while ringing. */
  CALLEE_HUNGUP,
  /** Our side failed: a configuration or controller error, or Asterisk refused the call. */
  FAILED,
  /**
   * Lost to a failure on our side, not the callee's doing: the controller died during the call (the
   * next run found it unfinished), Asterisk shut down under it, refused to create its channel,
   * failed (5xx) or did not answer a request before the callee answered, or its channel id was
   * taken. Not a dial attempt for the lead's caps and dialed again, unless a person answered it
   * (see {@link #asLived}).
   */
  LOST,
  /** A hangup cause we have no rule for; the raw cause is stored and nothing is guessed. */
  UNKNOWN;

  /**
   * What the callee lived, where people are counted (the abandon rate, the redial-after-abandon
   * rule): a {@link #LOST} call a person answered and no agent took was dropped on them whoever's
   * failure it was, so it is {@link #ABANDONED}; one lost while with an agent is {@link #ANSWERED};
   * one never answered stays LOST (nobody lived it). Other outcomes are what they are.
   */
  public DialOutcome asLived(boolean answered, boolean withAgent) {
    if (this != LOST || !answered) {
      return this;
    }
    return withAgent ? ANSWERED : ABANDONED;
  }
}
