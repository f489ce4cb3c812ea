package org.pingdialer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.Durations;
import org.pingdialer.campaign.spec.Scenario;
import org.pingdialer.campaign.spec.ScenarioFiles;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.pacing.FloorSimulation;
import org.pingdialer.pacing.Pacer;
import org.pingdialer.pacing.Pacers;
import org.pingdialer.pacing.Population;
import org.pingdialer.pacing.Simulation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pingdialer simulate}: pacing in virtual time, with the dialer's own pacers. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a campaign's pacing in virtual time: the dialer's own pacer and abandon governor",
      "against a modelled population of callees and agents. Seeded and deterministic.",
      "With --scenario FILE: a blended floor instead (several campaigns with priorities and",
      "weights and inbound queues on one pool of agents), everything in the file."
    },
    footer = {
      "",
      "Example:",
      "  ./pingdialer simulate --mode predictive --agents 20 --live-rate 0.2 --machine-rate 0.1 \\\\",
      "      --ring-min 3s --ring-max 15s --no-answer-after 20s --talk-mean 120s --talk-sigma 0.8 \\\\",
      "      --wrap 10s --max-abandon 0.03 --warm-up 1h --hours 8 --seed 1 --json",
      "  ./pingdialer simulate --scenario bench/scenarios/blended.yaml --json",
      "",
      "Exit codes: 0 done, 2 bad options."
    })
