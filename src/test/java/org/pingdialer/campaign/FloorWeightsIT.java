package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
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
 * Two campaigns of equal priority and weights 3 and 1 on four real lab agents: over a run, each
 * gets its weighted share of the agents' talk time within ±10 % of it.
 */
@LabStack(own = true, agents = 4)
class FloorWeightsIT {
  private static final LabAgent.Behaviour BRIEF =
      LabAgent.Behaviour.defaults()
          .withTalk(
              new TalkTime(
                  Duration.ofSeconds(3), 0.1, Duration.ofSeconds(2), Duration.ofSeconds(4)))
          .withMix(DispositionMix.of(100, 0, 0));

  /** Persona 10, serial 1NNN: answers after 1 s of ringing. */
  private static String[] answering(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> "+49309991%05d".formatted(i))
        .toArray(String[]::new);
  }

  private static Campaign campaign(String list, int weight) throws Exception {
    return LabCampaigns.parse(
        """
        lists: [%s]
        pacing: {mode: progressive, ring_timeout: 10s}
        line_check: off
        wrap_up: 1s
        weight: %d
        """
            .formatted(list, weight));
  }

  /** Seconds the campaign's calls spent with an agent (bridged to end). */
  private static double talk(JdbcAttemptStore attempts, Campaign campaign) {
    double seconds = 0;
    long last = attempts.nextAttemptNumber(campaign.name()) - 1;
    for (long n = 1; n <= last; n++) {
      Optional<AttemptResult> result =
          attempts
              .find(new AttemptKey(campaign.name(), n))
              .flatMap(AttemptStore.StoredAttempt::result);
      if (result.isPresent()
          && result.get().timeline().bridgedAt() != null
          && result.get().timeline().endedAt() != null) {
        seconds +=
            Duration.between(result.get().timeline().bridgedAt(), result.get().timeline().endedAt())
                    .toMillis()
                / 1000.0;
      }
    }
    return seconds;
  }

  @Test
  void equalPrioritiesShareTheAgentsByWeight(AsteriskStack stack) throws Exception {
    Campaign big = campaign("big", 3);
    Campaign small = campaign("small", 1);
    try (Database database = LabRuns.database("h2-weights-")) {
      var leads = new JdbcLeadStore(database);
      var attempts = new JdbcAttemptStore(database);
      LabCampaigns.importNumbers(leads, "big", answering(6000, 300));
      LabCampaigns.importNumbers(leads, "small", answering(7000, 300));
      var settings =
          new CampaignRun.Settings(
              stack.ari(), Optional.of(stack.ami()), database, "it-weights", LabRuns.BERLIN, 2);
      try (Floor floor =
          Floor.start(
              "it-weights",
              List.of(big, small),
              settings,
              InstantSource.system(),
              Duration.ofSeconds(10))) {
        try (LabAgents agents =
            LabAgents.start(
                stack.settings().orElseThrow(),
                floor.desk(),
                4,
                BRIEF,
                5,
                LabRuns.BERLIN,
                Path.of("target/baresip"))) {
          assertThat(agents.agents()).hasSize(4);
          // Enough talk for shares to mean something: about 30 calls of 3 s (150 s of talk gave
          // shares of 0.767 and 0.770 in two runs, 100 s gives half the wait).
          await()
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofSeconds(2))
              .until(() -> talk(attempts, big) + talk(attempts, small) >= 100);
          for (CampaignRun run : floor.runs()) {
            run.stop();
          }
          for (CampaignRun run : floor.runs()) {
            run.drain(Duration.ofSeconds(20));
          }
        }
        double bigTalk = talk(attempts, big);
        double smallTalk = talk(attempts, small);
        double share = bigTalk / (bigTalk + smallTalk);
        System.out.printf(
            "weights 3:1 on 4 agents: talk %.0f s and %.0f s, share %.3f (expected 0.750)%n",
            bigTalk, smallTalk, share);
        // ±10 % of its weighted share: 0.75 × 0.9 to 0.75 × 1.1.
        assertThat(share).isBetween(0.675, 0.825);
        await().atMost(AriSession.WAIT).until(() -> floor.ari().channels().isEmpty());
      }
    }
  }
}
