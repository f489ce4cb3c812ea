package org.pingdialer.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pingdialer.pacing.AgentShares.Claim;

class AgentSharesTest {
  @Test
  void aHigherPriorityTakesTheAgentHoweverManyItHolds() {
    var choice =
        AgentShares.choose(
            List.of(new Claim("low", 1, 5, true, 0), new Claim("high", 2, 1, true, 40)));
    assertThat(choice).contains("high");
  }

  @Test
  void aClosedCampaignLetsTheNextPriorityHaveTheAgent() {
    var choice =
        AgentShares.choose(
            List.of(new Claim("low", 1, 1, true, 3), new Claim("high", 2, 1, false, 0)));
    assertThat(choice).contains("low");
  }

  @Test
  void noOpenCampaignMeansNoChoice() {
    assertThat(AgentShares.choose(List.of(new Claim("a", 1, 1, false, 0)))).isEmpty();
    assertThat(AgentShares.choose(List.of())).isEmpty();
  }

  @Test
  void equalPrioritiesHoldAgentsInTheRatioOfTheirWeightsAgentByAgent() {
    Map<String, Integer> weights = new LinkedHashMap<>(Map.of("a", 3, "b", 1, "c", 2));
    Map<String, Integer> holding = new LinkedHashMap<>(Map.of("a", 0, "b", 0, "c", 0));
    for (int agent = 1; agent <= 60; agent++) {
      List<Claim> claims = new ArrayList<>();
      weights.forEach(
          (name, weight) -> claims.add(new Claim(name, 1, weight, true, holding.get(name))));
      String to = AgentShares.choose(claims).orElseThrow();
      holding.merge(to, 1, Integer::sum);
      // After every agent, each campaign is within one agent of its exact share.
      for (var name : weights.keySet()) {
        double share = agent * weights.get(name) / 6.0;
        assertThat((double) holding.get(name))
            .as("%s after %d agents", name, agent)
            .isCloseTo(share, within(1.0));
      }
    }
    assertThat(holding).containsEntry("a", 30).containsEntry("b", 10).containsEntry("c", 20);
  }

  @Test
  void anAgentReturnsToTheCampaignFurthestBelowItsShare() {
    // a holds 5 of weight 1, b holds 1 of weight 1: b is short.
    var choice =
        AgentShares.choose(List.of(new Claim("a", 1, 1, true, 5), new Claim("b", 1, 1, true, 1)));
    assertThat(choice).contains("b");
  }

  @Test
  void equalStandingsGoByNameWhateverTheOrder() {
    var one = List.of(new Claim("b", 1, 1, true, 2), new Claim("a", 1, 1, true, 2));
    assertThat(AgentShares.choose(one)).contains("a");
    assertThat(AgentShares.choose(one.reversed())).contains("a");
  }

  @Test
  void aWeightBelowOneIsRefusedWithTheCampaignsName() {
    assertThatThrownBy(() -> new Claim("summer", 1, 0, true, 0))
        .hasMessageContaining("summer")
        .hasMessageContaining("weight must be at least 1");
  }
}
