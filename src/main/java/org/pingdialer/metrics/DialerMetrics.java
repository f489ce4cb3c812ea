package org.pingdialer.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.CallState;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Timeline;
import org.pingdialer.campaign.CampaignLoop;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.inbound.InboundDesk;
import org.pingdialer.inbound.InboundOutcome;

/**
 * A running floor's figures for Prometheus, per campaign (every campaign on the run's floor, also
 * those added later): calls by outcome, calls placed with an agent reserved, calls dialing, agents
 * by state, and the abandon governor's rates and allowed calls per agent, read from the loop's and
 * desk's snapshots when scraped (nothing is counted twice); the answer-to-bridge and
 * answer-to-drop-message latencies as histograms, recorded from each call's timeline when it ends;
 * per inbound queue: callers waiting, calls by outcome, calls answered within the service level's
 * threshold; ARI reconnects; and the lag of the owner threads (engine, loop, desk), probed once a
 * second.
 *
 * <p>Latencies are recorded from the moment it is created: create it right after the run starts.
 */
public final class DialerMetrics implements AutoCloseable {
  /** How often the owner threads are probed for lag. */
  private static final Duration LAG_PROBE_EVERY = Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private final ScheduledExecutorService prober = Loops.ownerThread("metrics-lag-probe");

  public DialerMetrics(CampaignRun run) {
    String campaign = run.campaign().name();
    // Every campaign on the run's floor, and those added to it later.
    run.floor().runs().forEach(this::campaign);
    run.floor().watchAdded(this::campaign);
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
    FunctionCounter.builder("pingdialer.ari.reconnects", run, CampaignRun::ariReconnects)
        .description("times the ARI events socket connected again after it was lost")
        .tag("campaign", campaign)
        .register(registry);
    InboundDesk inbound = run.floor().inbound();
    for (String queue : inbound.queues().keySet()) {
      Gauge.builder(
              "pingdialer.inbound.waiting",
              inbound,
              d -> inboundStats(d).waiting().getOrDefault(queue, 0))
          .description("callers waiting in the queue now")
          .tag("queue", queue)
          .register(registry);
      for (InboundOutcome outcome : InboundOutcome.values()) {
        FunctionCounter.builder(
                "pingdialer.inbound.calls",
                inbound,
                d ->
                    inboundStats(d)
                        .outcomes()
                        .getOrDefault(queue, Map.of())
                        .getOrDefault(outcome, 0L)
                        .doubleValue())
            .description("inbound calls ended, by outcome")
            .tag("queue", queue)
            .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
            .register(registry);
      }
      FunctionCounter.builder(
              "pingdialer.inbound.answered.within",
              inbound,
              d -> inboundStats(d).answeredWithin().getOrDefault(queue, 0L).doubleValue())
          .description("inbound calls answered within the queue's service-level threshold")
          .tag("queue", queue)
          .register(registry);
    }
    List<LoopLag> lags =
        List.of(
            new LoopLag("engine", () -> run.engine().snapshot(), registry),
            new LoopLag("campaign", () -> run.loop().stats(), registry),
            new LoopLag("desk", () -> run.desk().states(), registry));
    var unused =
        prober.scheduleWithFixedDelay(
            () -> lags.forEach(LoopLag::probe),
            0,
            LAG_PROBE_EVERY.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** One campaign's meters, tagged with its name. */
  private void campaign(CampaignRun run) {
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
    Timer answerToBridge =
        latency(
            "pingdialer.answer.to.bridge",
            "from the callee's answer to the callee in the agent's bridge",
            campaign);
    Timer answerToDrop =
        latency(
            "pingdialer.drop.message.latency",
            "from the callee's answer to the start of the drop message (no agent free)",
            campaign);
    run.engine()
        .watchCalls(
            (key, state) -> {
              if (state instanceof CallState.Ended ended) {
                Timeline timeline = ended.timeline();
                Optional.ofNullable(timeline.answerToBridge()).ifPresent(answerToBridge::record);
                Optional.ofNullable(timeline.answerToDropMessage()).ifPresent(answerToDrop::record);
              }
            });
  }

  private static InboundDesk.Stats inboundStats(InboundDesk desk) {
    try {
      return desk.stats().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the inbound desk did not answer", e);
    }
  }

  private Timer latency(String name, String description, String campaign) {
    return Timer.builder(name)
        .description(description)
        .tag("campaign", campaign)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
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

  /** Stops the lag probe. */
  @Override
  public void close() {
    prober.shutdownNow();
  }
}
