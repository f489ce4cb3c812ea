package org.pingdialer.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.campaign.Floor;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.campaign.spec.QueueFiles;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.persona.InboundCallers;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.metrics.DialerMetrics;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcInboundStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * Inbound queues against real Asterisk: the simulated network's callers (call files) dial the call
 * center's numbers through the carrier trunk into the Stasis app; they wait, give up, press for a
 * callback, overflow to another queue and to voicemail, and are blended with an outbound campaign
 * on real lab agents.
 */
@LabStack
class InboundIT {
  private static final Instant SINCE = Instant.EPOCH;

  /** Talks briefly and files a refusal by keys. */
  private static final LabAgent.Behaviour BRIEF =
      LabAgent.Behaviour.defaults()
          .withTalk(
              new TalkTime(
                  Duration.ofSeconds(2), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(3)))
          .withMix(DispositionMix.of(100, 0, 0));

  private static InboundQueue queue(String yaml) throws Exception {
    return QueueFiles.parse(yaml, "it-queue.yaml");
  }

  private static CampaignRun.Settings settings(AsteriskStack stack, Database db, String name) {
    return new CampaignRun.Settings(
        stack.ari(), Optional.of(stack.ami()), db, name, LabRuns.BERLIN, 2);
  }

  private static Optional<InboundCallStore.Row> byNumber(
      JdbcInboundStore calls, String callerNumber) {
    return calls.calls(Optional.empty(), SINCE).stream()
        .filter(r -> r.caller().equals(callerNumber))
        .findFirst();
  }

  private static Optional<InboundCallStore.Row> ended(JdbcInboundStore calls, String number) {
    return byNumber(calls, number).filter(r -> r.outcome().isPresent());
  }

