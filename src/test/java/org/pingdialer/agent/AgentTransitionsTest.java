package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
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

class AgentTransitionsTest {
  private static final PauseReason BREAK = PauseReason.byAgent("break");
  private static final PauseReason UNREACHABLE = PauseReason.PHONE_UNREACHABLE;

  private static final List<AgentEvent> EVENTS =
      List.of(
          new LoggedIn(),
          new LoggedOut("hung up"),
          new Reserved("pd-c1-000000000001"),
          new ReservationEnded("callee gone"),
          new Connected("pd-c1-000000000001"),
          new CallEnded("customer hung up"),
          new WrapUpEnded(),
          new PauseRequested(BREAK),
          new Resumed(),
          new PhoneUnreachable(),
          new PhoneReachable());

  private static AgentState state(Status status) {
    return status == Status.PAUSED ? AgentState.paused(BREAK) : AgentState.of(status);
  }

  private static AgentState onCallWithPending(PauseReason reason) {
    return new AgentState(Status.ON_CALL, Optional.empty(), Optional.of(reason));
  }

  private static AgentState reservedWithPending(PauseReason reason) {
    return new AgentState(Status.RESERVED, Optional.empty(), Optional.of(reason));
  }

  /** Every (state, event) pair and its expected next state; null = not allowed. */
  @Test
  void everyPairOfTheTableHasItsExpectedResult() {
    Object[][] expected = {
      // LOGGED_OUT
      {Status.LOGGED_OUT, LoggedIn.class, AgentState.READY},
      // READY
      {Status.READY, LoggedIn.class, AgentState.READY},
      {Status.READY, LoggedOut.class, AgentState.LOGGED_OUT},
      {Status.READY, Reserved.class, AgentState.of(Status.RESERVED)},
      {Status.READY, PauseRequested.class, AgentState.paused(BREAK)},
      {Status.READY, PhoneUnreachable.class, AgentState.paused(UNREACHABLE)},
      {Status.READY, PhoneReachable.class, AgentState.READY},
      // RESERVED
      {Status.RESERVED, LoggedIn.class, AgentState.READY},
      {Status.RESERVED, Reserved.class, AgentState.of(Status.RESERVED)},
      {Status.RESERVED, LoggedOut.class, AgentState.LOGGED_OUT},
      {Status.RESERVED, Connected.class, AgentState.of(Status.ON_CALL)},
      {Status.RESERVED, ReservationEnded.class, AgentState.READY},
      {Status.RESERVED, PauseRequested.class, reservedWithPending(BREAK)},
      {Status.RESERVED, PhoneUnreachable.class, reservedWithPending(UNREACHABLE)},
      {Status.RESERVED, PhoneReachable.class, AgentState.of(Status.RESERVED)},
      // ON_CALL
      {Status.ON_CALL, LoggedIn.class, AgentState.READY},
      {Status.ON_CALL, LoggedOut.class, AgentState.LOGGED_OUT},
      {Status.ON_CALL, CallEnded.class, AgentState.of(Status.WRAP_UP)},
      {Status.ON_CALL, PauseRequested.class, onCallWithPending(BREAK)},
      {Status.ON_CALL, PhoneUnreachable.class, onCallWithPending(UNREACHABLE)},
      {Status.ON_CALL, PhoneReachable.class, AgentState.of(Status.ON_CALL)},
      // WRAP_UP
      {Status.WRAP_UP, LoggedIn.class, AgentState.READY},
      {Status.WRAP_UP, LoggedOut.class, AgentState.LOGGED_OUT},
      {Status.WRAP_UP, WrapUpEnded.class, AgentState.READY},
      {Status.WRAP_UP, PauseRequested.class, AgentState.paused(BREAK)},
      {Status.WRAP_UP, PhoneUnreachable.class, AgentState.paused(UNREACHABLE)},
      {Status.WRAP_UP, PhoneReachable.class, AgentState.of(Status.WRAP_UP)},
      // PAUSED (by the agent, for a break)
      {Status.PAUSED, LoggedIn.class, AgentState.paused(BREAK)},
      {Status.PAUSED, LoggedOut.class, AgentState.LOGGED_OUT},
      {Status.PAUSED, PauseRequested.class, AgentState.paused(BREAK)},
      {Status.PAUSED, Resumed.class, AgentState.READY},
      {Status.PAUSED, PhoneUnreachable.class, AgentState.paused(UNREACHABLE)},
      {Status.PAUSED, PhoneReachable.class, AgentState.paused(BREAK)},
    };
    int allowed = 0;
    for (Status status : Status.values()) {
      for (AgentEvent event : EVENTS) {
        Object result = null;
        for (Object[] row : expected) {
          if (row[0] == status && row[1] == event.getClass()) {
            result = row[2];
          }
        }
        boolean inTable = AgentTransitions.RULES.get(status).contains(event.getClass());
        assertThat(inTable).as("%s in %s", event, status).isEqualTo(result != null);
        if (result == null) {
          assertThatThrownBy(() -> AgentTransitions.next(state(status), event))
              .isInstanceOf(AgentTransitions.IllegalAgentTransitionException.class)
              .hasMessageContaining("not allowed in state " + status);
        } else {
          assertThat(AgentTransitions.next(state(status), event))
              .as("%s in %s", event, status)
              .isEqualTo(result);
          allowed++;
        }
      }
    }
    assertThat(allowed).isEqualTo(expected.length);
  }

