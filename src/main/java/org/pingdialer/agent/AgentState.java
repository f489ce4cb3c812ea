package org.pingdialer.agent;

import java.util.Optional;

/**
 * Where an agent is, as the campaign loop owns it. Only READY agents are given calls.
 *
 * @param status the state's name
 * @param pause why the agent is paused (PAUSED only)
 * @param pauseAfterCall a pause the agent asked for during a call, taken when the call's wrap-up
 *     ends
 */
public record AgentState(
    Status status, Optional<PauseReason> pause, Optional<PauseReason> pauseAfterCall) {

  public enum Status {
    LOGGED_OUT,
    READY,
    /** A call is being connected to the agent, or an agent-reserved redial is being placed. */
    RESERVED,
    ON_CALL,
    WRAP_UP,
    PAUSED
  }

  public static final AgentState LOGGED_OUT = of(Status.LOGGED_OUT);
  public static final AgentState READY = of(Status.READY);

  static AgentState of(Status status) {
    return new AgentState(status, Optional.empty(), Optional.empty());
  }

  static AgentState paused(PauseReason reason) {
    return new AgentState(Status.PAUSED, Optional.of(reason), Optional.empty());
  }

  /** True when the dialer may give this agent a call. */
  public boolean canTakeCall() {
    return status == Status.READY;
  }

  /**
   * Why an agent does not take calls. System reasons are set by the controller; campaigns add their
   * own codes (e.g. "break", "training").
   */
  public record PauseReason(String code, boolean system) {
    /** AMI reports the agent's phone unreachable or unregistered. */
    public static final PauseReason PHONE_UNREACHABLE = new PauseReason("phone-unreachable", true);

    public static PauseReason byAgent(String code) {
      return new PauseReason(code, false);
    }
  }
}
