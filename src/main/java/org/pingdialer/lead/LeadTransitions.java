package org.pingdialer.lead;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.pingdialer.lead.LeadEvent.CallLost;
import org.pingdialer.lead.LeadEvent.CheckInconclusive;
import org.pingdialer.lead.LeadEvent.CheckStarted;
import org.pingdialer.lead.LeadEvent.CheckedLive;
import org.pingdialer.lead.LeadEvent.Claimed;
import org.pingdialer.lead.LeadEvent.DialStarted;
import org.pingdialer.lead.LeadEvent.Finished;
import org.pingdialer.lead.LeadEvent.FoundDead;
import org.pingdialer.lead.LeadEvent.Released;
import org.pingdialer.lead.LeadEvent.Scheduled;

/**
 * A lead's life as a pure function: (state, event) → next state. The stores apply it inside the
 * transaction that writes the change and its audit row, so an illegal step changes nothing.
 *
 * <p>{@link #RULES} lists every allowed (state, event) pair; a test checks that the function and
 * the table agree and that every pair is exercised.
 */
public final class LeadTransitions {
  private LeadTransitions() {}

  static final Map<LeadState, Set<Class<? extends LeadEvent>>> RULES = rules();

  /** Outside a call only these end a lead: a sale or a refusal needs a call. */
  static final Set<LeadEvent.DoneReason> OUTSIDE_A_CALL =
      Set.of(LeadEvent.DoneReason.DNC, LeadEvent.DoneReason.MAX_ATTEMPTS);

  private static Map<LeadState, Set<Class<? extends LeadEvent>>> rules() {
    var rules = new EnumMap<LeadState, Set<Class<? extends LeadEvent>>>(LeadState.class);
    // Finished(DNC) is allowed from every live state: an opt-out or a DNC entry ends a lead at
    // once.
    rules.put(LeadState.NEW, Set.of(CheckStarted.class, Claimed.class, Finished.class));
    rules.put(
        LeadState.CHECKING,
        Set.of(CheckedLive.class, FoundDead.class, CheckInconclusive.class, Finished.class));
    rules.put(LeadState.LIVE, Set.of(Claimed.class, Finished.class));
    // Scheduled from QUEUED: a claimed lead given back for later, not now (a skipped preview).
    rules.put(
        LeadState.QUEUED,
        Set.of(DialStarted.class, Released.class, Scheduled.class, Finished.class));
    rules.put(
        LeadState.DIALING,
        Set.of(Scheduled.class, Finished.class, FoundDead.class, CallLost.class));
    rules.put(LeadState.WAITING, Set.of(Claimed.class, Finished.class));
    rules.put(LeadState.DEAD, Set.of());
    rules.put(LeadState.DONE, Set.of());
    return rules;
  }

  /**
   * The state after {@code event}.
   *
   * @throws IllegalLeadTransitionException when the event is not allowed in {@code state}
   */
  public static LeadState next(LeadState state, LeadEvent event) {
    if (!RULES.get(state).contains(event.getClass())) {
      throw new IllegalLeadTransitionException(state, event);
    }
    if (event instanceof Finished finished
        && state != LeadState.DIALING
        && !OUTSIDE_A_CALL.contains(finished.reason())) {
      throw new IllegalLeadTransitionException(state, event);
    }
    return switch (event) {
      case CheckStarted e -> LeadState.CHECKING;
      case CheckedLive e -> LeadState.LIVE;
      case FoundDead e -> LeadState.DEAD;
      case CheckInconclusive e -> LeadState.NEW;
      case Claimed e -> LeadState.QUEUED;
      case Released e -> LeadState.WAITING;
      case DialStarted e -> LeadState.DIALING;
      case Scheduled e -> LeadState.WAITING;
      case CallLost e -> LeadState.WAITING;
      case Finished e -> LeadState.DONE;
    };
  }

  /** An event arrived in a state that has no rule for it; the lead was not changed. */
  public static final class IllegalLeadTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    IllegalLeadTransitionException(LeadState state, LeadEvent event) {
      super(
          event
              + " is not allowed in state "
              + state
              + " (allowed: "
              + RULES.get(state).stream().map(Class::getSimpleName).sorted().toList()
              + (state == LeadState.DIALING ? "" : "; Finished only with " + OUTSIDE_A_CALL)
              + ")");
    }
  }
}
