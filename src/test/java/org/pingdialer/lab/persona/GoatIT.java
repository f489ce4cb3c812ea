package org.pingdialer.lab.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriClient.ChannelSpec;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabStack;

/**
 * The phone goat (personas 95/96) on the real simulated network, called from the PBX the way the
 * dialer calls. Our leg runs TALK_DETECT, so every time the goat speaks we get {@code
 * ChannelTalkingStarted}; we "speak" by playing a core prompt to the goat. The goat's own log
 * ({@link GoatLog}) says which phrase it said and why, and who ended the call.
 */
@LabStack
// Runs on both runtimes: the rootfs here, containerized Asterisk in CI's Docker half.
@Tag("docker")
class GoatIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String GOAT_DE = Persona.BLOCK + Persona.GOAT.code() + "0001";
  private static final String GOAT_EN = Persona.BLOCK + Persona.GOAT_EN.code() + "0002";

  private final AsteriskStack stack;
  private AriSession ari;
  private String quiet;

  GoatIT(AsteriskStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void open() {
    // The goat's log is a file of the network instance: only a stack of ours has it here.
    Assumptions.assumeTrue(
        stack.pstnDir() != null, "the simulated network of an external stack is not ours");
    ari = AriSession.open(stack);
  }

  @AfterEach
  void close() {
    if (ari != null) {
      ari.close();
    }
  }

  @Test
  void answersThenRepliesOnlyAfterTheCallerSpokeAndPaused() throws Exception {
    String id = callGoat(GOAT_DE);
    EventRecorder events = ari.recorder();

    // "Hallo?" on answer, before we said anything.
    events.awaitEvent(AriEvent.ChannelTalkingStarted.class, id, WAIT);
    events.awaitEvent(AriEvent.ChannelTalkingFinished.class, id, WAIT);

    // We speak (1.4 s) and then keep quiet.
    AriEvent.PlaybackFinished spoke = say(id, "sound:hello-world");
    AriEvent.ChannelTalkingStarted reply =
        events.awaitEvent(AriEvent.ChannelTalkingStarted.class, id, WAIT);
    // The goat waits for the pause (GOAT_PAUSE_MS, 1 s) before it replies: its reply starts after
    // we stopped, with at least half that pause between (a slow machine only adds to it).
    assertThat(reply.timestamp()).isAfter(spoke.timestamp().plusMillis(500));
    events.awaitEvent(AriEvent.ChannelTalkingFinished.class, id, WAIT);

    // Once more: the opening set goes on.
    AriEvent.PlaybackFinished spokeAgain = say(id, "sound:one-moment-please");
    AriEvent.ChannelTalkingStarted secondReply =
        events.awaitEvent(AriEvent.ChannelTalkingStarted.class, id, WAIT);
    assertThat(secondReply.timestamp()).isAfter(spokeAgain.timestamp().plusMillis(500));

    events.awaitEvent(AriEvent.ChannelTalkingFinished.class, id, WAIT);

    // Past the opening set: the loop.
    say(id, "sound:hello-world");
    events.awaitEvent(AriEvent.ChannelTalkingStarted.class, id, WAIT);
    events.awaitEvent(AriEvent.ChannelTalkingFinished.class, id, WAIT);
    say(id, "sound:hello-world");
    events.awaitEvent(AriEvent.ChannelTalkingStarted.class, id, WAIT);

    Instant hungUpAt = Instant.now();
    ari.hangUp(id);

    GoatLog.Call call = awaitCallEnd(hungUpAt);
    List<GoatLog.Phrase> phrases = goatLog().phrasesOf(call.call());
    assertThat(phrases)
        .extracting(GoatLog.Phrase::name, GoatLog.Phrase::why)
        .startsWith(
            Tuple.tuple("open1", "answer"),
            Tuple.tuple("open2", "reply"),
            Tuple.tuple("open3", "reply"),
            Tuple.tuple("loop1", "reply"),
            Tuple.tuple("loop2", "reply"));
    // Each reply was started only after our speech had finished.
    assertThat(phrases.get(1).at()).isAfter(spoke.timestamp());
    assertThat(phrases.get(2).at()).isAfter(spokeAgain.timestamp());
    assertThat(call.voice()).isEqualTo("de");
    assertThat(call.phrases()).isEqualTo(phrases.size());
    assertThat(call.asks()).isZero();
    assertThat(call.held()).isPositive();
    // Seconds to the millisecond as written in the log, no float noise (8.47499999997671694 was).
    assertThat(
            Files.readAllLines(stack.pstnDir().resolve(GoatLog.FILE)).stream()
                .filter(line -> line.contains("call=" + call.call() + " "))
                .filter(line -> line.contains(" event=end "))
                .toList())
        .singleElement()
        .asString()
        .containsPattern(" held=\\d+(\\.\\d{1,3})? ");
    // We hung up: the hangup came in from the far end, not from the goat's dialplan.
    assertThat(call.endedByGoat()).as("hangup_by=%s", call.hangupBy()).isFalse();
  }

  @Test
  void asksWhoIsThereWhenTheCallerStaysSilentAndNeverHangsUp() {
    String id = callGoat(GOAT_EN);
    EventRecorder events = ari.recorder();
    AriEvent.ChannelTalkingFinished hello =
        events.awaitEvent(AriEvent.ChannelTalkingFinished.class, id, WAIT);

    // We say nothing: after 6-8 s of silence the goat asks who is there, twice in ~20 s.
    AriEvent.ChannelTalkingStarted ask =
        events.awaitEvent(AriEvent.ChannelTalkingStarted.class, id, WAIT);
    assertThat(ask.timestamp()).isAfter(hello.timestamp().plusSeconds(5));
    events.awaitEvent(AriEvent.ChannelTalkingStarted.class, id, WAIT);

    // Still up: the goat does not give up on a silent caller.
    assertThat(ari.client().channels()).anySatisfy(c -> assertThat(c.id()).isEqualTo(id));
    Instant hungUpAt = Instant.now();
    ari.hangUp(id);

    GoatLog.Call call = awaitCallEnd(hungUpAt);
    assertThat(goatLog().phrasesOf(call.call()))
        .extracting(GoatLog.Phrase::name)
        .startsWith("open1", "silence", "silence");
    assertThat(call.voice()).isEqualTo("en");
    assertThat(call.asks()).isGreaterThanOrEqualTo(2);
    assertThat(call.held()).isGreaterThan(Duration.ofSeconds(12));
    assertThat(call.endedByGoat()).as("hangup_by=%s", call.hangupBy()).isFalse();
  }

  /** Calls the goat through the trunk with TALK_DETECT on our leg; returns once it answered. */
  private String callGoat(String number) {
    String id = "it-goat-" + UUID.randomUUID();
    ari.client()
        .createChannel(ChannelSpec.of(AsteriskStack.dialString(number, AsteriskStack.TRUNK), id));
    ari.recorder().awaitEvent(AriEvent.StasisStart.class, id, WAIT);
    // 500 ms of quiet ends a stretch of the goat's talk (its phrases have no longer gaps).
    ari.client().setVariable(id, "TALK_DETECT(set)", "500");
    ari.client().dial(id, Duration.ofSeconds(30));
    ari.recorder()
        .awaitEvent(
            AriEvent.ChannelStateChange.class,
            id,
            e -> e.channel().state() == ChannelState.UP,
            WAIT);
    return id;
  }

  /**
   * Plays {@code media} to the goat and returns when it finished; then plays silence, as a phone
   * does: the goat hears a pause only in audio frames that carry silence (a PBX channel sitting in
   * Stasis sends no frames at all when nothing plays).
   */
  private AriEvent.PlaybackFinished say(String channelId, String media) {
    if (quiet != null) {
      ari.client().stopPlayback(quiet);
    }
    String playback = "it-say-" + UUID.randomUUID();
    ari.client().playOnChannel(channelId, playback, List.of(media));
    EventRecorder.Event finished =
        ari.recorder()
            .await(
                EventRecorder.Event.class,
                e ->
                    e.event() instanceof AriEvent.PlaybackFinished f
                        && f.playback().id().equals(playback),
                WAIT);
    quiet = "it-quiet-" + UUID.randomUUID();
    ari.client().playOnChannel(channelId, quiet, List.of("sound:silence/10", "sound:silence/10"));
    return (AriEvent.PlaybackFinished) finished.event();
  }

  private GoatLog goatLog() {
    return GoatLog.of(stack.pstnDir());
  }

  /** The goat's record of the call that ended after {@code after}. */
  private GoatLog.Call awaitCallEnd(Instant after) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                goatLog().calls().stream()
                    .filter(c -> c.at().isAfter(after.minusMillis(50)))
                    .findFirst()
                    .orElse(null),
            c -> c != null);
  }
}
