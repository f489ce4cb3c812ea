package org.pingdialer.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.store.Database;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * The run's ARI reconnects and its owner threads' lag, as Prometheus sees them: an Asterisk restart
 * is counted once the events socket is back, and every loop is probed.
 */
@LabStack(own = true)
class DialerMetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void anAsteriskRestartCountsOneReconnectAndEveryLoopIsProbedForLag(AsteriskStack stack)
      throws Exception {
    var campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: off
            """);
    try (Database database = LabRuns.database("h2-metrics-");
        var run =
            CampaignRun.start(
                campaign,
                new CampaignRun.Settings(
                    stack.ari(), Optional.empty(), database, "it-metrics", ZoneId.of("UTC"), 1),
                InstantSource.system(),
                Duration.ofSeconds(10));
        var metrics = new DialerMetrics(run)) {
      assertThat(value(metrics.scrape(), "pingdialer_ari_reconnects_total")).isZero();
      for (String loop : new String[] {"engine", "campaign", "desk"}) {
        await()
            .atMost(WAIT)
            .until(
                () ->
                    value(
                            metrics.scrape(),
                            "pingdialer_event_loop_lag_seconds_count\\{loop=\"" + loop + "\"}")
                        >= 2);
      }

      stack.restartPbx();

      await()
          .atMost(WAIT)
          .until(() -> value(metrics.scrape(), "pingdialer_ari_reconnects_total") == 1);
      assertThat(run.ariReconnects()).isEqualTo(1);
    }
  }

  /** The value of the first sample whose name (and labels) match {@code series}. */
  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
    if (!m.find()) {
      throw new AssertionError("no " + series + " in\n" + scrape);
    }
    return Double.parseDouble(m.group(1));
  }
}
