package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.campaign.spec.AgentGroups;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * Two campaigns on one floor of real agents (baresip phones logged in with their PINs) against real
 * Asterisk and the simulated network: one pool, one Stasis app, priorities, a stop that hands the
 * agents over, no agent in two calls, and each campaign's attempts its own.
 */
@LabStack
class FloorIT {
  /** Talks briefly and files a refusal by keys: many calls in a short test. */
  private static final LabAgent.Behaviour BRIEF =
      LabAgent.Behaviour.defaults()
          .withTalk(
              new TalkTime(
                  Duration.ofSeconds(2), 0.2, Duration.ofSeconds(1), Duration.ofSeconds(3)))
          .withMix(DispositionMix.of(100, 0, 0));

  /** Persona 10, serial 1NNN: answers after 1 s of ringing and would talk about a minute. */
  private static String[] answering(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> "+49309991%05d".formatted(i))
        .toArray(String[]::new);
  }

  private static Campaign campaign(String list, int priority, String agents) throws Exception {
    return LabCampaigns.parse(
        """
        lists: [%s]
        pacing: {mode: progressive, ring_timeout: 10s}
        line_check: off
        wrap_up: 1s
        priority: %d
        %s
        """
            .formatted(list, priority, agents));
  }

  /** A call of the campaign that reached an agent: who, and from when to when. */
  private record Bridged(AttemptKey call, String agent, Instant from, Instant to) {}

  private static List<Bridged> bridged(JdbcAttemptStore attempts, Campaign campaign) {
    List<Bridged> calls = new ArrayList<>();
    long last = attempts.nextAttemptNumber(campaign.name()) - 1;
    for (long n = 1; n <= last; n++) {
      Optional<AttemptStore.StoredAttempt> stored =
          attempts.find(new AttemptKey(campaign.name(), n));
      Optional<AttemptResult> result = stored.flatMap(AttemptStore.StoredAttempt::result);
      if (result.isPresent()
          && result.get().agentId().isPresent()
          && result.get().timeline().bridgedAt() != null) {
        calls.add(
            new Bridged(
                result.get().attempt().key(),
                result.get().agentId().get(),
                result.get().timeline().bridgedAt(),
                result.get().timeline().endedAt()));
      }
    }
    return calls;
  }

  @Test
  void theHigherPriorityWorksTheAgentsItSharesAndAStopHandsThemToTheOther(AsteriskStack stack)
      throws Exception {
    List<AgentAccount> accounts = stack.settings().orElseThrow().agents();
    // The lab stack's two agents: "high" is worked by the first (its agent_group, "lab", has only
    // the first); "low" by both (its own list wins over the group), the first only while "high"
    // does not dial.
    String first = accounts.get(0).id();
    String second = accounts.get(1).id();
    Campaign high = campaign("high", 2, "");
    Campaign low = campaign("low", 1, "agents: [%s, %s]".formatted(first, second));
    var groups = new AgentGroups(Map.of("lab", Set.of(first)));
    try (Database database = LabRuns.database("h2-floor-")) {
      var leads = new JdbcLeadStore(database);
      var attempts = new JdbcAttemptStore(database);
      LabCampaigns.importNumbers(leads, "high", answering(1000, 60));
      LabCampaigns.importNumbers(leads, "low", answering(2000, 60));
      var settings =
          new CampaignRun.Settings(
              stack.ari(),
              Optional.of(stack.ami()),
              database,
              "it-floor",
              LabRuns.BERLIN,
              2,
              groups);
      try (Floor floor =
          Floor.start(
              "it-floor",
              List.of(high, low),
              settings,
              InstantSource.system(),
              Duration.ofSeconds(10))) {
        CampaignRun highRun = floor.run(high.name()).orElseThrow();
        CampaignRun lowRun = floor.run(low.name()).orElseThrow();
        try (LabAgents agents =
            LabAgents.start(
                stack.settings().orElseThrow(),
                floor.desk(),
                2,
                BRIEF,
                7,
                LabRuns.BERLIN,
                Path.of("target/baresip"))) {
          assertThat(agents.agents()).hasSize(2);
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () -> bridged(attempts, high).size() >= 3 && bridged(attempts, low).size() >= 3);

          // While "high" dials, the first agent takes its calls only, the second "low"'s.
          assertThat(bridged(attempts, high)).extracting(Bridged::agent).containsOnly(first);
          assertThat(bridged(attempts, low)).extracting(Bridged::agent).containsOnly(second);

          Instant stopped = Instant.now();
          highRun.stop();
          // Its agents go to "low", which keeps dialing.
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      bridged(attempts, low).stream()
                          .anyMatch(b -> b.from().isAfter(stopped) && b.agent().equals(first)));
          lowRun.stop();
          highRun.drain(Duration.ofSeconds(20));
          lowRun.drain(Duration.ofSeconds(20));
        } // the lab agents log out

        // No agent was ever in two calls: each agent's bridged spans, over both campaigns, do
        // not overlap.
        List<Bridged> all = new ArrayList<>(bridged(attempts, high));
        all.addAll(bridged(attempts, low));
        for (Bridged a : all) {
          for (Bridged b : all) {
            if (!a.call().equals(b.call()) && a.agent().equals(b.agent())) {
              assertThat(a.to().isBefore(b.from()) || b.to().isBefore(a.from()))
                  .as("%s and %s of agent %s", a.call(), b.call(), a.agent())
                  .isTrue();
            }
          }
        }
        // Each campaign's attempts are its own: the loops' counts are the attempts table's.
        assertThat(highRun.loop().stats().get().placed())
            .isEqualTo(attempts.countsOf(high.name()).calls());
        assertThat(lowRun.loop().stats().get().placed())
            .isEqualTo(attempts.countsOf(low.name()).calls());
        await().atMost(AriSession.WAIT).until(() -> floor.ari().channels().isEmpty());
      }
    }
  }

  @Test
  void aHigherPriorityWithNothingLeftToDialHandsItsAgentToTheOther(AsteriskStack stack)
      throws Exception {
    List<AgentAccount> accounts = stack.settings().orElseThrow().agents();
    String first = accounts.get(0).id();
    Campaign high = campaign("short", 2, "agents: [%s]".formatted(first));
    Campaign low = campaign("long", 1, "");
    try (Database database = LabRuns.database("h2-floor-dry-")) {
      var leads = new JdbcLeadStore(database);
      var attempts = new JdbcAttemptStore(database);
      LabCampaigns.importNumbers(leads, "short", answering(3000, 2));
      LabCampaigns.importNumbers(leads, "long", answering(4000, 60));
      var settings =
          new CampaignRun.Settings(
              stack.ari(), Optional.of(stack.ami()), database, "it-floor-dry", LabRuns.BERLIN, 2);
      try (Floor floor =
          Floor.start(
              "it-floor-dry",
              List.of(high, low),
              settings,
              InstantSource.system(),
              Duration.ofSeconds(10))) {
        try (LabAgents agents =
            LabAgents.start(
                stack.settings().orElseThrow(),
                floor.desk(),
                1,
                BRIEF,
                8,
                LabRuns.BERLIN,
                Path.of("target/baresip"))) {
          assertThat(agents.agents()).hasSize(1);
          // The first agent works "short" while it has leads, then "long", with no stop.
          await()
              .atMost(Duration.ofSeconds(90))
              .until(() -> bridged(attempts, low).stream().anyMatch(b -> b.agent().equals(first)));
          List<Bridged> shortCalls = bridged(attempts, high);
          assertThat(shortCalls).hasSize(2).extracting(Bridged::agent).containsOnly(first);
          Instant lastShort =
              shortCalls.stream().map(Bridged::to).max(Instant::compareTo).orElseThrow();
          assertThat(bridged(attempts, low)).allMatch(b -> b.from().isAfter(lastShort));
          for (CampaignRun run : floor.runs()) {
            run.stop();
          }
          for (CampaignRun run : floor.runs()) {
            run.drain(Duration.ofSeconds(20));
          }
        }
        await().atMost(AriSession.WAIT).until(() -> floor.ari().channels().isEmpty());
      }
    }
  }
}
