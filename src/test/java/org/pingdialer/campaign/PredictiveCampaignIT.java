package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.compliance.WhyNot;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * A short predictive campaign against the lab stack with lab agents on real phones: it keeps its
 * abandon rate under the cap, and it stops dialing when its calling window closes in the middle of
 * the test. The controller's clock is set so that the test starts at 11:59:20 in Berlin (the
 * numbers' zone) and the window ends at 12:00; Asterisk and the phones run on real time.
 */
@LabStack
class PredictiveCampaignIT {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void itStaysUnderTheAbandonCapAndDialsNothingOnceTheWindowHasClosed(AsteriskStack stack)
      throws Exception {
    Instant start =
        LocalDate.now(BERLIN).atTime(LocalTime.of(11, 59, 20)).atZone(BERLIN).toInstant();
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), start));
    Instant windowEnd =
        LocalDate.now(clock.withZone(BERLIN)).atTime(12, 0).atZone(BERLIN).toInstant();
    var campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing:
              mode: predictive
              max_abandon_rate: 0.03
              max_channels: 10
              ring_timeout: 8s
            line_check: off
            wrap_up: 2s
            """,
            "00:00-12:00");
    // People who ring 2 s and stay 10 or 15 s, busy lines, no answers, unallocated numbers.
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      numbers.add("+4930999" + "11" + "1" + "02" + i);
      numbers.add("+4930999" + "11" + "1" + "03" + i);
      numbers.add(String.format(Locale.ROOT, "+4930999%s%04d", "20", 100 + i));
      numbers.add(String.format(Locale.ROOT, "+4930999%s%04d", "30", 100 + i));
      numbers.add(String.format(Locale.ROOT, "+4930999%s%04d", "40", 100 + i));
    }
    try (Database database = LabRuns.database("h2-pred-")) {
      var run =
          CampaignRun.start(
              campaign,
              new CampaignRun.Settings(
                  stack.ari(), Optional.of(stack.ami()), database, "it-pred", BERLIN, 2),
              clock,
              Duration.ofSeconds(10));
      try (run) {
        LabCampaigns.importNumbers(run.leads(), "bought", numbers.toArray(String[]::new));
        try (var agents =
            LabRuns.agents(
                stack,
                run,
                2,
                LabAgent.Behaviour.defaults()
                    .withTalk(TalkTime.fixed(Duration.ofSeconds(3)))
                    .withMix(DispositionMix.of(100, 0, 0)),
                3)) {
          // The loop tells the pacer which busy agents still talk and which are in wrap-up (the
          // call ended; 2 s to file): both are seen while the campaign runs.
          int[] mostTalking = {0};
          int[] mostWrappingUp = {0};
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    CampaignLoop.Stats now = run.loop().stats().get(5, TimeUnit.SECONDS);
                    mostTalking[0] = Math.max(mostTalking[0], now.agentsTalking());
                    mostWrappingUp[0] = Math.max(mostWrappingUp[0], now.agentsWrappingUp());
                    return !clock.instant().isBefore(windowEnd);
                  });
          assertThat(mostTalking[0]).isBetween(1, 2);
          assertThat(mostWrappingUp[0]).isBetween(1, 2);
          long placedAtClose = run.loop().stats().get(5, TimeUnit.SECONDS).placed();
          Thread.sleep(15_000); // agents free up, redials would fall due: nothing may be dialed
          CampaignLoop.Stats after = run.loop().stats().get(5, TimeUnit.SECONDS);
          System.out.printf(
              "predictive, 2 agents, %d calls before the window closed: %s%n",
              placedAtClose, after.outcomes());
          assertThat(placedAtClose).isPositive();
          assertThat(after.placed()).isEqualTo(placedAtClose);
          assertThat(agents.agents()).hasSize(2);
        }
        JdbcAttemptStore.Counts counts = new JdbcAttemptStore(database).countsOf(campaign.name());
        assertThat(counts.abandonRate()).isLessThanOrEqualTo(0.03);
        assertThat(counts.of(DialOutcome.ANSWERED)).isPositive();
        // What is left to dial waits for the window, and says so.
        var why = new WhyNot(run.leads()).campaign(campaign, clock.instant());
        assertThat(why.dialable()).isZero();
        List<Lead> fresh =
            run.leads().leadsOf("bought", 100).stream()
                .filter(l -> l.state() == LeadState.NEW)
                .toList();
        if (!fresh.isEmpty()) {
          assertThat(new WhyNot(run.leads()).lead(campaign, fresh.getFirst(), clock.instant()))
              .anyMatch(reason -> reason.startsWith("outside the calling window in Europe/Berlin"));
        }
      }
    }
  }
}
