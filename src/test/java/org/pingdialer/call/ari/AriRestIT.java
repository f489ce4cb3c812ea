package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriClient.ChannelSpec;
import org.pingdialer.stack.AsteriskStack;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabStack;

@LabStack
class AriRestIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void everyModelledEventTypeExistsInTheRunningAsterisksEventsJson(AsteriskStack stack) {
    var documented = new OkHttpAriClient(stack.ari()).documentedEventTypes();
    assertThat(documented).containsAll(AriEventTypesTest.modelledEventNames());
  }

  @Test
  void reportsVersionAndStartupTime(AsteriskStack stack) {
    AsteriskInfo info = new OkHttpAriClient(stack.ari()).asteriskInfo();
    assertThat(info.system().version()).startsWith("22.");
    assertThat(info.status().startupTime()).isNotNull();
  }

  @Test
  void errorsCarryStatusKindAndAriMessage(AsteriskStack stack) {
    var client = new OkHttpAriClient(stack.ari());
    assertThatThrownBy(() -> client.hangup("no-such-channel", "normal"))
        .isInstanceOfSatisfying(
            AriException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AriException.Kind.GONE);
              assertThat(e.request()).isEqualTo("DELETE /ari/channels/no-such-channel");
            });
    assertThat(client.channel("no-such-channel")).isEmpty();
  }

  @Test
  void wrongPasswordIsNotAuthorized(AsteriskStack stack) {
    var wrong =
        new OkHttpAriClient(
            new AriEndpoint(stack.ari().baseUrl(), stack.ari().user(), "wrong", "x"));
    assertThatThrownBy(wrong::asteriskInfo)
        .isInstanceOfSatisfying(
            AriException.class,
            e -> assertThat(e.kind()).isEqualTo(AriException.Kind.NOT_AUTHORIZED));
  }

  @Test
  void secondCreateWithALiveIdIsAConflictAndPlacesNoSecondCall(AsteriskStack stack) {
    var client = new OkHttpAriClient(stack.ari());
    var recorder = new EventRecorder();
    try (var stream = new AriEventStream(client, Set.of(), InstantSource.system(), recorder)) {
      stream.start();
      recorder.await(EventRecorder.Connected.class, c -> true, WAIT);
      String id = "it-" + UUID.randomUUID();
      var spec = ChannelSpec.of(AsteriskStack.dialString("4930999300003", AsteriskStack.TRUNK), id);
      client.createChannel(spec);

      assertThatThrownBy(() -> client.createChannel(spec))
          .isInstanceOfSatisfying(
              AriException.class, e -> assertThat(e.kind()).isEqualTo(AriException.Kind.CONFLICT));
      assertThat(client.channels()).extracting(AriChannel::id).containsOnlyOnce(id);
      client.hangup(id, "normal");
      recorder.awaitEvent(AriEvent.ChannelDestroyed.class, id, WAIT);
    }
  }

  @Test
  void variablesRoundTripAndUnsetOnesAreEmpty(AsteriskStack stack) {
    var client = new OkHttpAriClient(stack.ari());
    var recorder = new EventRecorder();
    try (var stream = new AriEventStream(client, Set.of(), InstantSource.system(), recorder)) {
      stream.start();
      recorder.await(EventRecorder.Connected.class, c -> true, WAIT);
      String id = "it-" + UUID.randomUUID();
      client.createChannel(
          ChannelSpec.of(AsteriskStack.dialString("4930999300004", AsteriskStack.TRUNK), id));
      recorder.awaitEvent(AriEvent.StasisStart.class, id, WAIT);

      client.setVariable(id, "PD_ATTEMPT", "42");
      assertThat(client.variable(id, "PD_ATTEMPT")).contains("42");
      assertThat(client.variable(id, "PD_NOT_SET")).isEmpty();
      client.hangup(id, "normal");
      recorder.awaitEvent(AriEvent.ChannelDestroyed.class, id, WAIT);
    }
  }

  @Test
  void unreachableAriIsAnIoErrorNamingTheHost() {
    var nowhere =
        new OkHttpAriClient(new AriEndpoint(URI.create("http://127.0.0.1:9/ari"), "u", "p", "x"));
    assertThatThrownBy(nowhere::asteriskInfo)
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("127.0.0.1:9");
  }
}
