package org.pingdialer.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pingdialer.compliance.AbandonGovernor;

class FloorSimulationTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private static Set<Integer> agents(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toSet());
  }

  private static FloorSimulation.Outbound predictive(
      String name, int priority, int weight, Set<Integer> members) {
    var limits = new AbandonGovernor.Limits(0.02, 0.03, 0);
    return new FloorSimulation.Outbound(
        name,
        priority,
        weight,
        new PredictivePacer(0.02, 0.2, Duration.ofMinutes(2), Duration.ofSeconds(10)),
        new AbandonGovernor(limits),
        Population.standard(),
        3.0,
        200,
        members);
  }

  private static FloorSimulation.Inbound support(int reserve, Set<Integer> members) {
    return new FloorSimulation.Inbound(
        "support",
        60,
        Duration.ofMinutes(3),
        0.6,
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        Duration.ofSeconds(20),
        reserve,
        members);
  }

  private static FloorSimulation.CampaignResult campaign(FloorSimulation.Result r, String name) {
    return r.campaigns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
    var one =
        new FloorSimulation(
                10,
                List.of(predictive("a", 1, 1, agents(0, 9)), predictive("b", 1, 1, agents(0, 9))),
                List.of(support(2, agents(0, 9))),
                7)
            .run(Duration.ZERO, HOUR);
    var same =
        new FloorSimulation(
                10,
                List.of(predictive("a", 1, 1, agents(0, 9)), predictive("b", 1, 1, agents(0, 9))),
                List.of(support(2, agents(0, 9))),
                7)
            .run(Duration.ZERO, HOUR);
    var other =
        new FloorSimulation(
                10,
                List.of(predictive("a", 1, 1, agents(0, 9)), predictive("b", 1, 1, agents(0, 9))),
                List.of(support(2, agents(0, 9))),
                8)
            .run(Duration.ZERO, HOUR);
    assertThat(one).isEqualTo(same).isNotEqualTo(other);
  }

  @Test
  void theHigherPriorityTakesEveryAgentItSharesAndTheLowerWorksWithTheRest() {
    // Agents 1-10 work both campaigns, 11-20 only the lower one.
    var result =
        new FloorSimulation(
                20,
                List.of(
                    predictive("first", 2, 1, agents(0, 9)),
                    predictive("second", 1, 1, agents(0, 19))),
                List.of(),
                1)
            .run(HOUR, Duration.ofHours(4));
    double first = campaign(result, "first").agentMinutes();
    double second = campaign(result, "second").agentMinutes();
    // Each side has about ten agents' worth of work: the shared agents went to "first" (it never
    // closes); "second" borrows one only when its own callee would otherwise be dropped.
    assertThat(first / (first + second)).isBetween(0.45, 0.55);
    assertThat(result.campaigns())
        .allSatisfy(c -> assertThat(c.abandonRate()).isLessThanOrEqualTo(0.03));
  }

  @Test
  void aLowerPriorityGetsNoSharedAgentWhileTheHigherDials() {
    var result =
        new FloorSimulation(
                10,
                List.of(
                    predictive("first", 2, 1, agents(0, 9)),
                    predictive("second", 1, 1, agents(0, 9))),
                List.of(),
                3)
            .run(Duration.ZERO, Duration.ofHours(2));
    assertThat(campaign(result, "second").callsPerHour()).isZero();
    assertThat(campaign(result, "first").agentMinutes()).isPositive();
  }

  @Test
  void equalPrioritiesShareTheWorkWithinTenPercentOfTheirWeights() {
    var result =
        new FloorSimulation(
                20,
                List.of(
                    predictive("big", 1, 2, agents(0, 19)),
                    predictive("small", 1, 1, agents(0, 19))),
                List.of(),
                2)
            .run(HOUR, Duration.ofHours(8));
    double big = campaign(result, "big").agentMinutes();
    double small = campaign(result, "small").agentMinutes();
    assertThat(big / (big + small)).isCloseTo(2 / 3.0, within(2 / 3.0 * 0.10));
    assertThat(result.campaigns())
        .allSatisfy(c -> assertThat(c.abandonRate()).isLessThanOrEqualTo(0.03));
  }

  @Test
  void anInboundQueueWithItsReserveKeepsItsServiceLevelWhileOutboundKeepsAgentsBusy() {
    var load = Duration.ofMinutes(3).plusSeconds(10);
    int reserve = InboundReserve.agents(60, load, Duration.ofSeconds(20), 0.8);
    var result =
        new FloorSimulation(
                20,
                List.of(predictive("a", 1, 1, agents(0, 19)), predictive("b", 1, 1, agents(0, 19))),
                List.of(support(reserve, agents(0, 19))),
                4)
            .run(HOUR, Duration.ofHours(8));
    FloorSimulation.QueueResult queue = result.queues().getFirst();
    assertThat(queue.offered()).isBetween(400L, 560L); // 60 an hour for 8 hours
    assertThat(queue.serviceLevel()).isGreaterThanOrEqualTo(0.8);
    assertThat(result.campaigns())
        .allSatisfy(c -> assertThat(c.abandonRate()).isLessThanOrEqualTo(0.03));
    // Nobody works more than the hours there are: no agent was in two calls at once.
    assertThat(result.occupancy()).isBetween(0.5, 1.0);
  }

  @Test
  void withoutAReserveInboundStillGoesFirstToEveryAgentThatFrees() {
    var result =
        new FloorSimulation(
                20,
                List.of(predictive("a", 1, 1, agents(0, 19))),
                List.of(support(0, agents(0, 19))),
                5)
            .run(HOUR, Duration.ofHours(4));
    FloorSimulation.QueueResult queue = result.queues().getFirst();
    // Callers are answered by the next agent to free (about every 7 s on a busy floor of 20),
    // not after the outbound callees: few give up with a mean patience of a minute.
    assertThat(queue.abandoned()).isLessThan(queue.offered() / 10);
    assertThat(queue.answered()).isPositive();
  }

  @Test
  void membersOutsideThePoolAndRepeatedNamesAreRefused() {
    assertThatThrownBy(
            () ->
                new FloorSimulation(5, List.of(predictive("a", 1, 1, agents(0, 5))), List.of(), 1))
        .hasMessageContaining("a: member 6 is not one of the 5 agents");
    assertThatThrownBy(
            () ->
                new FloorSimulation(
                    5,
                    List.of(predictive("a", 1, 1, agents(0, 4))),
                    List.of(
                        new FloorSimulation.Inbound(
                            "a",
                            10,
                            Duration.ofMinutes(1),
                            0.5,
                            Duration.ZERO,
                            Duration.ofMinutes(1),
                            Duration.ofSeconds(20),
                            1,
                            agents(0, 4))),
                    1))
        .hasMessageContaining("two campaigns or queues are named a");
  }
}