final class SimulateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--mode",
      defaultValue = "predictive",
      description = "progressive, power, vicidial or predictive")
  String mode;

  @Option(names = "--agents", defaultValue = "10", description = "agents logged in")
  int agents;

  @Option(names = "--live-rate", defaultValue = "0.2", description = "chance a person answers")
  double liveRate;

  @Option(names = "--machine-rate", defaultValue = "0.1", description = "chance a machine answers")
  double machineRate;

  @Option(names = "--ring-min", defaultValue = "3s", description = "shortest ring before an answer")
  String ringMin;

  @Option(names = "--ring-max", defaultValue = "15s", description = "longest ring before an answer")
  String ringMax;

  @Option(names = "--no-answer-after", defaultValue = "20s", description = "unanswered calls end")
  String noAnswerAfter;

  @Option(names = "--talk-mean", defaultValue = "120s", description = "mean talk time (log-normal)")
  String talkMean;

  @Option(names = "--talk-sigma", defaultValue = "0.8", description = "log-normal sigma of talk")
  double talkSigma;

  @Option(names = "--wrap", defaultValue = "10s", description = "wrap-up after each call")
  String wrap;

  @Option(names = "--max-abandon", defaultValue = "0.03", description = "the abandon cap")
  double maxAbandon;

  @Option(names = "--hours", defaultValue = "8", description = "virtual hours to simulate")
  double hours;

  @Option(
      names = "--warm-up",
      defaultValue = "0s",
      description =
          "virtual time simulated before the measured hours (the pacer learns and the governor's"
              + " 24 h window fills, as on any day but a campaign's first), e.g. 1h")
  String warmUp;

  @Option(
      names = "--pacer-target",
      description =
          "abandon share the predictive pacer steers to (default: the governor's target,"
              + " two thirds of --max-abandon, as in the dialing loop)")
  Double pacerTarget;

  @Option(
      names = "--ratio",
      defaultValue = "2.0",
      description = "calls per ready agent in power mode (1.0-3.0), as a campaign's pacing.ratio")
  double ratio;

  @Option(names = "--seed", defaultValue = "1", description = "random seed")
  long seed;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description =
          "a blended floor from a YAML file (agents, campaigns, inbound queues, hours, seed);"
              + " only --json goes with it")
  Path scenario;

  /** The options a scenario file replaces. */
  private static final List<String> SINGLE_CAMPAIGN_OPTIONS =
      List.of(
          "--mode",
          "--agents",
          "--live-rate",
          "--machine-rate",
          "--ring-min",
          "--ring-max",
          "--no-answer-after",
          "--talk-mean",
          "--talk-sigma",
          "--wrap",
          "--max-abandon",
          "--hours",
          "--warm-up",
          "--pacer-target",
          "--ratio",
          "--seed");

  private Duration duration(String option, String text) {
    return Durations.parse(text)
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    spec.commandLine(),
                    option + " '" + text + "': a duration like " + Durations.EXAMPLES));
  }

  @Override
  public Integer call() throws Exception {
    if (scenario != null) {
      return floor();
    }
    if (agents < 1 || agents > 1000) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--agents must be 1..1000");
    }
    if (!(maxAbandon > 0 && maxAbandon < 1)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--max-abandon must be above 0 and below 1, e.g. 0.03");
    }
    if (pacerTarget != null && !(pacerTarget > 0 && pacerTarget <= maxAbandon)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--pacer-target must be above 0 and at most --max-abandon ("
              + maxAbandon
              + "), e.g. 0.02");
    }
    if (!(ratio >= 1 && ratio <= 3)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--ratio must be from 1.0 to 3.0 calls per ready agent (as a campaign's pacing.ratio), was "
              + ratio);
    }
    if (!(hours > 0 && hours <= 720)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--hours must be 0..720");
    }
    Population population;
    try {
      population =
          new Population(
              liveRate,
              machineRate,
              duration("--ring-min", ringMin),
              duration("--ring-max", ringMax),
              duration("--no-answer-after", noAnswerAfter),
              duration("--talk-mean", talkMean),
              talkSigma,
              duration("--wrap", wrap),
              Duration.ofSeconds(2));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Simulation.Result result;
    try {
      result =
          run(
              mode,
              population,
              agents,
              maxAbandon,
              pacerTarget,
              ratio,
              duration("--warm-up", warmUp),
              hours,
              seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(result));
    } else {
      out.println(
          String.format(
              Locale.ROOT,
              "%s, %d agents, %.1f h: %.1f agent work min/h, occupancy %.1f %%, abandon %.2f %%,"
                  + " %.0f calls/h, wait p50/p90/p99 %d/%d/%d ms; agents idle between calls"
                  + " p50/p90/mean %.1f/%.1f/%.1f s, %.1f calls ringing when an agent freed,"
                  + " %d answers found every agent busy",
              result.mode(),
              result.agents(),
              result.hours(),
              result.agentMinutesPerHour(),
              100 * result.occupancy(),
              100 * result.abandonRate(),
              result.callsPerHour(),
              result.waitP50Ms(),
              result.waitP90Ms(),
              result.waitP99Ms(),
              result.idle().gapP50Ms() / 1000.0,
              result.idle().gapP90Ms() / 1000.0,
              result.idle().gapMeanMs() / 1000.0,
              result.idle().ringingAtFree(),
              result.idle().answersFindingAllBusy()));
    }
    return 0;
  }

  /** {@code --scenario}: the blended floor the file describes. */
  private int floor() throws Exception {
    for (String option : SINGLE_CAMPAIGN_OPTIONS) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            option + " does not go with --scenario: the scenario file sets it for each campaign");
      }
    }
    Scenario read;
    try {
      read = ScenarioFiles.load(scenario);
    } catch (CampaignFileException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    FloorSimulation.Result result;
    try {
      result =
          FloorSimulation.of(read)
              .run(read.warmUp(), Duration.ofMillis((long) (read.hours() * 3_600_000)));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), scenario + ": " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(result));
      return 0;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%d agents, %.1f h: %.1f agent work min/h, occupancy %.1f %%",
            result.agents(),
            result.hours(),
            result.agentMinutesPerHour(),
            100 * result.occupancy()));
    for (FloorSimulation.CampaignResult c : result.campaigns()) {
      out.println(
          String.format(
              Locale.ROOT,
              "  campaign %s (priority %d, weight %d): %.0f agent min, %.0f calls/h,"
                  + " abandon %.2f %% (%d of %d live answers)",
              c.name(),
              c.priority(),
              c.weight(),
              c.agentMinutes(),
              c.callsPerHour(),
              100 * c.abandonRate(),
              c.abandoned(),
              c.liveAnswers()));
    }
    for (FloorSimulation.QueueResult q : result.queues()) {
      out.println(
          String.format(
              Locale.ROOT,
              "  inbound %s (%d agents kept): %d callers, %.1f %% answered within the threshold,"
                  + " average speed of answer %.1f s, %d abandoned, %.0f agent min",
              q.name(),
              q.reserve(),
              q.offered(),
              100 * q.serviceLevel(),
              q.averageSpeedOfAnswerMs() / 1000.0,
              q.abandoned(),
              q.agentMinutes()));
    }
    return 0;
  }

  /** One simulation run without warm-up, the pacer steering to the governor's target. */
  static Simulation.Result run(
      String mode, Population population, int agents, double maxAbandon, double hours, long seed) {
    return run(mode, population, agents, maxAbandon, null, 2.0, Duration.ZERO, hours, seed);
  }

  /** One simulation run; the pacer by its mode name. */
  static Simulation.Result run(
      String mode,
      Population population,
      int agents,
      double maxAbandon,
      Double pacerTarget,
      double powerRatio,
      Duration warmUp,
      double hours,
      long seed) {
    var limits = new AbandonGovernor.Limits(maxAbandon * 2 / 3, maxAbandon, 0);
    Pacer pacer =
        Pacers.named(
            mode,
            population,
            maxAbandon,
            pacerTarget == null ? limits.target() : pacerTarget,
            powerRatio);
    return new Simulation(population, pacer, new AbandonGovernor(limits), agents, 10 * agents, seed)
        .run(mode, warmUp, Duration.ofMillis((long) (hours * 3_600_000)));
  }
}
