package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ami.AmiMonitor;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AmiRecorder;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EventRecorder.Connected;
import org.pingdialer.testing.EventRecorder.Disconnected;
import org.pingdialer.testing.LabStack;

/** The events socket survives a dropped connection and an Asterisk restart, and says so. */
@LabStack(own = true)
class EventStreamReconnectIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Set<String> FILTER = Set.of("StasisStart", "ChannelDestroyed");

  @Test
  void eventsFlowAgainAfterADroppedSocketAndAnAsteriskRestartWithTheGapReported(
      AsteriskStack stack) {
    var client = new OkHttpAriClient(stack.ari());
    try (var ari = AriSession.open(client, FILTER)) {
      var stream = ari.stream();
      var recorder = ari.recorder();
      assertThat(ari.firstConnection().gap()).isEmpty();
      stream.subscribe("endpoint:PJSIP/agent1");
      awaitSubscribedTo(client, "PJSIP/agent1");
      assertEventsFlow(ari);

      stream.dropConnection();
      recorder.await(Disconnected.class, d -> true, WAIT);
      Connected second = recorder.await(Connected.class, c -> true, WAIT);
      assertThat(second.connection().number()).isEqualTo(2);
      assertThat(second.connection().gap()).isPresent();
      assertEventsFlow(ari);

      var startedBefore = client.asteriskInfo().status().startupTime();
      stack.restartPbx();
      recorder.await(Disconnected.class, d -> true, WAIT);
      Connected third = recorder.await(Connected.class, c -> true, WAIT);
      assertThat(third.connection().number()).isEqualTo(3);
      assertThat(third.connection().gap()).hasValueSatisfying(gap -> assertThat(gap).isPositive());
      assertThat(client.asteriskInfo().status().startupTime()).isAfter(startedBefore);
      assertEventsFlow(ari);
      // The restarted Asterisk forgot the subscription; the stream made it again.
      awaitSubscribedTo(client, "PJSIP/agent1");
    }
  }

  @Test
  void amiReconnectsByItselfAfterAnAsteriskRestart(AsteriskStack stack) {
    var recorder = new AmiRecorder();
    try (var ami = AmiMonitor.connect(stack.ami(), InstantSource.system(), recorder)) {
      stack.restartPbx();
      await().atMost(WAIT).until(() -> recorder.connections().contains(false) && ami.isConnected());
      assertThat(recorder.connections()).containsSubsequence(false, true);
      assertThat(ami.coreStatus().currentCalls()).isZero();
    }
  }

  private static void awaitSubscribedTo(OkHttpAriClient client, String endpoint) {
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> client.applicationState().endpointIds().contains(endpoint));
  }

  @Test
  void eventFilterIsAppliedOnConnect(AsteriskStack stack) {
    var client = new OkHttpAriClient(stack.ari());
    try (var ari = AriSession.open(client, FILTER)) {
      // The filter is set on the app right after connecting; wait until Asterisk holds it.
      await().atMost(WAIT).until(() -> client.applicationState().eventsAllowed().size() == 2);
      String id = assertEventsFlow(ari);
      assertThat(ari.recorder().timelineOf(id))
          .as("Dial and StasisEnd are filtered out by Asterisk")
          .containsExactly("StasisStart", "ChannelDestroyed(16)");
    }
  }

  /** Places a call that rings and is hung up; returns its id once its events came back. */
  private static String assertEventsFlow(AriSession ari) {
    String id = ari.create("4930999300005", AsteriskStack.TRUNK);
    ari.hangUp(id);
    return id;
  }
}
