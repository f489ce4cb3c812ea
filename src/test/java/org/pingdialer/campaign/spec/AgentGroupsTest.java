package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentGroupsTest {
  @TempDir Path dir;

  @Test
  void theExampleFileDefinesTheLabAndTheStrictExamplesGroups() throws Exception {
    AgentGroups groups = AgentGroups.load(Path.of("asterisk-config/agent-groups.yaml"));
    assertThat(groups.members().get("lab-agents")).contains("agent1", "agent4");
    Campaign strict = CampaignFiles.load(Path.of("asterisk-config/campaigns/example-strict.yaml"));
    assertThat(groups.defines(strict.agentGroup())).isTrue();
  }

  @Test
  void aCampaignsOwnListWinsThenItsGroupThenEveryAgent() {
    var groups = new AgentGroups(Map.of("sales", Set.of("agent1", "agent2")));
    var own = new Campaign.Share(2, 3, Set.of("agent9"));
    var none = new Campaign.Share(2, 3, Set.of());
    assertThat(groups.resolve(own, Optional.of("sales"))).isEqualTo(own);
    assertThat(groups.resolve(none, Optional.of("sales")))
        .isEqualTo(new Campaign.Share(2, 3, Set.of("agent1", "agent2")));
    assertThat(groups.resolve(none, Optional.of("support"))).isEqualTo(none);
    assertThat(groups.resolve(none, Optional.empty())).isEqualTo(none);
    assertThat(none.takes("anyone")).isTrue();
  }

  @Test
  void everyProblemNamesItsGroupAndPlace() throws Exception {
    Path file = dir.resolve("groups.yaml");
    Files.writeString(
        file, "sales: [agent1, Agent2, agent1]\nempty: []\n\"bad name!\": [agent1]\n");
    var problems =
        catchThrowableOfType(CampaignFileException.class, () -> AgentGroups.load(file))
            .getMessage();
    assertThat(problems)
        .contains("sales[1]", "agent id", "Agent2")
        .contains("sales[2]", "listed twice")
        .contains("empty", "list of agent ids")
        .contains("bad name!", "group name");
  }
}
