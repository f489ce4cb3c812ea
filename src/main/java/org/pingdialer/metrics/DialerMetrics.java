package org.pingdialer.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.dialer.CampaignLoop;
import org.pingdialer.dialer.CampaignRun;

/**
 * A running campaign's figures for Prometheus: calls by outcome, calls placed with an agent
 * reserved, calls dialing, agents by state, and the abandon governor's rates and allowed calls per
 * agent. Read from the loop's and desk's snapshots when scraped (nothing is counted twice).
 */
public final class DialerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public DialerMetrics(CampaignRun run) {
    String campaign = run.campaign().name();
    CampaignLoop loop = run.loop();
    for (DialOutcome outcome : DialOutcome.values()) {
      FunctionCounter.builder(
              "pingdialer.calls",
              loop,
              l -> stats(l).outcomes().getOrDefault(outcome, 0L).doubleValue())
          .description("calls ended, by outcome")
          .tag("campaign", campaign)
          .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    FunctionCounter.builder("pingdialer.calls.placed", loop, l -> stats(l).placed())
        .tag("campaign", campaign)
        .register(registry);
    FunctionCounter.builder(
            "pingdialer.calls.placed.with.agent", loop, l -> stats(l).placedWithAgent())
        .description("callbacks and agent redials, placed with an agent reserved first")
        .tag("campaign", campaign)
        .register(registry);
    gauge("pingdialer.calls.dialing", campaign, loop, l -> stats(l).dialing());
    gauge(
        "pingdialer.abandon.rate.24h",
        campaign,
        loop,
        l -> stats(l).governor().map(d -> d.rate24h()).orElse(0.0));
    gauge(
        "pingdialer.abandon.rate.30d",
        campaign,
        loop,
        l -> stats(l).governor().map(d -> d.rate30d()).orElse(0.0));
    gauge(
        "pingdialer.pacing.allowed.ratio",
        campaign,
        loop,
        l -> stats(l).governor().map(d -> d.allowedRatio()).orElse(Double.NaN));
    for (AgentState.Status status : AgentState.Status.values()) {
      Gauge.builder(
              "pingdialer.agents",
              run,
              r -> {
                try {
                  Map<String, AgentState> states = r.desk().states().get(2, TimeUnit.SECONDS);
                  return states.values().stream().filter(s -> s.status() == status).count();
                } catch (Exception e) {
                  return Double.NaN;
                }
              })
          .description("agents by state")
          .tag("campaign", campaign)
          .tag("state", status.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }

  private void gauge(
      String name, String campaign, CampaignLoop loop, ToDoubleFunction<CampaignLoop> value) {
    Gauge.builder(name, loop, value).tag("campaign", campaign).register(registry);
  }

  private static CampaignLoop.Stats stats(CampaignLoop loop) {
    try {
      return loop.stats().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the campaign loop did not answer", e);
    }
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
