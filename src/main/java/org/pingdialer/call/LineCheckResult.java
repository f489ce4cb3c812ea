package org.pingdialer.call;

/** What a line check ("ping") learned about a number. */
public enum LineCheckResult {
  /** A phone rang, answered or was busy: the number is in service. */
  LIVE,
  /** Unallocated, invalid or intercepted: do not dial it. */
  DEAD,
  /** The network could not tell (congestion, unavailable, our failure): check again later. */
  UNKNOWN;

  /** Derives the result from how the attempt ended and what it heard on the way. */
  static LineCheckResult of(DialOutcome outcome, Timeline timeline) {
    return switch (outcome) {
      case UNALLOCATED, INVALID_NUMBER -> DEAD;
      case BUSY, ANSWERED, MACHINE, ABANDONED -> LIVE;
      case NO_ANSWER, CALLEE_HUNGUP, REJECTED -> timeline.ringingAt() != null ? LIVE : UNKNOWN;
      case CONGESTION, UNAVAILABLE, FAILED, UNKNOWN, LOST ->
          timeline.ringingAt() != null || timeline.answeredAt() != null ? LIVE : UNKNOWN;
    };
  }
}
