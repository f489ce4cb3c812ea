package org.pingdialer.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pingdialer.call.CallEvent.ChannelGone;
import org.pingdialer.call.CallEvent.CommandFailed;
import org.pingdialer.call.CallEvent.DropMessageFinished;
import org.pingdialer.call.CallEvent.EnteredBridge;
import org.pingdialer.call.CallEvent.InStasis;
import org.pingdialer.call.CallEvent.MachineDetected;
import org.pingdialer.call.CallState.Connecting;
import org.pingdialer.call.CallState.Creating;
import org.pingdialer.call.CallState.Detecting;
import org.pingdialer.call.CallState.Dropping;
import org.pingdialer.call.CallState.MessageToMachine;
import org.pingdialer.call.CallState.Releasing;
import org.pingdialer.call.ari.AriChannel;

/**
 * What a call that waited too long for one Asterisk event learns by asking Asterisk instead.
 * Asterisk does not replay events, and one can be lost on the way (sent while the events socket
 * reconnected after a PBX hang): a call waiting for it would hold its channel, its agent and its
 * lead, and a customer in a bridge or after a drop message would hear silence, until the campaign
 * stopped. Pure; the engine asks and applies the event this finds.
 */
final class MissedEvents {
  private MissedEvents() {}

  /**
   * How long a call may wait on Asterisk alone before the engine asks. Asterisk sends each of these
   * events within milliseconds of the request it answers (the check runs behind the call's earlier
   * requests), or, for AMD and the drop message, within their own length; a call still waiting then
   * is asked about again after as long.
   */
  static final Duration CHECK_AFTER = Duration.ofSeconds(5);

  /**
   * Whether the call waits for an event of Asterisk's with no timer of its own: its StasisStart,
   * its entry into the agent's bridge, AMD's verdict, the end of the drop message, or its end after
   * our hangup. Dialing and ringing have the ring timer; a bridged call waits for people.
   */
  static boolean waitsOnAsterisk(CallState state) {
    return state instanceof Creating
        || state instanceof Connecting
        || state instanceof Detecting
        || state instanceof Dropping
        || state instanceof MessageToMachine
        || state instanceof Releasing;
  }

  /**
   * What Asterisk showed when asked, for a call in one of those states.
   *
   * @param channel the call's channel; empty when it is gone
   * @param inAgentBridge the channel is in the bridge of the agent it is connecting to
   * @param playbackDone the call's drop message has ended (Asterisk no longer knows the playback)
   * @param verdict AMD's verdict from the channel's AMDSTATUS and AMDCAUSE, once AMD() has ended
   */
  record Shown(
      Optional<AriChannel> channel,
      boolean inAgentBridge,
      boolean playbackDone,
      Optional<AmdVerdict> verdict) {

    static Shown channelOnly(Optional<AriChannel> channel) {
      return new Shown(channel, false, false, Optional.empty());
    }
  }

  /** The verdict in AMD's channel variables, as the {@code [amd]} context hands it to Stasis. */
  static Optional<AmdVerdict> verdictOf(Optional<String> status, Optional<String> cause) {
    return status.flatMap(
        s -> AmdVerdict.fromStasisArgs(List.of(AmdVerdict.STASIS_ARG, s, cause.orElse(""))));
  }

  /**
   * The event the call in {@code state} missed, from what Asterisk shows; empty when it still waits
   * (the engine asks again later, and after a hangup hangs up again).
   */
  static Optional<CallEvent> missed(CallState state, Shown shown, Instant now) {
    if (shown.channel().isEmpty()) {
      return Optional.of(new ChannelGone(now, 0, null));
    }
    return switch (state) {
      // A channel made by /channels/create is in Stasis at once.
      case Creating c -> Optional.of(new InStasis(now));
      case Connecting c ->
          Optional.of(
              shown.inAgentBridge()
                  ? new EnteredBridge(now)
                  // Added and not there: the customer hears nobody. Released, not left waiting.
                  : new CommandFailed(
                      now,
                      "addToBridge",
                      "not in " + c.agent().bridgeId() + " " + CHECK_AFTER.toSeconds() + " s later",
                      false));
      case Detecting d -> shown.verdict().map(v -> new MachineDetected(now, v));
      case Dropping d ->
          shown.playbackDone() ? Optional.of(new DropMessageFinished(now)) : Optional.empty();
      case MessageToMachine m ->
          shown.playbackDone() ? Optional.of(new DropMessageFinished(now)) : Optional.empty();
      default -> Optional.empty();
    };
  }
}
