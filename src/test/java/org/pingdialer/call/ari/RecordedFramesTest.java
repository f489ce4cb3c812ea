package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays ARI frames recorded from the Asterisk 22.10.1 we run (by {@code PersonaOutcomesIT}, one
 * file per outcome) through our decoder: nothing we rely on may come out as {@code Unknown}, and
 * the fields the outcome hangs on must be read correctly.
 */
class RecordedFramesTest {

  static Stream<Arguments> outcomes() {
    // file, final Q.850 cause, SIP tech_cause (null: none sent), dial statuses seen on the way
    return Stream.of(
        Arguments.of("answered", 16, null, List.of("", "RINGING", "ANSWER")),
        Arguments.of("busy", 17, 486, List.of("")),
        Arguments.of("no-answer", 19, 480, List.of("", "RINGING")),
        Arguments.of("unallocated", 1, 404, List.of("")),
        Arguments.of("intercept", 1, 404, List.of("", "PROGRESS")),
        Arguments.of("congestion", 34, 503, List.of("")),
        Arguments.of("rejected", 21, 403, List.of("", "RINGING")),
        Arguments.of("noreason-rejected", 21, 403, List.of("", "RINGING")),
        Arguments.of("callee-hangup", 16, null, List.of("", "RINGING", "ANSWER")),
        Arguments.of("machine", 16, null, List.of("", "RINGING", "ANSWER")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void recordedCallDecodesCompletelyWithItsCause(
      String file, int cause, Integer techCause, List<String> dialStatuses) throws IOException {
    List<AriEvent> events = read(file);

    assertThat(events).noneMatch(AriEvent.Unknown.class::isInstance);
    assertThat(events)
        .first()
        .satisfiesAnyOf(
            e -> assertThat(e).isInstanceOf(AriEvent.StasisStart.class),
            e -> assertThat(e).isInstanceOf(AriEvent.ChannelVarset.class));
    assertThat(events).filteredOn(AriEvent.StasisStart.class::isInstance).hasSize(1);
    assertThat(events)
        .filteredOn(AriEvent.Dial.class::isInstance)
        .extracting(e -> ((AriEvent.Dial) e).dialstatus())
        .containsSubsequence(dialStatuses);
    var destroyed = (AriEvent.ChannelDestroyed) events.get(events.size() - 1);
    assertThat(destroyed.cause()).isEqualTo(cause);
    assertThat(destroyed.techCause()).isEqualTo(techCause);
    assertThat(destroyed.causeTxt()).isNotBlank();
    assertThat(events).allSatisfy(e -> assertThat(e.timestamp()).isNotNull());
    assertThat(events.stream().map(AriEvent::channelId).distinct())
        .as("every frame is about the one call")
        .hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void channelStatesAreAllKnown(String file, int cause, Integer techCause, List<String> dials)
      throws IOException {
    assertThat(read(file))
        .filteredOn(AriEvent.OfChannel.class::isInstance)
        .extracting(e -> ((AriEvent.OfChannel) e).channel().state())
        .doesNotContain(ChannelState.UNKNOWN);
  }

  private static List<AriEvent> read(String name) throws IOException {
    try (InputStream in = RecordedFramesTest.class.getResourceAsStream("/ari/" + name + ".jsonl")) {
      assertThat(in).as("recording " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank())
          .map(AriJson::decodeEvent)
          .toList();
    }
  }
}
