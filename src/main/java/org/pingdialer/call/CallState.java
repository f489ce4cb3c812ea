package org.pingdialer.call;

/**
 * Where one call is. Every state carries the attempt and its timeline; {@link Ended} is terminal.
 */
public sealed interface CallState {
  Attempt attempt();

  Timeline timeline();

  /** The channel is being created; waiting for it to enter our Stasis app. */
  record Creating(Attempt attempt, Timeline timeline) implements CallState {}

  /** Dial sent; nothing heard from the far end yet. */
  record Dialing(Attempt attempt, Timeline timeline) implements CallState {}

  /** The far end rings (180) or plays early media (183). */
  record Ringing(Attempt attempt, Timeline timeline) implements CallState {}

  /**
   * Answered; the channel is in the PBX's {@code [amd]} dialplan (out of Stasis) while Asterisk's
   * AMD listens to the greeting. No agent is held meanwhile: one is taken when a person is heard.
   */
  record Detecting(Attempt attempt, Timeline timeline) implements CallState {}

  /** AMD heard a machine: the drop message is playing to it (who called, a callback number). */
  record MessageToMachine(Attempt attempt, Timeline timeline) implements CallState {}

  /** Answered; the customer is being added to {@code agent}'s bridge. */
  record Connecting(Attempt attempt, Timeline timeline, AgentSeat agent) implements CallState {}

  /** Customer and agent are in one bridge. */
  record Bridged(Attempt attempt, Timeline timeline, AgentSeat agent) implements CallState {}

  /** Answered with no agent free: the drop message is playing. */
  record Dropping(Attempt attempt, Timeline timeline) implements CallState {}

  /** We asked Asterisk to hang up; the outcome is decided, the channel not gone yet. */
  record Releasing(Attempt attempt, Timeline timeline, DialOutcome outcome) implements CallState {}

  /** The channel is gone and the outcome stored. */
  record Ended(
      Attempt attempt, Timeline timeline, DialOutcome outcome, int cause, Integer techCause)
      implements CallState {}
}
