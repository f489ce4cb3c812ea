package org.pingdialer.call;

import java.time.Duration;
import java.util.List;

/**
 * What a transition asks the engine to do. ARI calls and store writes run off the loop, one call's
 * commands in order; their failures come back as {@link CallEvent.CommandFailed}. Timer and agent
 * commands act on loop-owned state and run on the loop.
 */
public sealed interface CallCommand {

  /** Dial the created channel; {@code safetyTimeout} is Asterisk's own backstop. */
  record Dial(Duration safetyTimeout) implements CallCommand {}

  /** Deliver {@link CallEvent.RingTimeout} after {@code delay}, replacing a running ring timer. */
  record StartRingTimer(Duration delay) implements CallCommand {}

  /**
   * Send the answered channel to the PBX's {@code [amd]} context ({@code /continue}); it comes back
   * into Stasis with AMD's verdict as {@link CallEvent.MachineDetected}.
   */
  record DetectMachine() implements CallCommand {}

  /**
   * Take the agent for this call: it gets no other call. The agent the engine offered with the
   * answer, or the one reserved when the call was placed.
   */
  record ReserveAgent(AgentSeat agent) implements CallCommand {}

  record AddToBridge(AgentSeat agent) implements CallCommand {}

  /** The customer is in the agent's bridge: the agent talks from now on. */
  record AgentConnected(AgentSeat agent) implements CallCommand {}

  record PlayDropMessage(List<String> media) implements CallCommand {}

  /** Hang the customer up with an ARI reason ({@code normal}, {@code no_answer}...). */
  record Hangup(String reason) implements CallCommand {}

  /**
   * The call no longer needs its agent (ended, failed, never answered): a connected agent goes to
   * wrap-up, a reserved one is free again.
   */
  record ReleaseAgent(AgentSeat agent) implements CallCommand {}

  /** Store the attempt's final result. */
  record StoreOutcome() implements CallCommand {}
}
