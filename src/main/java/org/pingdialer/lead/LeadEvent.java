package org.pingdialer.lead;

import java.time.Instant;
import java.util.Optional;

/** Something that happened to a lead; {@link LeadTransitions} decides its next state. */
public sealed interface LeadEvent {

  /** A line check call was placed. */
  record CheckStarted() implements LeadEvent {}

  /** The line check heard the line ring, busy or answer. */
  record CheckedLive() implements LeadEvent {}

  /** The number is dead (line check or a dial): {@code why} is the outcome, e.g. UNALLOCATED. */
  record FoundDead(String why) implements LeadEvent {}

  /** The line check could not tell (congestion, our failure); the lead is checked again later. */
  record CheckInconclusive() implements LeadEvent {}

  /** The hopper handed the lead to {@code claimer} for {@code campaign}. */
  record Claimed(String campaign, String claimer) implements LeadEvent {}

  /** The dialer gave a claimed lead back without dialing it (stopped, paused, shut down). */
  record Released(String why) implements LeadEvent {}

  /** The call was placed. */
  record DialStarted() implements LeadEvent {}

  /**
   * The call was lost to a failure of ours, not the callee's doing (a controller killed during it,
   * an Asterisk restart, an id taken): the lead waits to be dialed again at once, and the call is
   * not counted against its attempts. A callback or an agent redial keeps its reason and agent.
   */
  record CallLost(String why) implements LeadEvent {}

  /** The lead is to be called again at {@code due}; a callback may belong to one agent. */
  record Scheduled(WaitReason reason, Instant due, Optional<String> agent) implements LeadEvent {}

  /** Finished for good. */
  record Finished(DoneReason reason) implements LeadEvent {}

  /** Why a lead waits. Agent-reserved redials and callbacks go first in the hopper. */
  enum WaitReason {
    /** An ordinary retry (busy, no answer, ...). */
    REDIAL(0),
    /** Given back unused by a dialer. */
    RELEASED(0),
    /** Redial after an abandon or a machine: only with an agent reserved first. */
    AGENT_REDIAL(2),
    /** The callee asked to be called back at a time. */
    CALLBACK(2);

    private final int priority;

    WaitReason(int priority) {
      this.priority = priority;
    }

    /** Higher is claimed first. */
    public int priority() {
      return priority;
    }
  }

  /** Why a lead is done. */
  enum DoneReason {
    SALE,
    REFUSED,
    DNC,
    WRONG_NUMBER,
    MAX_ATTEMPTS
  }
}
