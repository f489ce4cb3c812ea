package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pingdialer.testing.AriSession.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriEvent.ChannelEnteredBridge;
import org.pingdialer.call.ari.AriEvent.Dial;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabStack;

@LabStack
// Runs on both runtimes: the rootfs here, containerized Asterisk in CI's Docker half.
@Tag("docker")
class BridgeIT {

  @Test
  void twoAnsweredChannelsJoinAMixingBridgeAndLeaveNothingBehind(AsteriskStack stack) {
    try (var ari = AriSession.open(stack)) {
      var client = ari.client();
      String first = answeredCall(ari);
      String second = answeredCall(ari);
      String bridgeId = "it-bridge-" + UUID.randomUUID();

      AriBridge bridge = client.createBridge(bridgeId, "mixing", "it");
      client.addToBridge(bridgeId, first);
      client.addToBridge(bridgeId, second);

      assertThat(bridge.id()).isEqualTo(bridgeId);
      assertThat(ari.recorder().awaitEvent(ChannelEnteredBridge.class, first, WAIT).bridge().id())
          .isEqualTo(bridgeId);
      assertThat(ari.recorder().awaitEvent(ChannelEnteredBridge.class, second, WAIT).bridge().id())
          .isEqualTo(bridgeId);
      assertThat(client.bridge(bridgeId).orElseThrow().channels())
          .containsExactlyInAnyOrder(first, second);

      ari.hangUp(first);
      ari.hangUp(second);
      client.destroyBridge(bridgeId);

      // DELETE answers before the bridge is gone from the listing (seen once: still listed, empty).
      Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(client.bridge(bridgeId)).isEmpty());
      assertThat(client.channels()).extracting(AriChannel::id).doesNotContain(first, second);
    }
  }

  @Test
  void bridgePlaybackCanBeStoppedAndAChannelTakenOutOfTheBridge(AsteriskStack stack) {
    try (var ari = AriSession.open(stack)) {
      var client = ari.client();
      String caller = answeredCall(ari);
      String bridgeId = "it-bridge-" + UUID.randomUUID();
      client.createBridge(bridgeId, "mixing", "it");
      client.addToBridge(bridgeId, caller);
      ari.recorder().awaitEvent(ChannelEnteredBridge.class, caller, WAIT);

      String playbackId = "it-play-" + UUID.randomUUID();
      AriPlayback playback =
          client.playOnBridge(bridgeId, playbackId, List.of("sound:demo-congrats"));
      assertThat(playback.id()).isEqualTo(playbackId);
      var started =
          ari.recorder()
              .await(
                  EventRecorder.Event.class,
                  e ->
                      e.event() instanceof AriEvent.PlaybackStarted p
                          && p.playback().id().equals(playbackId),
                  WAIT);
      client.stopPlayback(playbackId);
      var finished =
          ari.recorder()
              .await(
                  EventRecorder.Event.class,
                  e ->
                      e.event() instanceof AriEvent.PlaybackFinished p
                          && p.playback().id().equals(playbackId),
                  WAIT);
      // demo-congrats lasts 30 s: finishing within seconds means the stop took effect.
      assertThat(Duration.between(started.event().timestamp(), finished.event().timestamp()))
          .isLessThan(Duration.ofSeconds(5));
      client.stopPlayback(playbackId); // already finished: not an error

      client.removeFromBridge(bridgeId, caller);
      ari.recorder().awaitEvent(AriEvent.ChannelLeftBridge.class, caller, WAIT);
      assertThat(client.bridge(bridgeId).orElseThrow().channels()).isEmpty();
      ari.hangUp(caller);
      client.destroyBridge(bridgeId);
    }
  }

  private static String answeredCall(AriSession ari) {
    String id = ari.dial("4930999100001", AsteriskStack.TRUNK, Duration.ofSeconds(10));
    ari.recorder().awaitEvent(Dial.class, id, d -> d.dialstatus().equals("ANSWER"), WAIT);
    return id;
  }
}
