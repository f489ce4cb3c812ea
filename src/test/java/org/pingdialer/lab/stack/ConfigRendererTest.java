package org.pingdialer.lab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;

class ConfigRendererTest {

  @Test
  void replacesOurPlaceholdersAndLeavesAsteriskVariablesAlone() {
    String out =
        ConfigRenderer.render(
            "bind = 127.0.0.1:${PBX_SIP_PORT}\nexten => _X.,1,Dial(PJSIP/${EXTEN}@carrier)\n",
            Map.of("PBX_SIP_PORT", "15060"),
            "pbx/test.conf");
    assertThat(out)
        .isEqualTo("bind = 127.0.0.1:15060\nexten => _X.,1,Dial(PJSIP/${EXTEN}@carrier)\n");
  }

  @Test
  void missingValueNamesFileAndLine() {
    assertThatThrownBy(
            () ->
                ConfigRenderer.render(
                    "a\nb\npassword = ${ARI_PASSWORD}\n", Map.of(), "pbx/ari.conf"))
        .hasMessage("pbx/ari.conf:3 uses ${ARI_PASSWORD} but the stack has no value for it");
  }

  @Test
  void valuesWithDollarSignsAreCopiedLiterally() {
    assertThat(ConfigRenderer.render("s=${AMI_SECRET}", Map.of("AMI_SECRET", "a$1\\b"), "x"))
        .isEqualTo("s=a$1\\b");
  }

  @Test
  void everyPlaceholderNameHasAValueInLabSettings() {
    var settings = StackSettings.lab(PortAllocator.layout(20_000), 1);
    assertThat(settings.placeholders().keySet())
        .containsExactlyInAnyOrderElementsOf(ConfigRenderer.NAMES);
  }

  @Test
  void dockerEntrypointSubstitutesExactlyTheSameNames() throws IOException {
    String entrypoint = Files.readString(Path.of("docker/asterisk-entrypoint.sh"));
    var line = entrypoint.lines().filter(l -> l.startsWith("NAMES=")).findFirst().orElseThrow();
    var names =
        Arrays.stream(line.replaceAll("NAMES='|'", "").split(" "))
            .map(n -> n.substring(1))
            .toList();
    assertThat(names).containsExactlyElementsOf(ConfigRenderer.NAMES);
  }

  @Test
  void everyPlaceholderNameIsUsedBySomeTemplate() throws IOException {
    StringBuilder all = new StringBuilder();
    for (String role : List.of("pbx", "pstn")) {
      try (var files = Files.list(Path.of("asterisk-config", role))) {
        for (var file : files.toList()) {
          all.append(Files.readString(file));
        }
      }
    }
    for (String name : ConfigRenderer.NAMES) {
      assertThat(all.toString()).as(name).contains("${" + name + "}");
    }
  }

  @Test
  void agentsFileHasEndpointAorAndAuthPerAgent() {
    String file =
        ConfigRenderer.agentsFile(
            List.of(
                new AgentAccount("agent1", "pw1", "1234"),
                new AgentAccount("agent2", "pw2", "012345")));
    assertThat(file)
        .contains(
            "[agent1](agent-ep)\nauth = agent1-auth\naors = agent1\nset_var = AGENT_PIN=1234\n")
        .contains("set_var = AGENT_PIN=012345\n")
        .contains("[agent1](agent-aor)\n")
        .contains("[agent2-auth](agent-auth)\nusername = agent2\npassword = pw2\n");
  }

  @Test
  void labSettingsNeverReuseCredentials() {
    var a = StackSettings.lab(PortAllocator.layout(20_000), 1);
    var b = StackSettings.lab(PortAllocator.layout(20_000), 1);
    assertThat(a.ariPassword()).isNotEqualTo(b.ariPassword()).hasSizeGreaterThanOrEqualTo(16);
    assertThat(a.toString()).doesNotContain(a.ariPassword()).doesNotContain(a.amiSecret());
  }

  @Test
  void labAgentsGetRandomSixDigitPinsThatAreNeverPrinted() {
    var a = StackSettings.lab(PortAllocator.layout(20_000), 50);
    var b = StackSettings.lab(PortAllocator.layout(20_000), 50);
    assertThat(a.agents()).allSatisfy(agent -> assertThat(agent.pin()).matches("[0-9]{6}"));
    // 50 agents with one fixed PIN (or the same PINs in two stacks) would be 1e-6 apart by chance.
    assertThat(a.agents().stream().map(AgentAccount::pin).distinct()).hasSizeGreaterThan(1);
    assertThat(a.agents().stream().map(AgentAccount::pin).toList())
        .isNotEqualTo(b.agents().stream().map(AgentAccount::pin).toList());
    assertThat(a.agents().get(0).toString())
        .doesNotContain(a.agents().get(0).pin())
        .doesNotContain(a.agents().get(0).password());
  }

  @Test
  void rejectsPinsThatAPhoneKeypadCannotType() {
    assertThatThrownBy(() -> new AgentAccount("agent1", "pw", "12a4"))
        .hasMessageContaining("PIN of agent 'agent1' must be 4 to 8 digits");
    assertThatThrownBy(() -> new AgentAccount("agent1", "pw", "123"))
        .hasMessageContaining("4 to 8 digits");
  }

  @Test
  void rejectsAgentIdsThatWouldBreakPjsipConf() {
    assertThatThrownBy(() -> new AgentAccount("agent 1]", "x", "1234"))
        .hasMessageContaining("agent id 'agent 1]'");
  }
}
