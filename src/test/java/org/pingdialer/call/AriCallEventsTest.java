package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriPlayback;
import org.pingdialer.call.ari.ChannelState;

/** ARI events in the engine's terms, event by event. */
class AriCallEventsTest {
  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
  private static final AttemptKey KEY = new AttemptKey("c1", 7);

  private static AriChannel channel(ChannelState state) {
    return new AriChannel(KEY.channelId(), "PJSIP/carrier-1", state, null, null, null, T, Map.of());
  }

  @Test
  void eitherAnswerSignalIsAnAnswerAndRingingIsRinging() {
    var dial = new AriEvent.Dial(T, "app", channel(ChannelState.UP), null, "ANSWER", "", null);
    assertThat(AriCallEvents.of(dial, KEY)).contains(new CallEvent.RemoteAnswered(T));
    var up = new AriEvent.ChannelStateChange(T, "app", channel(ChannelState.UP));
    assertThat(AriCallEvents.of(up, KEY)).contains(new CallEvent.RemoteAnswered(T));
    var ringing = new AriEvent.ChannelStateChange(T, "app", channel(ChannelState.RINGING));
    assertThat(AriCallEvents.of(ringing, KEY)).contains(new CallEvent.RemoteRinging(T));
    var other = new AriEvent.ChannelStateChange(T, "app", channel(ChannelState.RING));
    assertThat(AriCallEvents.of(other, KEY)).isEmpty();
  }

  @Test
  void aStasisStartFromTheAmdContextCarriesTheVerdict() {
    var back =
        new AriEvent.StasisStart(
            T,
            "app",
            List.of("amd", "MACHINE", "LONGGREETING-2000-2000"),
            channel(ChannelState.UP),
            null);
    assertThat(AriCallEvents.of(back, KEY))
        .contains(
            new CallEvent.MachineDetected(
                T, new AmdVerdict(AmdVerdict.Status.MACHINE, "LONGGREETING-2000-2000")));
    var first =
        new AriEvent.StasisStart(T, "app", List.of("call"), channel(ChannelState.DOWN), null);
    assertThat(AriCallEvents.of(first, KEY)).contains(new CallEvent.InStasis(T));
  }

  @Test
  void onlyTheCallsOwnDropMessagePlaybackCountsAndItsChannelIsItsTarget() {
    var drop =
        new AriEvent.PlaybackStarted(
            T,
            "app",
            new AriPlayback(
                KEY.dropPlaybackId(), "sound:x", "channel:" + KEY.channelId(), "playing"));
    assertThat(AriCallEvents.subjectChannel(drop)).isEqualTo(KEY.channelId());
    assertThat(AriCallEvents.of(drop, KEY)).contains(new CallEvent.DropMessageStarted(T));
    var other =
        new AriEvent.PlaybackFinished(
            T, "app", new AriPlayback("pd-login-x", "sound:x", "bridge:b1", "done"));
    assertThat(AriCallEvents.subjectChannel(other)).isNull();
    assertThat(AriCallEvents.of(other, KEY)).isEmpty();
  }

  @Test
  void aSoftHangUpWithTheShutdownBitSaysAsteriskIsStopping() {
    var shutdown =
        new AriEvent.ChannelHangupRequest(T, "app", channel(ChannelState.UP), 4, null, true);
    assertThat(AriCallEvents.isShutdown(shutdown)).isTrue();
    var explicit =
        new AriEvent.ChannelHangupRequest(T, "app", channel(ChannelState.UP), 16, null, false);
    assertThat(AriCallEvents.isShutdown(explicit)).isFalse();
    var otherBit =
        new AriEvent.ChannelHangupRequest(T, "app", channel(ChannelState.UP), 2, null, true);
    assertThat(AriCallEvents.isShutdown(otherBit)).isFalse();
  }
}
