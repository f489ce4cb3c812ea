package org.pingdialer.agent;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pingdialer.agent.AgentEvent.CallEnded;
import org.pingdialer.agent.AgentEvent.Connected;
import org.pingdialer.agent.AgentEvent.LoggedIn;
import org.pingdialer.agent.AgentEvent.LoggedOut;
import org.pingdialer.agent.AgentEvent.PauseRequested;
import org.pingdialer.agent.AgentEvent.PhoneReachable;
import org.pingdialer.agent.AgentEvent.PhoneUnreachable;
import org.pingdialer.agent.AgentEvent.ReservationEnded;
import org.pingdialer.agent.AgentEvent.Reserved;
import org.pingdialer.agent.AgentEvent.Resumed;
import org.pingdialer.agent.AgentEvent.WrapUpEnded;
import org.pingdialer.agent.AgentState.PauseReason;
import org.pingdialer.agent.AgentState.Status;

/**
 * An agent's state as a pure function: (state, event) → next state. {@link #RULES} lists every
 * allowed pair; anything else is a bug in the caller and throws, leaving the agent unchanged.
 *
 * <p>Choices worth knowing: a pause asked for during a call, or while the agent is reserved for
 * one, is kept and taken when wrap-up (or the reservation) ends: the call is never cut, and a
 * callee answered for the agent is never left without it; an unreachable phone pauses the agent at
 * once, except on or reserved for a call, where the call's own end decides (a preview's reservation
 * is ended by the pool before a pause, so a pause there is at once); a second login replaces the
 * session from any state and leaves the agent READY, or paused if the agent had chosen a pause (the
 * caller hangs up the old phone channel and, mid-call, the customer leg with it).
 */
public final class AgentTransitions {
  private AgentTransitions() {}

  static final Map<Status, Set<Class<? extends AgentEvent>>> RULES = rules();

  private static Map<Status, Set<Class<? extends AgentEvent>>> rules() {
    var rules = new EnumMap<Status, Set<Class<? extends AgentEvent>>>(Status.class);
    rules.put(Status.LOGGED_OUT, Set.of(LoggedIn.class));
    rules.put(
        Status.READY,
        Set.of(
            LoggedIn.class,
            LoggedOut.class,
            Reserved.class,
            PauseRequested.class,
            PhoneUnreachable.class,
            PhoneReachable.class));
    rules.put(
        Status.RESERVED,
        Set.of(
            LoggedIn.class,
            // A preview's reservation passes to the call placed for it.
            Reserved.class,
            LoggedOut.class,
            Connected.class,
            ReservationEnded.class,
            PauseRequested.class,
            PhoneUnreachable.class,
            PhoneReachable.class));
    rules.put(
        Status.ON_CALL,
        Set.of(
            LoggedIn.class,
            LoggedOut.class,
            CallEnded.class,
            PauseRequested.class,
            PhoneUnreachable.class,
            PhoneReachable.class));
    rules.put(
        Status.WRAP_UP,
        Set.of(
            LoggedIn.class,
            LoggedOut.class,
            WrapUpEnded.class,
            PauseRequested.class,
            PhoneUnreachable.class,
            PhoneReachable.class));
    rules.put(
        Status.PAUSED,
        Set.of(
            LoggedIn.class,
            LoggedOut.class,
            PauseRequested.class,
            Resumed.class,
            PhoneUnreachable.class,
            PhoneReachable.class));
    return rules;
  }

  /**
   * The state after {@code event}.
   *
   * @throws IllegalAgentTransitionException when {@code event} has no rule in this state
   */
  public static AgentState next(AgentState state, AgentEvent event) {
    if (!RULES.get(state.status()).contains(event.getClass())) {
      throw new IllegalAgentTransitionException(state, event);
    }
    return switch (event) {
      case LoggedIn e -> relogin(state);
      case LoggedOut e -> AgentState.LOGGED_OUT;
      // A pause asked for while reserved stays pending when the reservation passes to the call.
      case Reserved e -> keepPending(Status.RESERVED, state);
      case ReservationEnded e ->
          state.pauseAfterCall().map(AgentState::paused).orElse(AgentState.READY);
      case Connected e -> keepPending(Status.ON_CALL, state);
      case CallEnded e -> keepPending(Status.WRAP_UP, state);
      case WrapUpEnded e -> state.pauseAfterCall().map(AgentState::paused).orElse(AgentState.READY);
      case PauseRequested e -> pause(state, e.reason());
      case Resumed e ->
          state.pause().filter(PauseReason::system).isPresent()
              ? state // a system pause (phone unreachable) ends only when its cause does
              : AgentState.READY;
      case PhoneUnreachable e -> unreachable(state);
      case PhoneReachable e -> reachable(state);
    };
  }

  private static AgentState relogin(AgentState state) {
    // A fresh phone session replaces the old one; a pause the agent chose stays.
    return state.pause().filter(p -> !p.system()).map(AgentState::paused).orElse(AgentState.READY);
  }

  private static AgentState keepPending(Status status, AgentState state) {
    return new AgentState(status, Optional.empty(), state.pauseAfterCall());
  }

  private static AgentState pause(AgentState state, PauseReason reason) {
    return switch (state.status()) {
      case READY, WRAP_UP, PAUSED -> AgentState.paused(reason);
      case RESERVED, ON_CALL ->
          new AgentState(state.status(), Optional.empty(), Optional.of(reason));
      case LOGGED_OUT ->
          throw new IllegalAgentTransitionException(state, new PauseRequested(reason));
    };
  }

  private static AgentState unreachable(AgentState state) {
    return state.status() == Status.ON_CALL || state.status() == Status.RESERVED
        ? new AgentState(
            state.status(), Optional.empty(), Optional.of(PauseReason.PHONE_UNREACHABLE))
        : AgentState.paused(PauseReason.PHONE_UNREACHABLE);
  }

  private static AgentState reachable(AgentState state) {
    if (state.status() == Status.PAUSED
        && state.pause().orElseThrow().equals(PauseReason.PHONE_UNREACHABLE)) {
      return AgentState.READY;
    }
    if (state.pauseAfterCall().filter(PauseReason.PHONE_UNREACHABLE::equals).isPresent()) {
      return new AgentState(state.status(), Optional.empty(), Optional.empty());
    }
    return state;
  }

  /** An event arrived in a state without a rule for it; the agent was not changed. */
  public static final class IllegalAgentTransitionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    IllegalAgentTransitionException(AgentState state, AgentEvent event) {
      super(
          event
              + " is not allowed in state "
              + state.status()
              + " (allowed: "
              + RULES.get(state.status()).stream().map(Class::getSimpleName).sorted().toList()
              + ")");
    }
  }
}
