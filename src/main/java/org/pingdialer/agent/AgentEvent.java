package org.pingdialer.agent;

/** Something that happened to an agent; {@link AgentTransitions} decides the next state. */
public sealed interface AgentEvent {
  /** The phone entered Stasis with the right PIN and sits in the agent's bridge. */
  record LoggedIn() implements AgentEvent {}

  /** The phone hung up, or the API/CLI logged the agent out. */
  record LoggedOut(String why) implements AgentEvent {}

  /** The dialer chose this agent for an answered call or an agent-reserved redial. */
  record Reserved(String attempt) implements AgentEvent {}

  /** The reserved call did not reach the agent (callee gone, dial failed). */
  record ReservationEnded(String why) implements AgentEvent {}

  /** The customer's channel joined the agent's bridge. */
  record Connected(String attempt) implements AgentEvent {}

  /** The customer leg ended (either side hung up, or the agent ended it by DTMF/API). */
  record CallEnded(String why) implements AgentEvent {}

  /** Wrap-up time ran out, or the agent ended it early. */
  record WrapUpEnded() implements AgentEvent {}

  record PauseRequested(AgentState.PauseReason reason) implements AgentEvent {}

  record Resumed() implements AgentEvent {}

  /** AMI: the agent's phone became unreachable or unregistered. */
  record PhoneUnreachable() implements AgentEvent {}

  /** AMI: the agent's phone is reachable again. */
  record PhoneReachable() implements AgentEvent {}
}
