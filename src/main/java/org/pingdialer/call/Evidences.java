package org.pingdialer.call;

import java.util.Optional;
import org.pingdialer.call.CallEvent.ChannelGone;
import org.pingdialer.call.CallEvent.CommandFailed;
import org.pingdialer.call.ari.AriEvent;

/**
 * What each event leaves in a call's evidence (stored with its attempt): the event's type, when it
 * happened and the detail that explains the outcome (dial status, channel state, hang-up cause,
 * bridge, playback, AMD's verdict). Pure.
 */
final class Evidences {
  private Evidences() {}

  /** The evidence an ARI event about a call leaves in the call's record. */
  static Evidence of(AriEvent event) {
    String type = event.getClass().getSimpleName();
    if (event instanceof AriEvent.StasisStart start) {
      Optional<AmdVerdict> verdict = AmdVerdict.fromStasisArgs(start.args());
      if (verdict.isPresent()) {
        // AMDSTATUS and AMDCAUSE, stored with the attempt: why it was (not) taken for a machine.
        return new Evidence(
            AttemptResult.AMD_EVIDENCE, event.timestamp(), verdict.get().toString());
      }
    }
    String detail =
        switch (event) {
          case AriEvent.Dial e -> e.dialstatus();
          case AriEvent.ChannelStateChange e -> String.valueOf(e.channel().state());
          case AriEvent.ChannelHangupRequest e ->
              (Boolean.TRUE.equals(e.soft()) ? "soft " : "cause ")
                  + e.cause()
                  + (e.techCause() == null ? "" : " sip " + e.techCause());
          case AriEvent.ChannelDestroyed e ->
              "cause "
                  + e.cause()
                  + " "
                  + e.causeTxt()
                  + (e.techCause() == null ? "" : " sip " + e.techCause());
          case AriEvent.ChannelEnteredBridge e -> e.bridge().id();
          case AriEvent.PlaybackStarted e -> e.playback().id();
          case AriEvent.PlaybackFinished e -> e.playback().id() + " " + e.playback().state();
          default -> "";
        };
    return new Evidence(type, event.timestamp(), detail);
  }

  /** The evidence an event of the engine's own (a failed command, a gap) leaves. */
  static Evidence of(CallEvent event) {
    return new Evidence(event.getClass().getSimpleName(), event.at(), detail(event));
  }

  private static String detail(CallEvent event) {
    return switch (event) {
      case CommandFailed e -> e.command() + ": " + e.error();
      case ChannelGone e -> "cause " + e.cause() + " (end not seen: the channel was found gone)";
      case CallEvent.IdTaken e -> "create: " + e.error();
      default -> "";
    };
  }
}
