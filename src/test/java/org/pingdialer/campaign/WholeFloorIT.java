package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.KnownBots;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.campaign.spec.QueueFiles;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.inbound.InboundOutcome;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.persona.InboundCallers;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.report.AgentReport;
import org.pingdialer.report.CampaignReport;
import org.pingdialer.report.ReportCatalog;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcInboundStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.store.JdbcReports;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * The whole floor in one run on real Asterisk and five real lab agents: a priority-2 campaign
 * ("urgent", agents 0 and 1), two priority-1 campaigns of weights 3 and 1 ("big", predictive under
 * a 3 % cap, and "small", progressive; agents 1 to 4) and an inbound queue every agent serves, with
 * callers arriving while all three dial. Agent 1 is a member of every campaign, agent 0 of one.
 */
@LabStack(own = true, agents = 5)
class WholeFloorIT {
  private static final LabAgent.Behaviour BRIEF =
      LabAgent.Behaviour.defaults()
          .withTalk(
              new TalkTime(
                  Duration.ofSeconds(3), 0.1, Duration.ofSeconds(2), Duration.ofSeconds(4)))
          .withMix(DispositionMix.of(100, 0, 0));

  private static final String DID = "4930777110";
  private static final int URGENT_LEADS = 8;

  /** Persona 10, serial 1NNN: answers after 1 s of ringing. */
  private static String[] answering(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> "+49309991%05d".formatted(i))
        .toArray(String[]::new);
  }

  private static Campaign campaign(String list, String pacing, String share) throws Exception {
    return LabCampaigns.parse(
        """
        lists: [%s]
        pacing: %s
        line_check: off
        wrap_up: 1s
        %s
        """
            .formatted(list, pacing, share));
  }

  /** A campaign's call that reached an agent: who, when it was placed, bridged and ended. */
  private record Talk(AttemptKey call, String agent, Instant placed, Instant from, Instant to) {
    double seconds() {
      return Duration.between(from, to).toMillis() / 1000.0;
    }
  }

  private static List<Talk> talks(JdbcAttemptStore attempts, Campaign campaign) {
    List<Talk> talks = new ArrayList<>();
    long last = attempts.nextAttemptNumber(campaign.name()) - 1;
    for (long n = 1; n <= last; n++) {
      Optional<AttemptResult> result =
          attempts
              .find(new AttemptKey(campaign.name(), n))
              .flatMap(AttemptStore.StoredAttempt::result);
      if (result.isPresent()
          && result.get().agentId().isPresent()
          && result.get().timeline().bridgedAt() != null
          && result.get().timeline().endedAt() != null) {
        var timeline = result.get().timeline();
        talks.add(
            new Talk(
                result.get().attempt().key(),
                result.get().agentId().get(),
                timeline.createdAt(),
                timeline.bridgedAt(),
                timeline.endedAt()));
      }
    }
    return talks;
  }

  /** Seconds of talk of {@code talks} bridged after {@code after}. */
  private static double talkAfter(List<Talk> talks, Instant after) {
    return talks.stream().filter(t -> t.from().isAfter(after)).mapToDouble(Talk::seconds).sum();
  }

  private static Optional<InboundCallStore.Row> ended(JdbcInboundStore calls, String number) {
    return calls.calls(Optional.empty(), Instant.EPOCH).stream()
        .filter(r -> r.caller().equals(number) && r.outcome().isPresent())
        .findFirst();
  }

  @Test
  void prioritiesWeightsAndInboundShareOneTeamAndEachCampaignKeepsItsOwnBooks(AsteriskStack stack)
      throws Exception {
    List<AgentAccount> accounts = stack.settings().orElseThrow().agents();
    assertThat(accounts).hasSize(5);
    String agent0 = accounts.get(0).id();
    String agent1 = accounts.get(1).id();
    String rest =
        accounts.subList(1, 5).stream().map(AgentAccount::id).collect(Collectors.joining(", "));
    Campaign urgent =
        campaign(
            "urgent",
            "{mode: progressive, ring_timeout: 10s}",
            "priority: 2\nagents: [%s, %s]".formatted(agent0, agent1));
    Campaign big =
        campaign(
            "big",
            "{mode: predictive, max_abandon_rate: 0.03, max_channels: 8, ring_timeout: 10s}",
            "priority: 1\nweight: 3\nagents: [%s]".formatted(rest));
    Campaign small =
        campaign(
            "small",
            "{mode: progressive, ring_timeout: 10s}",
            "priority: 1\nweight: 1\nagents: [%s]".formatted(rest));
    List<Campaign> campaigns = List.of(urgent, big, small);
    InboundQueue help =
        QueueFiles.parse(
            """
            name: help
            dids: ["%s"]
            announcement: []
            music_on_hold: default
            max_wait: 90s
            wrap_up: 1s
            """
                .formatted(DID),
            "help.yaml");
    List<String> callers =
        IntStream.range(0, 5).mapToObj(i -> "49309991111%02d".formatted(50 + i)).toList();
    try (Database database = LabRuns.database("h2-whole-floor-")) {
      var leads = new JdbcLeadStore(database);
      var attempts = new JdbcAttemptStore(database);
      var inbound = new JdbcInboundStore(database);
      LabCampaigns.importNumbers(leads, "urgent", answering(6500, URGENT_LEADS));
      LabCampaigns.importNumbers(leads, "big", answering(6000, 300));
      LabCampaigns.importNumbers(leads, "small", answering(7000, 300));
      var settings =
          new CampaignRun.Settings(
              stack.ari(), Optional.of(stack.ami()), database, "it-whole", LabRuns.BERLIN, 2);
      try (Floor floor =
          Floor.start(
              "it-whole",
              campaigns,
              List.of(help),
              settings,
              InstantSource.system(),
              Duration.ofSeconds(10))) {
        Instant bigStopped;
        try (LabAgents agents =
            LabAgents.start(
                stack.settings().orElseThrow(),
                floor.desk(),
                5,
                BRIEF,
                17,
                LabRuns.BERLIN,
                Path.of("target/baresip"))) {
          assertThat(agents.agents()).hasSize(5);
          await().atMost(Duration.ofSeconds(60)).until(() -> talks(attempts, urgent).size() >= 2);
          // Callers arrive while every campaign dials: one every 6 s.
          for (String caller : callers) {
            InboundCallers.call(
                stack.pstnDir(), DID, InboundCallers.Caller.waits(Duration.ofMinutes(2), caller));
            Thread.sleep(6_000);
          }
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () ->
                      talks(attempts, urgent).size() == URGENT_LEADS
                          && callers.stream().allMatch(c -> ended(inbound, c).isPresent()));
          // From urgent's last call on, the two equal priorities have agents 1 to 4 between them:
          // enough talk for their shares to mean something (about 30 calls of 3 s).
          Instant urgentDone =
              talks(attempts, urgent).stream().map(Talk::to).max(Instant::compareTo).orElseThrow();
          await()
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofSeconds(2))
              .until(
                  () ->
                      talkAfter(talks(attempts, big), urgentDone)
                              + talkAfter(talks(attempts, small), urgentDone)
                          >= 100);

          // Stopping one campaign leaves the others dialing: "small" takes big's agents.
          CampaignRun bigRun = floor.run(big.name()).orElseThrow();
          bigStopped = Instant.now();
          bigRun.stop();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      talks(attempts, small).stream()
                              .filter(t -> t.from().isAfter(bigStopped.plusSeconds(5)))
                              .map(Talk::agent)
                              .distinct()
                              .count()
                          >= 2);
          for (CampaignRun run : floor.runs()) {
            run.stop();
          }
          for (CampaignRun run : floor.runs()) {
            run.drain(Duration.ofSeconds(20));
          }
        } // the lab agents log out

        List<Talk> urgentTalks = talks(attempts, urgent);
        List<Talk> bigTalks = talks(attempts, big);
        List<Talk> smallTalks = talks(attempts, small);
        List<Talk> outbound = new ArrayList<>(urgentTalks);
        outbound.addAll(bigTalks);
        outbound.addAll(smallTalks);

        // The higher priority gets its agents first: urgent's calls went to both its agents, and
        // agent 1, shared with the priority-1 campaigns, took none of theirs until urgent had
        // placed its last call. Agent 0 (urgent's alone) took no priority-1 call.
        assertThat(urgentTalks)
            .extracting(Talk::agent)
            .containsOnly(agent0, agent1)
            .contains(agent1);
        Instant urgentLastPlaced =
            urgentTalks.stream().map(Talk::placed).max(Instant::compareTo).orElseThrow();
        List<Talk> lower = new ArrayList<>(bigTalks);
        lower.addAll(smallTalks);
        assertThat(lower).noneMatch(t -> t.agent().equals(agent0));
        assertThat(lower)
            .filteredOn(t -> t.agent().equals(agent1))
            .allMatch(t -> t.from().isAfter(urgentLastPlaced));

        // Equal priorities share by weight, within ±10 % of big's 0.75, over the time they had
        // agents 1 to 4 between them (after urgent's last call, until big was stopped).
        Instant urgentDone =
            urgentTalks.stream().map(Talk::to).max(Instant::compareTo).orElseThrow();
        double bigTalk =
            bigTalks.stream()
                .filter(t -> t.from().isAfter(urgentDone) && t.from().isBefore(bigStopped))
                .mapToDouble(Talk::seconds)
                .sum();
        double smallTalk =
            smallTalks.stream()
                .filter(t -> t.from().isAfter(urgentDone) && t.from().isBefore(bigStopped))
                .mapToDouble(Talk::seconds)
                .sum();
        double share = bigTalk / (bigTalk + smallTalk);
        System.out.printf(
            "whole floor: urgent %d calls; big %.0f s and small %.0f s of talk at weights 3:1,"
                + " share %.3f (expected 0.750)%n",
            urgentTalks.size(), bigTalk, smallTalk, share);
        assertThat(share).isBetween(0.675, 0.825);

        // Every caller was answered, and while one waited no agent who came free took an
        // outbound call instead: every outbound call put through meanwhile had been placed before
        // the caller came (with its agent reserved, or ringing as the pacer's own bet). The caller
        // is in line once its row is stored: 1 s slack.
        List<InboundCallStore.Row> rows =
            callers.stream().map(c -> ended(inbound, c).orElseThrow()).toList();
        for (InboundCallStore.Row row : rows) {
          assertThat(row.outcome()).contains(InboundOutcome.ANSWERED);
          Instant waitFrom = row.arrivedAt().plusSeconds(1);
          Instant answered = row.answeredAt().orElseThrow();
          assertThat(outbound)
              .as("outbound calls placed and bridged while inbound call %d waited", row.id())
              .noneMatch(
                  t ->
                      t.placed().isAfter(waitFrom)
                          && t.from().isAfter(waitFrom)
                          && t.from().isBefore(answered));
        }

        // No agent was ever in two calls: the spans of one agent's calls, outbound of every
        // campaign and inbound, do not overlap.
        List<Talk> all = new ArrayList<>(outbound);
        for (InboundCallStore.Row row : rows) {
          all.add(
              new Talk(
                  new AttemptKey("inbound", row.id()),
                  row.agentId().orElseThrow(),
                  row.arrivedAt(),
                  row.answeredAt().orElseThrow(),
                  row.endedAt().orElseThrow()));
        }
        for (Talk a : all) {
          for (Talk b : all) {
            if (!a.call().equals(b.call()) && a.agent().equals(b.agent())) {
              assertThat(a.to().isBefore(b.from()) || b.to().isBefore(a.from()))
                  .as("%s and %s of agent %s", a.call(), b.call(), a.agent())
                  .isTrue();
            }
          }
        }

        // Each campaign keeps its own books: its abandon rate under its cap, and its loop's count
        // and its report's equal to its rows in the attempts table; the reports add up to every
        // row of the table, each found by its key.
        ReportCatalog reports = JdbcReports.catalog(database, campaigns, KnownBots.none());
        long bridged = 0;
        long reported = 0;
        for (Campaign campaign : campaigns) {
          JdbcAttemptStore.Counts counts = attempts.countsOf(campaign.name());
          CampaignReport report =
              reports.report(campaign.name(), Optional.empty(), Instant.now()).orElseThrow();
          System.out.printf(
              "  %s: %d calls, %d answered, %d abandoned%n",
              campaign.name(),
              counts.calls(),
              counts.of(DialOutcome.ANSWERED),
              counts.of(DialOutcome.ABANDONED));
          // Its own cap: big's 3 %; the progressive campaigns, each call placed with its agent
          // reserved, drop none.
          double cap =
              AbandonGovernor.Limits.of(campaign).map(AbandonGovernor.Limits::cap).orElse(0.0);
          assertThat(counts.abandonRate())
              .as("%s under its cap", campaign.name())
              .isLessThanOrEqualTo(cap);
          assertThat(floor.run(campaign.name()).orElseThrow().loop().stats().get().placed())
              .isEqualTo(counts.calls());
          assertThat(report.outcomes().calls()).isEqualTo(counts.calls());
          assertThat(report.outcomes().inFlight()).isZero();
          assertThat(
                  report.outcomes().byOutcome().values().stream().mapToLong(Long::longValue).sum())
              .isEqualTo(counts.calls());
          assertThat(report.outcomes().connectedToAgent()).isEqualTo(counts.connectedToAgent());
          bridged += report.outcomes().connectedToAgent();
          reported += report.outcomes().calls();
        }
        long tableRows = 0;
        for (Campaign campaign : campaigns) {
          long last = attempts.nextAttemptNumber(campaign.name());
          for (long n = 1; n < last; n++) {
            if (attempts.find(new AttemptKey(campaign.name(), n)).isPresent()) {
              tableRows++;
            }
          }
        }
        assertThat(reported).isEqualTo(tableRows);
        // The agents' report spans the campaigns and the queue: each agent's calls are the
        // outbound calls put through to it and the callers it answered.
        AgentReport byAgent =
            reports.agents(inbound.calls(Optional.empty(), Instant.EPOCH), Instant.EPOCH);
        System.out.printf(
            "  agents' report: %s; bridged in the attempts table %d, talks %d, callers %d%n",
            byAgent.agents().stream().map(a -> a.agent() + " " + a.calls()).toList(),
            bridged,
            outbound.size(),
            rows.size());
        for (AgentReport.Agent agent : byAgent.agents()) {
          long took =
              outbound.stream().filter(t -> t.agent().equals(agent.agent())).count()
                  + rows.stream()
                      .filter(r -> r.agentId().orElseThrow().equals(agent.agent()))
                      .count();
          assertThat(agent.calls()).as("calls of %s", agent.agent()).isEqualTo(took);
        }
        assertThat(byAgent.agents().stream().mapToLong(AgentReport.Agent::calls).sum())
            .isEqualTo(bridged + callers.size());
        Set<String> parts =
            byAgent.agents().stream()
                .filter(a -> a.agent().equals(agent1))
                .flatMap(a -> a.parts().stream())
                .map(AgentReport.Part::name)
                .collect(Collectors.toSet());
        assertThat(parts).contains(urgent.name()).containsAnyOf(big.name(), small.name());
        await().atMost(AriSession.WAIT).until(() -> floor.ari().channels().isEmpty());
      }
    }
  }
}
