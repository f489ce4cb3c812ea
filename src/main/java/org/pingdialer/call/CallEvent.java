package org.pingdialer.call;

import java.time.Instant;

/**
 * What can happen to one call, already translated from ARI events, timers and command results by
 * the {@link CallEngine}. Each carries when it happened.
 */
public sealed interface CallEvent {
  Instant at();

  /** StasisStart: the created channel is ours and can be dialed. */
  record InStasis(Instant at) implements CallEvent {}

  /** The far end rings (Dial RINGING or state Ringing). */
  record RemoteRinging(Instant at) implements CallEvent {}

  /** Early media (Dial PROGRESS, 183). */
  record RemoteProgress(Instant at) implements CallEvent {}

  /**
   * The far end answered (Dial ANSWER or state Up, whichever came first). Which agent takes the
   * call is the transition's choice, from the free agent the engine offers with the event.
   */
  record RemoteAnswered(Instant at) implements CallEvent {}

  /**
   * The channel is back in Stasis from the {@code [amd]} context with AMD's verdict. A person (or
   * an unsure verdict) takes the free agent the engine offers with the event.
   */
  record MachineDetected(Instant at, AmdVerdict verdict) implements CallEvent {}

  /** The customer's channel entered the agent's bridge. */
  record EnteredBridge(Instant at) implements CallEvent {}

  /** The drop message began playing to the callee. */
  record DropMessageStarted(Instant at) implements CallEvent {}

  /** The drop message finished (or failed). */
  record DropMessageFinished(Instant at) implements CallEvent {}

  /** Our ring timeout expired. */
  record RingTimeout(Instant at) implements CallEvent {}

  /** The connected agent's phone left (the agent hung up). */
  record AgentLeft(Instant at) implements CallEvent {}

  /**
   * A command for this call failed in Asterisk or on the way there.
   *
   * @param pbxTrouble the PBX failed (5xx) or did not answer (timeout, refused connection), as
   *     opposed to refusing this call's command (a wrong state, a bad request): before an answer,
   *     such a call is lost to the PBX, not failed by it
   */
  record CommandFailed(Instant at, String command, String error, boolean pbxTrouble)
      implements CallEvent {
    /** Refused by Asterisk for this call (not PBX trouble). */
    public CommandFailed(Instant at, String command, String error) {
      this(at, command, error, false);
    }
  }

  /** ChannelDestroyed: the channel is gone, with Asterisk's final cause. */
  record ChannelGone(Instant at, int cause, Integer techCause) implements CallEvent {}

  /**
   * The create was refused because a channel with the call's id exists (409): a run that died
   * minted the same id. Nothing of ours was created; the call is lost, not the lead's outcome.
   */
  record IdTaken(Instant at, String error) implements CallEvent {}

  /**
   * Asterisk is shutting down or restarting: a {@code ChannelHangupRequest} with {@code soft} and
   * the shutdown bit 4 came for one of our channels or an agent's. Every call in flight is lost to
   * the PBX, whatever ends it next.
   */
  record PbxShutdown(Instant at) implements CallEvent {}
}