  @Test
  void aPauseAskedForWhileReservedForACallWaitsForTheCallOrTheReservationsEnd() {
    AgentState reserved = AgentState.of(Status.RESERVED);
    AgentState pending = AgentTransitions.next(reserved, new PauseRequested(BREAK));
    assertThat(pending.canTakeCall()).isFalse();
    // The callee answered for the agent is connected to it.
    assertThat(AgentTransitions.next(pending, new Connected("c1-1")))
        .isEqualTo(onCallWithPending(BREAK));
    // The reservation passes to the call placed for it: the pause still waits.
    assertThat(AgentTransitions.next(pending, new Reserved("c1-1"))).isEqualTo(pending);
    // The call was never answered: the pause starts then.
    assertThat(AgentTransitions.next(pending, new ReservationEnded("no answer")))
        .isEqualTo(AgentState.paused(BREAK));
  }

  @Test
  void aPauseAskedForDuringACallIsTakenWhenWrapUpEnds() {
    AgentState state = AgentState.of(Status.ON_CALL);
    state = AgentTransitions.next(state, new PauseRequested(BREAK));
    assertThat(state.canTakeCall()).isFalse();
    state = AgentTransitions.next(state, new CallEnded("customer hung up"));
    assertThat(state.status()).isEqualTo(Status.WRAP_UP);
    state = AgentTransitions.next(state, new WrapUpEnded());
    assertThat(state).isEqualTo(AgentState.paused(BREAK));
  }

  @Test
  void anUnreachablePhonePausesUntilItIsReachableAndResumeCannotOverrideIt() {
    AgentState state = AgentTransitions.next(AgentState.READY, new PhoneUnreachable());
    assertThat(state.canTakeCall()).isFalse();
    assertThat(AgentTransitions.next(state, new Resumed())).isEqualTo(state);
    assertThat(AgentTransitions.next(state, new PhoneReachable())).isEqualTo(AgentState.READY);

    AgentState midCall =
        AgentTransitions.next(AgentState.of(Status.ON_CALL), new PhoneUnreachable());
    AgentState backDuringCall = AgentTransitions.next(midCall, new PhoneReachable());
    assertThat(backDuringCall).isEqualTo(AgentState.of(Status.ON_CALL));
    AgentState afterCall =
        AgentTransitions.next(
            AgentTransitions.next(midCall, new CallEnded("x")), new WrapUpEnded());
    assertThat(afterCall).isEqualTo(AgentState.paused(UNREACHABLE));
  }

  @Test
  void aNewLoginClearsASystemPauseButKeepsTheAgentsOwn() {
    assertThat(AgentTransitions.next(AgentState.paused(UNREACHABLE), new LoggedIn()))
        .isEqualTo(AgentState.READY);
    assertThat(AgentTransitions.next(AgentState.paused(BREAK), new LoggedIn()))
        .isEqualTo(AgentState.paused(BREAK));
  }

  @Test
  void onlyReadyAgentsTakeCalls() {
    for (Status status : Status.values()) {
      assertThat(state(status).canTakeCall()).as("%s", status).isEqualTo(status == Status.READY);
    }
  }
}
