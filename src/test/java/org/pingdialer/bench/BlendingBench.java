package org.pingdialer.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.pingdialer.campaign.spec.Scenario;
import org.pingdialer.campaign.spec.ScenarioFiles;
import org.pingdialer.pacing.FloorSimulation;

/**
 * A blended floor against the same agents on one campaign, in the simulator: the scenario file's
 * floor, then the same pool with only its first campaign (all agents its members, no queue), seed
 * by seed. Prints a Markdown table: agent work minutes per hour of each, their ratio, each
 * campaign's share of the work and abandon rate, each queue's service level and speed of answer.
 *
 * <p>Run: {@code bench/blending.sh [scenario, default bench/scenarios/blended.yaml] [seeds, default
 * "1 2 3"]}.
 */
public final class BlendingBench {
  private BlendingBench() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "bench/scenarios/blended.yaml");
    String[] seeds = (args.length > 1 ? args[1] : "1 2 3").trim().split("\\s+");
    Scenario scenario = ScenarioFiles.load(file);
    System.out.println(
        "| seed | floor min/h | one campaign min/h | ratio | campaigns: work share, abandon |"
            + " queues: answered in time, ASA, abandoned |");
    System.out.println("|---:|---:|---:|---:|---|---|");
    for (String seedText : seeds) {
      long seed = Long.parseLong(seedText);
      Scenario floor =
          new Scenario(
              scenario.agents(),
              scenario.hours(),
              scenario.warmUp(),
              seed,
              scenario.campaigns(),
              scenario.queues());
      Scenario.Outbound first = scenario.campaigns().getFirst();
      Scenario alone =
          new Scenario(
              scenario.agents(),
              scenario.hours(),
              scenario.warmUp(),
              seed,
              List.of(
                  new Scenario.Outbound(
                      first.name(),
                      1,
                      1,
                      first.mode(),
                      first.maxAbandon(),
                      first.ratio(),
                      first.callees(),
                      floor.queues().isEmpty()
                          ? first.members()
                          : floor.queues().getFirst().members())),
              List.of());
      Duration length = Duration.ofMillis((long) (scenario.hours() * 3_600_000));
      FloorSimulation.Result blended = FloorSimulation.of(floor).run(scenario.warmUp(), length);
      FloorSimulation.Result single = FloorSimulation.of(alone).run(scenario.warmUp(), length);
      double campaignWork =
          blended.campaigns().stream()
              .mapToDouble(FloorSimulation.CampaignResult::agentMinutes)
              .sum();
      StringBuilder campaigns = new StringBuilder();
      for (FloorSimulation.CampaignResult c : blended.campaigns()) {
        campaigns.append(
            String.format(
                Locale.ROOT,
                "%s%s %.1f %%, %.2f %%",
                campaigns.isEmpty() ? "" : "; ",
                c.name(),
                100 * c.agentMinutes() / campaignWork,
                100 * c.abandonRate()));
      }
      StringBuilder queues = new StringBuilder();
      for (FloorSimulation.QueueResult q : blended.queues()) {
        queues.append(
            String.format(
                Locale.ROOT,
                "%s%s %.1f %%, %.1f s, %d of %d",
                queues.isEmpty() ? "" : "; ",
                q.name(),
                100 * q.serviceLevel(),
                q.averageSpeedOfAnswerMs() / 1000.0,
                q.abandoned(),
                q.offered()));
      }
      System.out.printf(
          Locale.ROOT,
          "| %d | %.1f | %.1f | %.4f | %s | %s |%n",
          seed,
          blended.agentMinutesPerHour(),
          single.agentMinutesPerHour(),
          blended.agentMinutesPerHour() / single.agentMinutesPerHour(),
          campaigns,
          queues);
    }
  }
}
