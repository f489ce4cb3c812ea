package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriClient.ChannelSpec;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabStack;

@LabStack
// Runs on both runtimes: the rootfs here, containerized Asterisk in CI's Docker half.
@Tag("docker")
class AriRestIT {
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
    try (var ari = AriSession.open(stack)) {
      var client = ari.client();
      String id = ari.create("4930999300003", AsteriskStack.TRUNK);
      var again =
          ChannelSpec.of(AsteriskStack.dialString("4930999300003", AsteriskStack.TRUNK), id);

      assertThatThrownBy(() -> client.createChannel(again))
          .isInstanceOfSatisfying(
              AriException.class, e -> assertThat(e.kind()).isEqualTo(AriException.Kind.CONFLICT));
      assertThat(client.channels()).extracting(AriChannel::id).containsOnlyOnce(id);
      ari.hangUp(id);
    }
  }

  @Test
  void variablesRoundTripAndUnsetOnesAreEmpty(AsteriskStack stack) {
    try (var ari = AriSession.open(stack)) {
      String id = ari.create("4930999300004", AsteriskStack.TRUNK);

      ari.client().setVariable(id, "PD_ATTEMPT", "42");
      assertThat(ari.client().variable(id, "PD_ATTEMPT")).contains("42");
      assertThat(ari.client().variable(id, "PD_NOT_SET")).isEmpty();
      ari.hangUp(id);
    }
  }

  @Test
  void continueSendsAnAnsweredCallThroughTheAmdDialplanAndBackIntoStasis(AsteriskStack stack) {
    try (var ari = AriSession.open(stack)) {
      String id = ari.dial("4930999800002", AsteriskStack.TRUNK, Duration.ofSeconds(10));
      ari.recorder()
          .awaitEvent(
              AriEvent.Dial.class, id, d -> d.dialstatus().equals("ANSWER"), AriSession.WAIT);

      ari.client().continueInDialplan(id, "amd", "s", 1);

      ari.recorder().awaitEvent(AriEvent.StasisEnd.class, id, AriSession.WAIT);
      AriEvent.StasisStart back =
          ari.recorder().awaitEvent(AriEvent.StasisStart.class, id, AriSession.WAIT);
      assertThat(back.args()).hasSize(3).first().isEqualTo("amd");
      assertThat(back.args().get(1)).isIn("MACHINE", "HUMAN", "NOTSURE");
      ari.hangUp(id);
    }
  }

  @Test
  void unreachableAriIsAnIoErrorNamingTheHost() {
    var nowhere =
        new OkHttpAriClient(new AriEndpoint(URI.create("http://127.0.0.1:9/ari"), "u", "p", "x"));
    assertThatThrownBy(nowhere::asteriskInfo)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("127.0.0.1:9");
  }
}
