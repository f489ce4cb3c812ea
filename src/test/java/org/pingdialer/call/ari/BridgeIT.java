package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriClient.ChannelSpec;
import org.pingdialer.call.ari.AriEvent.ChannelDestroyed;
import org.pingdialer.call.ari.AriEvent.ChannelEnteredBridge;
import org.pingdialer.call.ari.AriEvent.Dial;
import org.pingdialer.call.ari.AriEvent.StasisStart;
import org.pingdialer.stack.AsteriskStack;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabStack;

@LabStack
class BridgeIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void twoAnsweredChannelsJoinAMixingBridgeAndLeaveNothingBehind(AsteriskStack stack) {
    var client = new OkHttpAriClient(stack.ari());
    var recorder = new EventRecorder();
    try (var stream = new AriEventStream(client, Set.of(), InstantSource.system(), recorder)) {
      stream.start();
      recorder.await(EventRecorder.Connected.class, c -> true, WAIT);
      String first = answeredCall(client, recorder);
      String second = answeredCall(client, recorder);
      String bridgeId = "it-bridge-" + UUID.randomUUID();

      AriBridge bridge = client.createBridge(bridgeId, "mixing", "it");
      client.addToBridge(bridgeId, first);
      client.addToBridge(bridgeId, second);

      assertThat(bridge.id()).isEqualTo(bridgeId);
      assertThat(recorder.awaitEvent(ChannelEnteredBridge.class, first, WAIT).bridge().id())
          .isEqualTo(bridgeId);
      assertThat(recorder.awaitEvent(ChannelEnteredBridge.class, second, WAIT).bridge().id())
          .isEqualTo(bridgeId);
      assertThat(client.bridge(bridgeId).orElseThrow().channels())
          .containsExactlyInAnyOrder(first, second);

      client.hangup(first, "normal");
      client.hangup(second, "normal");
      recorder.awaitEvent(ChannelDestroyed.class, first, WAIT);
      recorder.awaitEvent(ChannelDestroyed.class, second, WAIT);
      client.destroyBridge(bridgeId);

      assertThat(client.bridge(bridgeId)).isEmpty();
      assertThat(client.channels()).extracting(AriChannel::id).doesNotContain(first, second);
    }
  }

  private static String answeredCall(OkHttpAriClient client, EventRecorder recorder) {
    String id = "it-" + UUID.randomUUID();
    client.createChannel(
        ChannelSpec.of(AsteriskStack.dialString("4930999100001", AsteriskStack.TRUNK), id));
    recorder.awaitEvent(StasisStart.class, id, WAIT);
    client.dial(id, Duration.ofSeconds(10));
    recorder.awaitEvent(Dial.class, id, d -> d.dialstatus().equals("ANSWER"), WAIT);
    return id;
  }
}
