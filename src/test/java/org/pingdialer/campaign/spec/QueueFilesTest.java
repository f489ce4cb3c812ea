package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pingdialer.inbound.InboundDesk;

class QueueFilesTest {
  private static CampaignFileException problems(String yaml) {
    try {
      QueueFiles.parse(yaml, "support.yaml");
    } catch (CampaignFileException e) {
      return e;
    }
    throw new AssertionError("no problem found in:\n" + yaml);
  }

  @Test
  void theLabQueueReadsAsItsCommentsSay() throws Exception {
    InboundQueue q = QueueFiles.load(Path.of("asterisk-config/queues/lab-support.yaml"));
    assertThat(q.name()).isEqualTo("lab-support");
    assertThat(q.dids()).containsExactly("4930777100");
    assertThat(q.share()).isEqualTo(new Campaign.Share(100, 1, Set.of()));
    assertThat(q.reserve()).isEqualTo(new InboundQueue.Reserve.Agents(1));
    assertThat(q.serviceLevel()).isEqualTo(InboundQueue.ServiceLevel.USUAL);
    assertThat(q.announcement()).containsExactly("pls-hold-while-try");
    assertThat(q.musicOnHold()).isEqualTo("default");
    assertThat(q.positionEvery()).isEqualTo(Duration.ofSeconds(30));
    assertThat(q.maxWait()).isEqualTo(Duration.ofSeconds(90));
    assertThat(q.overflow()).isEqualTo(new InboundQueue.Overflow.ToVoicemail());
    assertThat(q.callback())
        .contains(
            new InboundQueue.CallbackOffer(
                "1", List.of("vm-press", "digits/1", "vm-tocallback"), "lab-callbacks"));
    assertThat(q.voicemail())
        .isEqualTo(new InboundQueue.Voicemail(List.of("vm-intro"), Duration.ofSeconds(60)));
    assertThat(q.wrapUp()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aMinimalQueueGoesFirstWithTheUsualServiceLevel() throws Exception {
    InboundQueue q = QueueFiles.parse("name: sales-in\ndids: [4930777101]\n", "q.yaml");
    assertThat(q.dids()).containsExactly("4930777101"); // a bare YAML number is taken as digits
    assertThat(q.share().priority()).isEqualTo(InboundQueue.DEFAULT_PRIORITY);
    assertThat(q.overflow()).isEqualTo(new InboundQueue.Overflow.Hangup());
    assertThat(q.maxWait()).isEqualTo(Duration.ofMinutes(2));
    assertThat(q.callback()).isEmpty();
  }

  @Test
  void anExpectedTrafficSizesTheReserveWithErlangC() throws Exception {
    InboundQueue q =
        QueueFiles.parse(
            """
            name: support
            dids: ["4930777100"]
            reserve: {calls_per_hour: 200, handle_time: 3m}
            """,
            "q.yaml");
    // 200 calls an hour of 180 s need 14 agents for 80 % within 20 s (InboundReserveTest).
    assertThat(q.reserve())
        .isEqualTo(new InboundQueue.Reserve.Expected(200, Duration.ofMinutes(3)));
    assertThat(InboundDesk.reserveOf(q)).isEqualTo(14);
  }

  @Test
  void everyProblemNamesItsPlaceAndAllComeTogether() {
    String message =
        problems(
                """
                name: Support!
                dids: ["+49 30 777", "4930777100", "4930777100"]
                reserve: lots
                service_level: {target: 80}
                music_on_hold: "my music"
                max_wait: 0s
                overflow: voicemale
                callback: {key: "12"}
                voicemail: {prompt: [vm-intro.gsm]}
                annoucement: [hello]
                """)
            .getMessage();
    assertThat(message)
        .contains("name", "Support!")
        .contains("dids[0]", "3-15 digits")
        .contains("dids[2]", "listed twice")
        .contains("reserve", "Erlang C")
        .contains("service_level.target", "0.8")
        .contains("music_on_hold")
        .contains("max_wait", "from 1s")
        .contains("overflow", "hangup, voicemail, callback or queue:<name>")
        .contains("callback.key", "one key")
        .contains("callback.list")
        .contains("voicemail.prompt[0]", "without the file extension")
        .contains("annoucement", "announcement");
  }

  @Test
  void aCallbackOverflowNeedsAListAndAQueueCannotOverflowIntoItself() {
    assertThat(problems("name: a\ndids: [\"123\"]\noverflow: callback\n").getMessage())
        .contains("overflow", "callback: {list:");
    assertThat(problems("name: a\ndids: [\"123\"]\noverflow: \"queue:a\"\n").getMessage())
        .contains("cannot overflow into the queue itself");
  }

  @Test
  void aQueueWithoutNumbersIsRefused() {
    assertThat(problems("name: a\n").getMessage()).contains("dids", "required");
  }
}
