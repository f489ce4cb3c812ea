package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AriJsonTest {

  @Test
  void parsesAsterisksTimestampWithoutColonInTheOffset() {
    assertThat(AriJson.parseTimestamp("2026-11-28T14:59:30.514+0000"))
        .isEqualTo(Instant.parse("2026-11-28T14:59:30.514Z"));
    assertThat(AriJson.parseTimestamp("2026-11-28T15:59:30.514+0100"))
        .isEqualTo(Instant.parse("2026-11-28T14:59:30.514Z"));
  }

  @Test
  void mapsChannelStatesLeniently() {
    assertThat(ChannelState.fromAri("Rsrvd")).isEqualTo(ChannelState.RESERVED);
    assertThat(ChannelState.fromAri("Rsrved")).isEqualTo(ChannelState.RESERVED);
    assertThat(ChannelState.fromAri("Ringing")).isEqualTo(ChannelState.RINGING);
    assertThat(ChannelState.fromAri("Dialing Offhook")).isEqualTo(ChannelState.DIALING_OFFHOOK);
    assertThat(ChannelState.fromAri("Unknown (42)")).isEqualTo(ChannelState.UNKNOWN);
  }

  @Test
  void unknownEventTypeBecomesUnknownInsteadOfFailing() {
    AriEvent event =
        AriJson.decodeEvent(
            """
            {"type":"ChannelCallerId","timestamp":"2026-11-28T14:59:30.514+0000",
             "application":"pd","caller_presentation":0,"channel":{"id":"x"}}
            """);
    assertThat(event)
        .isEqualTo(
            new AriEvent.Unknown(
                "ChannelCallerId", Instant.parse("2026-11-28T14:59:30.514Z"), "pd"));
  }

  @Test
  void decodesHangupRequestAndKeepsSoftBitmaskApartFromQ850Cause() {
    var soft =
        (AriEvent.ChannelHangupRequest)
            AriJson.decodeEvent(
                """
                {"type":"ChannelHangupRequest","timestamp":"2026-11-28T14:59:30.514+0000",
                 "application":"pd","soft":true,"cause":32,"channel":{"id":"c1","state":"Ringing"}}
                """);
    assertThat(soft.hasQ850Cause()).isFalse();
    var remote =
        (AriEvent.ChannelHangupRequest)
            AriJson.decodeEvent(
                """
                {"type":"ChannelHangupRequest","timestamp":"2026-11-28T14:59:30.514+0000",
                 "application":"pd","cause":17,"tech_cause":486,"channel":{"id":"c1"}}
                """);
    assertThat(remote.hasQ850Cause()).isTrue();
    assertThat(remote.techCause()).isEqualTo(486);
    assertThat(remote.channelId()).isEqualTo("c1");
  }

  @Test
  void unreadableFrameNamesTheProblemAndShowsTheFrame() {
    assertThatThrownBy(
            () ->
                AriJson.decodeEvent(
                    "{\"type\":\"ChannelDestroyed\",\"timestamp\":\"yesterday\",\"cause\":1}"))
        .isInstanceOf(AriDecodingException.class)
        .hasMessageContaining("yesterday")
        .hasMessageContaining("ChannelDestroyed");
  }

  @Test
  void dialEventIsRoutedByThePeerChannel() {
    var dial =
        AriJson.decodeEvent(
            """
            {"type":"Dial","timestamp":"2026-11-28T14:59:30.514+0000","application":"pd",
             "dialstatus":"","dialstring":"4930@carrier","peer":{"id":"pd-1","state":"Down"}}
            """);
    assertThat(dial.channelId()).isEqualTo("pd-1");
    assertThat(((AriEvent.Dial) dial).dialstatus()).isEmpty();
  }
}