  @Test
  void callersWithoutAgentsGiveUpAskForACallbackOverflowAndLeaveVoicemail(AsteriskStack stack)
      throws Exception {
    InboundQueue waitq =
        queue(
            """
            name: waitq
            dids: ["4930777101"]
            announcement: [beep]
            music_on_hold: default
            position_every: 2s
            max_wait: 4s
            overflow: voicemail
            voicemail: {prompt: [beep], max_length: 5s}
            callback: {key: "1", list: it-callbacks}
            """);
    InboundQueue first =
        queue(
            """
            name: first
            dids: ["4930777102"]
            announcement: []
            max_wait: 3s
            overflow: "queue:waitq"
            """);
    try (Database database = LabRuns.database("h2-inbound-")) {
      var calls = new JdbcInboundStore(database);
      var leads = new JdbcLeadStore(database);
      try (Floor floor =
          Floor.start(
              "it-inbound",
              List.of(),
              List.of(waitq, first),
              settings(stack, database, "it-inbound"),
              InstantSource.system(),
              Duration.ofSeconds(10))) {
        Path network = stack.pstnDir();
        InboundCallers.call(
            network,
            "4930777101",
            InboundCallers.Caller.givesUp(Duration.ofSeconds(2), "4930999111121"));
        InboundCallers.call(
            network,
            "4930777101",
            InboundCallers.Caller.presses(Duration.ofSeconds(2), "4930999111122"));
        InboundCallers.call(
            network,
            "4930777101",
            InboundCallers.Caller.waits(Duration.ofSeconds(60), "4930999111123"));
        InboundCallers.call(
            network,
            "4930777102",
            InboundCallers.Caller.waits(Duration.ofSeconds(60), "4930999111124"));
        // No queue has this number: refused, nothing stored.
        InboundCallers.call(
            network,
            "4930777199",
            InboundCallers.Caller.waits(Duration.ofSeconds(60), "4930999111125"));

        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    ended(calls, "4930999111121").isPresent()
                        && ended(calls, "4930999111122").isPresent()
                        && ended(calls, "4930999111123").isPresent()
                        && ended(calls, "4930999111124").isPresent());

        InboundCallStore.Row gaveUp = byNumber(calls, "4930999111121").orElseThrow();
        assertThat(gaveUp.outcome()).contains(InboundOutcome.ABANDONED);
        assertThat(gaveUp.queue()).isEqualTo("waitq");
        assertThat(gaveUp.did()).isEqualTo("4930777101");

        InboundCallStore.Row pressed = byNumber(calls, "4930999111122").orElseThrow();
        assertThat(pressed.outcome()).contains(InboundOutcome.CALLBACK);
        List<Lead> callbacks = leads.leadsOf("it-callbacks", 10);
        assertThat(callbacks).extracting(Lead::e164).containsExactly("+4930999111122");

        InboundCallStore.Row voicemail = byNumber(calls, "4930999111123").orElseThrow();
        assertThat(voicemail.outcome()).contains(InboundOutcome.VOICEMAIL);
        assertThat(voicemail.recording()).contains("pd-vm-waitq-" + voicemail.id());
        Path recording =
            stack.pbxDir().resolve("spool/recording/pd-vm-waitq-" + voicemail.id() + ".wav");
        assertThat(recording).exists();
        assertThat(Files.size(recording)).isGreaterThan(1000);
        // A caller's message is nobody else's: the PBX writes it without rights for others.
        assertThat(Files.getPosixFilePermissions(recording))
            .doesNotContain(
                PosixFilePermission.OTHERS_READ,
                PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);

        // Overflowed from "first" into "waitq" after 3 s, then to voicemail 4 s later.
        InboundCallStore.Row moved = byNumber(calls, "4930999111124").orElseThrow();
        assertThat(moved.queue()).isEqualTo("waitq");
        assertThat(moved.overflowedFrom()).contains("first");
        assertThat(moved.outcome()).contains(InboundOutcome.VOICEMAIL);

        assertThat(byNumber(calls, "4930999111125")).isEmpty();

        InboundCallStore.QueueFigures figures =
            calls.figures("waitq", SINCE, Duration.ofSeconds(20));
        assertThat(figures.offered()).isEqualTo(4);
        assertThat(figures.outcomes())
            .isEqualTo(
                Map.of(
                    InboundOutcome.ABANDONED, 1L,
                    InboundOutcome.CALLBACK, 1L,
                    InboundOutcome.VOICEMAIL, 2L));
        assertThat(figures.serviceLevel()).isZero();
        await().atMost(AriSession.WAIT).until(() -> floor.ari().channels().isEmpty());
      }
    }
  }

  /** Persona 10, serial 1NNN: answers after 1 s of ringing and would talk about a minute. */
  private static String[] answering(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> "+49309991%05d".formatted(i))
        .toArray(String[]::new);
  }

  /** An outbound call that reached an agent: who, when it was placed, and from when to when. */
  private record Talk(String call, String agent, Instant placed, Instant from, Instant to) {}

  private static List<Talk> outbound(JdbcAttemptStore attempts, Campaign campaign) {
    List<Talk> talks = new ArrayList<>();
    long last = attempts.nextAttemptNumber(campaign.name()) - 1;
    for (long n = 1; n <= last; n++) {
      Optional<AttemptResult> result =
          attempts
              .find(new AttemptKey(campaign.name(), n))
              .flatMap(AttemptStore.StoredAttempt::result);
      if (result.isPresent()
          && result.get().agentId().isPresent()
          && result.get().timeline().bridgedAt() != null) {
        talks.add(
            new Talk(
                "out " + n,
                result.get().agentId().get(),
                result.get().timeline().createdAt(),
                result.get().timeline().bridgedAt(),
                result.get().timeline().endedAt()));
      }
    }
    return talks;
  }

  @Test
  void aWaitingCallerTakesTheNextFreeAgentBeforeAnyOutboundCall(AsteriskStack stack)
      throws Exception {
    Campaign out =
        LabCampaigns.parse(
            """
            lists: [out]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: off
            wrap_up: 1s
            """);
    InboundQueue blend =
        queue(
            """
            name: blend
            dids: ["4930777100"]
            announcement: []
            music_on_hold: default
            max_wait: 90s
            wrap_up: 1s
            """);
    List<String> callers = List.of("4930999111126", "4930999111127", "4930999111128");
    try (Database database = LabRuns.database("h2-blend-")) {
      var calls = new JdbcInboundStore(database);
      var attempts = new JdbcAttemptStore(database);
      LabCampaigns.importNumbers(new JdbcLeadStore(database), "out", answering(5000, 80));
      try (Floor floor =
          Floor.start(
              "it-blend",
              List.of(out),
              List.of(blend),
              settings(stack, database, "it-blend"),
              InstantSource.system(),
              Duration.ofSeconds(10))) {
        CampaignRun run = floor.run(out.name()).orElseThrow();
        try (var metrics = new DialerMetrics(run);
            LabAgents agents =
                LabAgents.start(
                    stack.settings().orElseThrow(),
                    floor.desk(),
                    2,
                    BRIEF,
                    11,
                    LabRuns.BERLIN,
                    Path.of("target/baresip"))) {
          assertThat(agents.agents()).hasSize(2);
          await().atMost(Duration.ofSeconds(60)).until(() -> outbound(attempts, out).size() >= 2);
          for (String caller : callers) {
            InboundCallers.call(
                stack.pstnDir(),
                "4930777100",
                InboundCallers.Caller.waits(Duration.ofMinutes(2), caller));
            Thread.sleep(500);
          }
          await()
              .atMost(Duration.ofSeconds(90))
              .until(() -> callers.stream().allMatch(c -> ended(calls, c).isPresent()));
          // The outbound campaign keeps dialing once the callers are served.
          int before = outbound(attempts, out).size();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> outbound(attempts, out).size() > before);
          run.stop();
          run.drain(Duration.ofSeconds(20));
          // The queue's figures are on /metrics beside the campaign's.
          assertThat(metrics.scrape())
              .contains(
                  "pingdialer_inbound_calls_total{outcome=\"answered\",queue=\"blend\"} 3.0",
                  "pingdialer_inbound_waiting{queue=\"blend\"} 0.0",
                  "pingdialer_calls_placed_total{campaign=\"" + out.name() + "\"}");
        }
        List<InboundCallStore.Row> inbound =
            callers.stream().map(c -> byNumber(calls, c).orElseThrow()).toList();
        assertThat(inbound)
            .allSatisfy(
                row -> {
                  assertThat(row.outcome()).contains(InboundOutcome.ANSWERED);
                  assertThat(row.agentId()).isPresent();
                  assertThat(row.disposition()).contains("refused");
                });
        List<Talk> outboundOnly = outbound(attempts, out);
        for (InboundCallStore.Row row : inbound) {
          // While the caller waited, a freed agent took the caller first: an outbound call put
          // through meanwhile had been placed before the caller came, with its agent reserved.
          // (The caller is in line once its row is stored: 1 s slack.)
          Instant waitFrom = row.arrivedAt().plusSeconds(1);
          Instant answered = row.answeredAt().orElseThrow();
          assertThat(outboundOnly)
              .as("outbound calls placed and bridged while inbound call %d waited", row.id())
              .noneMatch(
                  t ->
                      t.placed().isAfter(waitFrom)
                          && t.from().isAfter(waitFrom)
                          && t.from().isBefore(answered));
        }
        // No agent was in two calls: an inbound call's agent had no outbound call bridged in the
        // meantime (its end is taken from the next bridged call of that agent).
        for (InboundCallStore.Row row : inbound) {
          Instant answered = row.answeredAt().orElseThrow();
          assertThat(outboundOnly)
              .noneMatch(
                  t ->
                      t.agent().equals(row.agentId().get())
                          && t.from().isBefore(answered)
                          && t.to().isAfter(answered));
        }
        assertThat(calls.figures("blend", SINCE, Duration.ofSeconds(20)).outcomes())
            .isEqualTo(Map.of(InboundOutcome.ANSWERED, 3L));
        await().atMost(AriSession.WAIT).until(() -> floor.ari().channels().isEmpty());
      }
    }
  }

  /**
   * A predictive campaign under its abandon cap (3 %) shares two agents with an inbound queue whose
   * callers keep coming: the callers take agents first, yet no outbound callee is dropped for want
   * of an agent (the governor holds the small team to one call per agent, each placed with its
   * agent reserved, which a caller cannot take while the call rings), so the campaign's abandon
   * rate stays under its cap; no agent is in two calls, and the loop's figures are the attempts
   * table's.
   */
  @Test
  void aGovernedPredictiveCampaignStaysUnderItsCapWhileCallersTakeItsAgents(AsteriskStack stack)
      throws Exception {
    Campaign sales =
        LabCampaigns.parse(
            """
            lists: [sales]
            pacing:
              mode: predictive
              max_abandon_rate: 0.03
              max_channels: 4
              ring_timeout: 10s
            line_check: off
            wrap_up: 1s
            """);
    InboundQueue help =
        queue(
            """
            name: help
            dids: ["4930777105"]
            announcement: []
            music_on_hold: default
            max_wait: 90s
            wrap_up: 1s
            """);
    List<String> callers =
        List.of(
            "4930999111140",
            "4930999111141",
            "4930999111142",
            "4930999111143",
            "4930999111144",
            "4930999111145");
    try (Database database = LabRuns.database("h2-capped-")) {
      var calls = new JdbcInboundStore(database);
      var attempts = new JdbcAttemptStore(database);
      LabCampaigns.importNumbers(new JdbcLeadStore(database), "sales", answering(5200, 80));
      try (Floor floor =
          Floor.start(
              "it-capped",
              List.of(sales),
              List.of(help),
              settings(stack, database, "it-capped"),
              InstantSource.system(),
              Duration.ofSeconds(10))) {
        CampaignRun run = floor.run(sales.name()).orElseThrow();
        try (LabAgents agents =
            LabAgents.start(
                stack.settings().orElseThrow(),
                floor.desk(),
                2,
                BRIEF,
                13,
                LabRuns.BERLIN,
                Path.of("target/baresip"))) {
          assertThat(agents.agents()).hasSize(2);
          await().atMost(Duration.ofSeconds(60)).until(() -> outbound(attempts, sales).size() >= 2);
          // A caller every 3 s while the campaign dials: each arrives while calls ring.
          for (String caller : callers) {
            InboundCallers.call(
                stack.pstnDir(),
                "4930777105",
                InboundCallers.Caller.waits(Duration.ofMinutes(2), caller));
            Thread.sleep(3_000);
          }
          await()
              .atMost(Duration.ofSeconds(90))
              .until(() -> callers.stream().allMatch(c -> ended(calls, c).isPresent()));
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> outbound(attempts, sales).size() >= 12);
          run.stop();
          run.drain(Duration.ofSeconds(20));
        }
        var counts = attempts.countsOf(sales.name());
        long abandoned = counts.of(DialOutcome.ABANDONED);
        long live = counts.of(DialOutcome.ANSWERED) + abandoned;
        System.out.printf(
            "capped campaign beside %d callers: %d calls, %d answered by a person, %d abandoned%n",
            callers.size(), counts.calls(), live, abandoned);
        assertThat(live).isGreaterThanOrEqualTo(12);
        assertThat((double) abandoned / live).isLessThanOrEqualTo(0.03);
        assertThat(callers)
            .allSatisfy(
                c ->
                    assertThat(ended(calls, c).orElseThrow().outcome())
                        .contains(InboundOutcome.ANSWERED));
        // No agent was in two calls: outbound spans of one agent do not overlap, and no inbound
        // call was answered by an agent during one of its outbound calls.
        List<Talk> out = outbound(attempts, sales);
        for (Talk a : out) {
          for (Talk b : out) {
            if (!a.call().equals(b.call()) && a.agent().equals(b.agent())) {
              assertThat(a.to().isBefore(b.from()) || b.to().isBefore(a.from()))
                  .as("%s and %s of agent %s", a.call(), b.call(), a.agent())
                  .isTrue();
            }
          }
        }
        for (String caller : callers) {
          InboundCallStore.Row row = byNumber(calls, caller).orElseThrow();
          Instant answered = row.answeredAt().orElseThrow();
          assertThat(out)
              .noneMatch(
                  t ->
                      t.agent().equals(row.agentId().get())
                          && t.from().isBefore(answered)
                          && t.to().isAfter(answered));
        }
        // The loop's count is the attempts table's.
        assertThat(run.loop().stats().get().placed()).isEqualTo(counts.calls());
        await().atMost(AriSession.WAIT).until(() -> floor.ari().channels().isEmpty());
      }
    }
  }
}
