package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ScenarioFilesTest {
  private static CampaignFileException problems(String yaml) {
    try {
      ScenarioFiles.parse(yaml, "floor.yaml");
    } catch (CampaignFileException e) {
      return e;
    }
    throw new AssertionError("no problem found in:\n" + yaml);
  }

  @Test
  void theBenchScenarioReadsAsItsCommentsSay() throws Exception {
    Scenario s = ScenarioFiles.load(Path.of("bench/scenarios/blended.yaml"));
    assertThat(s.agents()).isEqualTo(20);
    assertThat(s.hours()).isEqualTo(8.0);
    assertThat(s.warmUp()).isEqualTo(Duration.ofHours(1));
    assertThat(s.campaigns())
        .extracting(Scenario.Outbound::name)
        .containsExactly("renewals", "winback");
    assertThat(s.campaigns().getFirst().weight()).isEqualTo(2);
    assertThat(s.campaigns().getFirst().members()).hasSize(20).contains(0, 19);
    // winback writes the standard population out key by key.
    assertThat(s.campaigns().get(1).callees()).isEqualTo(ScenarioFiles.standardCallees());
    Scenario.Inbound support = s.queues().getFirst();
    assertThat(support.callsPerHour()).isEqualTo(40.0);
    assertThat(support.reserve()).isEqualTo(OptionalInt.of(0));
    assertThat(support.answeredWithin()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void membersAreAllANumberARangeOrAListNumberedFromOne() throws Exception {
    Scenario s =
        ScenarioFiles.parse(
            """
            agents: 10
            campaigns:
              - {name: a, members: 3}
              - {name: b, members: 2-4}
              - {name: c, members: [1, 9-10]}
            inbound:
              - {name: q, calls_per_hour: 10, reserve: auto}
            """,
            "floor.yaml");
    assertThat(s.campaigns().get(0).members()).containsExactly(2);
    assertThat(s.campaigns().get(1).members()).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(s.campaigns().get(2).members()).containsExactlyInAnyOrder(0, 8, 9);
    assertThat(s.queues().getFirst().members()).hasSize(10);
    assertThat(s.queues().getFirst().reserve()).isEmpty();
  }

  @Test
  void everyProblemIsNamedByItsPlaceAndReportedTogether() {
    var e =
        problems(
            """
            agents: 5
            hours: 0
            campaigns:
              - {name: a, priority: 0, mode: turbo, members: 4-7, max_abandon: 3%}
              - {name: a, wieght: 2}
            inbound:
              - {name: q, reserve: some, service_level: 80}
            """);
    assertThat(e.problems())
        .contains(
            "floor.yaml: hours: must be above 0 and at most 720, was 0.0",
            "floor.yaml: campaigns[0].priority: must be a whole number of at least 1, was 0",
            "floor.yaml: campaigns[0].mode: must be one of progressive, power, vicidial, predictive,"
                + " was turbo",
            "floor.yaml: campaigns[0].members: agents are numbered 1 to 5 here, was 4-7",
            "floor.yaml: campaigns[0].max_abandon: write a fraction, e.g. 0.03 for 3 %, was 3%",
            "floor.yaml: campaigns[1].wieght: unknown key; did you mean weight?",
            "floor.yaml: campaigns[1].name: is used twice; each campaign and queue needs its own"
                + " name",
            "floor.yaml: inbound[0].calls_per_hour: required: how many callers arrive an hour, e.g."
                + " 60",
            "floor.yaml: inbound[0].reserve: must be auto (Erlang C) or a whole number of agents, 0"
                + " or more, was some",
            "floor.yaml: inbound[0].service_level: must be above 0 and below 1, e.g. 0.8 for 80 %,"
                + " was 80.0");
  }

  @Test
  void aFileWithoutAgentsOrAnythingToWorkSaysWhatIsMissing() {
    assertThat(problems("hours: 2\n").problems())
        .containsExactly("floor.yaml: agents: required: how many agents the pool has, e.g. 20");
    assertThat(problems("agents: 3\n").problems())
        .containsExactly("floor.yaml: campaigns: required: at least one campaign or inbound queue");
    assertThat(problems("").problems())
        .containsExactly("floor.yaml: file: is empty; start from bench/scenarios/blended.yaml");
    assertThat(problems("agents: [\n").problems().getFirst()).startsWith("floor.yaml: line ");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> ScenarioFiles.load(Path.of("target/no-such-floor.yaml")))
        .hasMessageContaining("target/no-such-floor.yaml: file: cannot be read");
  }
}
