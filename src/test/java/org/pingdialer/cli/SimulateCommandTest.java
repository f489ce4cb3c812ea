package org.pingdialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SimulateCommandTest {
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void theContractsOptionsGiveOneJsonObjectWithTheContractsKeys() throws Exception {
    CliRun run =
        run(
            "simulate",
            "--mode",
            "predictive",
            "--agents",
            "10",
            "--live-rate",
            "0.2",
            "--machine-rate",
            "0.1",
            "--ring-min",
            "3s",
            "--ring-max",
            "15s",
            "--no-answer-after",
            "20s",
            "--talk-mean",
            "120s",
            "--talk-sigma",
            "0.8",
            "--wrap",
            "10s",
            "--max-abandon",
            "0.03",
            "--hours",
            "1",
            "--seed",
            "3",
            "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    var json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("agentMinutesPerHour").asDouble()).isBetween(30.0, 60.0);
    assertThat(json.get("abandonRate").asDouble()).isBetween(0.0, 0.03);
    assertThat(json.get("callsPerHour").asDouble()).isPositive();
    assertThat(json.get("occupancy").asDouble()).isBetween(0.0, 1.0);
    // Where agents idled: gaps between a free and the next call, calls ringing at a free.
    assertThat(json.get("idle").get("gaps").asLong()).isPositive();
    assertThat(json.get("idle").get("gapMeanMs").asLong()).isPositive();
    assertThat(json.get("idle").has("ringingAtFree")).isTrue();
    assertThat(json.get("idle").has("answersFindingAllBusy")).isTrue();
    assertThat(run("simulate", "--hours", "1", "--seed", "3", "--json", "--agents", "10").out())
        .isEqualTo(run.out());
  }

  @Test
  void badOptionsNameTheOptionAndTheFix() {
    CliRun mode = run("simulate", "--mode", "greedy");
    assertThat(mode.exit()).isEqualTo(2);
    assertThat(mode.err()).contains("--mode must be progressive, power, vicidial or predictive");
    CliRun ratio = run("simulate", "--mode", "power", "--ratio", "0.5");
    assertThat(ratio.exit()).isEqualTo(2);
    assertThat(ratio.err()).contains("--ratio must be from 1.0 to 3.0 calls per ready agent");
    CliRun ring = run("simulate", "--ring-min", "soon");
    assertThat(ring.exit()).isEqualTo(2);
    assertThat(ring.err()).contains("--ring-min 'soon': a duration like");
    CliRun rates = run("simulate", "--live-rate", "0.8", "--machine-rate", "0.5");
    assertThat(rates.exit()).isEqualTo(2);
    assertThat(rates.err()).contains("add up to at most 1");
    CliRun target = run("simulate", "--pacer-target", "0.05", "--max-abandon", "0.03");
    assertThat(target.exit()).isEqualTo(2);
    assertThat(target.err()).contains("--pacer-target must be above 0 and at most --max-abandon");
    CliRun warmUp = run("simulate", "--warm-up", "an hour");
    assertThat(warmUp.exit()).isEqualTo(2);
    assertThat(warmUp.err()).contains("--warm-up 'an hour': a duration like");
  }

  @Test
  void powerModeRunsTheLivePowerPacerAndDialsMoreThanProgressiveUnderTheSameCap() throws Exception {
    var mapper = new ObjectMapper();
    String[] common = {"--agents", "10", "--hours", "1", "--seed", "5", "--json"};
    CliRun progressive = run(concat(new String[] {"simulate", "--mode", "progressive"}, common));
    CliRun power =
        run(concat(new String[] {"simulate", "--mode", "power", "--ratio", "2.5"}, common));
    assertThat(power.exit()).as(power.err()).isZero();
    var p = mapper.readTree(power.out());
    var q = mapper.readTree(progressive.out());
    assertThat(p.get("mode").asText()).isEqualTo("power");
    assertThat(p.get("callsPerHour").asDouble()).isGreaterThan(q.get("callsPerHour").asDouble());
    assertThat(p.get("abandonRate").asDouble()).isPositive().isLessThanOrEqualTo(0.03);
    assertThat(q.get("abandonRate").asDouble()).isZero();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void aScenarioFileSimulatesItsFloorAndReportsEachCampaignAndQueue() throws Exception {
    Path file = Files.createTempFile("floor", ".yaml");
    Files.writeString(
        file,
        """
        agents: 10
        hours: 1
        warm_up: 0s
        seed: 4
        campaigns:
          - {name: first, priority: 2, members: 1-5}
          - {name: second, members: all}
        inbound:
          - {name: support, calls_per_hour: 20}
        """);
    CliRun run = run("simulate", "--scenario", file.toString(), "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    var json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("agents").asInt()).isEqualTo(10);
    assertThat(json.get("campaigns")).hasSize(2);
    assertThat(json.get("campaigns").get(0).get("name").asText()).isEqualTo("first");
    assertThat(json.get("campaigns").get(0).get("agentMinutes").asDouble()).isPositive();
    assertThat(json.get("queues").get(0).get("offered").asLong()).isPositive();
    assertThat(json.get("queues").get(0).has("serviceLevel")).isTrue();
    assertThat(json.get("queues").get(0).has("averageSpeedOfAnswerMs")).isTrue();

    CliRun text = run("simulate", "--scenario", file.toString());
    assertThat(text.out()).contains("campaign first (priority 2, weight 1)", "inbound support");
  }

  @Test
  void aScenarioRefusesTheSingleCampaignOptionsAndNamesItsProblems() throws Exception {
    Path file = Files.createTempFile("floor", ".yaml");
    Files.writeString(file, "agents: 2\ncampaigns:\n  - {name: a, members: 3}\n");
    CliRun mixed = run("simulate", "--scenario", file.toString(), "--agents", "5");
    assertThat(mixed.exit()).isEqualTo(2);
    assertThat(mixed.err()).contains("--agents does not go with --scenario");
    CliRun bad = run("simulate", "--scenario", file.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err())
        .contains(file + ": campaigns[0].members: agents are numbered 1 to 2 here");
  }
}
