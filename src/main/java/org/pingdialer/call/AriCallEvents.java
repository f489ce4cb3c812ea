package org.pingdialer.call;

import java.util.Optional;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.ChannelState;

/**
 * ARI events in the call engine's terms: which channel an event is about, whether it says Asterisk
 * is stopping, and the {@link CallEvent} it is for a call (if any; every event of a call goes into
 * its evidence either way). Pure.
 */
public final class AriCallEvents {
  /**
   * The shutdown bit of a soft {@code ChannelHangupRequest}'s cause (a bitmask when {@code soft}):
   * Asterisk is stopping or restarting ({@code AST_SOFTHANGUP_SHUTDOWN}).
   */
  static final int SOFTHANGUP_SHUTDOWN = 4;

  private AriCallEvents() {}

  /** Asterisk is stopping or restarting: the event is a soft hang-up request with bit 4. */
  public static boolean isShutdown(AriEvent event) {
    return event instanceof AriEvent.ChannelHangupRequest e
        && Boolean.TRUE.equals(e.soft())
        && e.cause() != null
        && (e.cause() & SOFTHANGUP_SHUTDOWN) != 0;
  }

  /** The channel the event is about: a playback's is its target channel. Null when none. */
  static String subjectChannel(AriEvent event) {
    return switch (event) {
      case AriEvent.PlaybackStarted e -> channelOfTarget(e.playback().targetUri());
      case AriEvent.PlaybackFinished e -> channelOfTarget(e.playback().targetUri());
      default -> event.channelId();
    };
  }

  private static String channelOfTarget(String targetUri) {
    return targetUri != null && targetUri.startsWith("channel:")
        ? targetUri.substring("channel:".length())
        : null;
  }

  /** The event for the call {@code key}; empty when it only goes into the evidence. */
  static Optional<CallEvent> of(AriEvent event, AttemptKey key) {
    return Optional.ofNullable(
        switch (event) {
          case AriEvent.StasisStart e ->
              AmdVerdict.fromStasisArgs(e.args())
                  .<CallEvent>map(verdict -> new CallEvent.MachineDetected(e.timestamp(), verdict))
                  .orElseGet(() -> new CallEvent.InStasis(e.timestamp()));
          case AriEvent.Dial e ->
              switch (e.dialstatus()) {
                case "RINGING" -> new CallEvent.RemoteRinging(e.timestamp());
                case "PROGRESS" -> new CallEvent.RemoteProgress(e.timestamp());
                // Asterisk reports an answer twice (Dial ANSWER and state Up, in either order):
                // the first counts, the transitions ignore the second.
                case "ANSWER" -> new CallEvent.RemoteAnswered(e.timestamp());
                default -> null;
              };
          case AriEvent.ChannelStateChange e ->
              e.channel().state() == ChannelState.RINGING
                  ? new CallEvent.RemoteRinging(e.timestamp())
                  : e.channel().state() == ChannelState.UP
                      ? new CallEvent.RemoteAnswered(e.timestamp())
                      : null;
          case AriEvent.ChannelEnteredBridge e -> new CallEvent.EnteredBridge(e.timestamp());
          case AriEvent.PlaybackStarted e ->
              key.dropPlaybackId().equals(e.playback().id())
                  ? new CallEvent.DropMessageStarted(e.timestamp())
                  : null;
          case AriEvent.PlaybackFinished e ->
              key.dropPlaybackId().equals(e.playback().id())
                  ? new CallEvent.DropMessageFinished(e.timestamp())
                  : null;
          case AriEvent.ChannelDestroyed e ->
              new CallEvent.ChannelGone(e.timestamp(), e.cause(), e.techCause());
          default -> null;
        });
  }
}
