package org.pingdialer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeConfigTest {
  private static final Path DOCKER = Path.of("docker/controller.yaml");

  @TempDir Path dir;

  private static final Map<String, String> SECRETS =
      Map.of(
          "PINGDIALER_ARI_PASSWORD", "ari-secret-1",
          "PINGDIALER_AMI_SECRET", "ami-secret-1",
          "AGENTS", "agent1:pw1:123456,agent2:pw2:654321");

  private Path file(String yaml) throws Exception {
    Path campaign = dir.resolve("c.yaml");
    Files.writeString(campaign, "name: c\n");
    Path file = dir.resolve("controller.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static ServeConfig.ConfigException rejected(Path file, Map<String, String> env) {
    return catchThrowableOfType(
        ServeConfig.ConfigException.class,
        () -> ServeConfig.read(Optional.of(file), env, file.getParent()));
  }

  @Test
  void theDockerConfigReadsWithItsSecretsFromTheEnvironment() throws Exception {
    var env = new HashMap<>(SECRETS);
    // The compose file mounts the project at /pingdialer; here the campaign is the checkout's.
    env.put(
        "PINGDIALER_CAMPAIGN",
        Path.of("asterisk-config/campaigns/lab-demo.yaml").toAbsolutePath().toString());
    env.put(
        "PINGDIALER_LAB_PERSONA_MIX",
        Path.of("asterisk-config/personas/demo-mix.yaml").toAbsolutePath().toString());
    // The variable wins over the file the config names (the secrets volume, absent here).
    env.put("PINGDIALER_API_TOKENS", "api-token-from-env-01");
    ServeConfig config = ServeConfig.read(Optional.of(DOCKER), env, Path.of("."));

    var pbx = (ServeConfig.Pbx.Endpoints) config.pbx();
    assertThat(pbx.ari().baseUrl().toString()).isEqualTo("http://127.0.0.1:18088/ari");
    assertThat(pbx.ari().password()).isEqualTo("ari-secret-1");
    assertThat(pbx.ami().port()).isEqualTo(15038);
    assertThat(pbx.ami().secret()).isEqualTo("ami-secret-1");
    assertThat(pbx.sipPort()).isEqualTo(15060);
    assertThat(config.apiHost()).isEqualTo("127.0.0.1");
    assertThat(config.apiPort()).isEqualTo(8080);
    assertThat(config.apiTokens()).containsExactly("api-token-from-env-01");
    assertThat(config.labAgents()).isEqualTo(2);
    assertThat(config.labLeads())
        .contains(
            new ServeConfig.LabLeads(
                120, Path.of("asterisk-config/personas/demo-mix.yaml").toAbsolutePath()));
    assertThat(config.labAccounts()).extracting(a -> a.id()).containsExactly("agent1", "agent2");
    assertThat(config.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/pingdialer"));
    assertThat(config.database()).isEmpty();
    assertThat(config.toString()).doesNotContain("ari-secret-1", "ami-secret-1", "pw1");
  }

  @Test
  void variablesOverrideTheFileAndSecretsComeFromFiles() throws Exception {
    Files.writeString(dir.resolve("ami"), "from-a-file\n");
    Files.writeString(dir.resolve("tokens"), "token-number-one-0001\ntoken-number-two-0002\n");
    Path file =
        file(
            """
            campaign: c.yaml
            pbx:
              ari_url: http://127.0.0.1:18088/ari
              ami_secret_file: ami
            api:
              listen: 127.0.0.1:8080
              tokens_file: tokens
            """);
    ServeConfig config =
        ServeConfig.read(
            Optional.of(file),
            Map.of(
                "PINGDIALER_ARI_PASSWORD", "x",
                "PINGDIALER_ARI_URL", "http://10.0.0.5:8088/ari",
                "PINGDIALER_API_LISTEN", "0.0.0.0:9090",
                "PINGDIALER_DB_URL", "jdbc:postgresql://127.0.0.1:5432/pd",
                "PINGDIALER_DB_PASSWORD", "dbpw"),
            dir);
    var pbx = (ServeConfig.Pbx.Endpoints) config.pbx();
    assertThat(pbx.ari().baseUrl().toString()).isEqualTo("http://10.0.0.5:8088/ari");
    assertThat(pbx.ami().secret()).isEqualTo("from-a-file");
    assertThat(config.apiPort()).isEqualTo(9090);
    assertThat(config.apiTokens())
        .containsExactlyInAnyOrder("token-number-one-0001", "token-number-two-0002");
    assertThat(config.database()).map(ServeConfig.Database::password).contains("dbpw");
    assertThat(config.campaign()).isEqualTo(dir.resolve("c.yaml"));
  }

  @Test
  void queuesAreAListOfFilesAndLabCallersNeedThem() throws Exception {
    Files.writeString(dir.resolve("q1.yaml"), "name: q1\n");
    Files.writeString(dir.resolve("q2.yaml"), "name: q2\n");
    Files.writeString(dir.resolve("groups.yaml"), "sales: [agent1]\n");
    Path file =
        file(
            """
            campaign: c.yaml
            queues: [q1.yaml, q2.yaml]
            agent_groups: groups.yaml
            lab_callers: 60
            pbx:
              ari_url: http://127.0.0.1:18088/ari
            """);
    ServeConfig config = ServeConfig.read(Optional.of(file), SECRETS, dir);
    assertThat(config.queues()).containsExactly(dir.resolve("q1.yaml"), dir.resolve("q2.yaml"));
    assertThat(config.labCallers()).isEqualTo(60);
    assertThat(config.agentGroups()).contains(dir.resolve("groups.yaml"));
    // The variable holds them comma-separated and wins over the file.
    var env = new HashMap<>(SECRETS);
    env.put("PINGDIALER_QUEUES", "q2.yaml");
    assertThat(ServeConfig.read(Optional.of(file), env, dir).queues())
        .containsExactly(dir.resolve("q2.yaml"));

    Path broken =
        file(
            """
            campaign: c.yaml
            queues: [missing.yaml]
            agent_groups: nowhere.yaml
            pbx:
              ari_url: http://127.0.0.1:18088/ari
            """);
    assertThat(rejected(broken, SECRETS).problems())
        .anyMatch(p -> p.contains("queues") && p.contains("no such file"))
        .anyMatch(p -> p.contains("agent_groups") && p.contains("nowhere.yaml"));
    Path callersAlone =
        file(
            """
            campaign: c.yaml
            lab_callers: 10
            pbx:
              ari_url: http://127.0.0.1:18088/ari
            """);
    assertThat(rejected(callersAlone, SECRETS).problems())
        .anyMatch(p -> p.contains("lab_callers") && p.contains("name the queues"));
  }

  @Test
  void labAccountsAndLabLeadsComeFromTheirFiles() throws Exception {
    Files.writeString(dir.resolve("agents"), "agent1:pw1:123456 agent2:pw2:654321\n");
    Files.writeString(dir.resolve("mix.yaml"), "# any file; read when the leads are drawn\n");
    Path file =
        file(
            """
            campaign: c.yaml
            lab_agents: 2
            lab_accounts_file: agents
            lab_leads: 40
            lab_persona_mix: mix.yaml
            pbx:
              ari_url: http://127.0.0.1:18088/ari
            """);
    Map<String, String> secrets =
        Map.of("PINGDIALER_ARI_PASSWORD", "ari-secret-1", "PINGDIALER_AMI_SECRET", "ami-1");
    ServeConfig config = ServeConfig.read(Optional.of(file), secrets, dir);
    assertThat(config.labAccounts()).extracting(a -> a.id()).containsExactly("agent1", "agent2");
    assertThat(config.labLeads()).contains(new ServeConfig.LabLeads(40, dir.resolve("mix.yaml")));
    assertThat(config.toString()).doesNotContain("pw1").contains("labLeads=40");

    // AGENTS wins over the file.
    var env = new HashMap<>(secrets);
    env.put("AGENTS", "agent7:pw7:777777 agent8:pw8:888888");
    assertThat(ServeConfig.read(Optional.of(file), env, dir).labAccounts())
        .extracting(a -> a.id())
        .containsExactly("agent7", "agent8");

    // Lab leads without a mix, or a mix that is not there: the key and the fix.
    env = new HashMap<>(secrets);
    env.put("PINGDIALER_LAB_PERSONA_MIX", "missing.yaml");
    assertThat(rejected(file, env).problems())
        .anySatisfy(p -> assertThat(p).contains("PINGDIALER_LAB_PERSONA_MIX", "no such file"));
    Path noMix =
        file(
            """
            campaign: c.yaml
            lab_leads: 40
            pbx:
              ari_url: http://127.0.0.1:18088/ari
            """);
    assertThat(rejected(noMix, secrets).problems())
        .anySatisfy(p -> assertThat(p).contains("lab_persona_mix", "is required with lab_leads"));
    env = new HashMap<>(secrets);
    env.put("PINGDIALER_LAB_LEADS", "-3");
    assertThat(rejected(noMix, env).problems())
        .anySatisfy(p -> assertThat(p).contains("PINGDIALER_LAB_LEADS", "must be 0 to 100000"));
  }

  @Test
  void aSecretInTheFileIsRefusedWithWhereItBelongs() throws Exception {
    Path file =
        file(
            """
            campaign: c.yaml
            pbx:
              ari_url: http://127.0.0.1:18088/ari
              ari_password: hunter2
            """);
    assertThat(rejected(file, SECRETS).problems())
        .containsExactly(
            file
                + ": pbx.ari_password: secrets are not kept in the config file; set"
                + " PINGDIALER_ARI_PASSWORD or name a file with pbx.ari_password_file");
  }

  @Test
  void everyProblemNamesItsKeyAndTheFix() throws Exception {
    Path file =
        file(
            """
            campaign: missing.yaml
            colour: blue
            lab_agents: 3
            time_zone: Mars/Olympus
            pbx:
              ari_url: ftp://127.0.0.1/ari
              ami_port: 70000
            api:
              listen: nowhere
            """);
    assertThat(rejected(file, Map.of("AGENTS", "agent1:pw:123456")).problems())
        .containsExactlyInAnyOrder(
            file
                + ": colour: unknown key; known keys: "
                + String.join(", ", ServeConfig.KEYS.keySet()),
            file + ": campaign: no such file: " + dir.resolve("missing.yaml"),
            file + ": time_zone: must be a time zone id such as Europe/Berlin, was Mars/Olympus",
            file
                + ": pbx.ari_url: must be an http(s) URL such as http://127.0.0.1:18088/ari, was"
                + " ftp://127.0.0.1/ari",
            file
                + ": pbx.ari_password: no secret given; set PINGDIALER_ARI_PASSWORD or name a file"
                + " with pbx.ari_password_file (or PINGDIALER_ARI_PASSWORD_FILE)",
            file
                + ": pbx.ami_secret: no secret given; set PINGDIALER_AMI_SECRET or name a file with"
                + " pbx.ami_secret_file (or PINGDIALER_AMI_SECRET_FILE)",
            file + ": pbx.ami_port: port must be 1 to 65535, was 70000",
            file + ": api.listen: must be HOST:PORT such as 127.0.0.1:8080, was nowhere",
            file + ": lab_agents: asks for 3 lab agents but AGENTS (id:password:pin,...) names 1");
  }

  @Test
  void withoutPbxEndpointsTheLocalStackIsUsedAndAWrongVariableIsNamed() throws Exception {
    Path file = file("campaign: c.yaml\n");
    ServeConfig config = ServeConfig.read(Optional.of(file), Map.of(), dir);
    assertThat(config.pbx()).isEqualTo(new ServeConfig.Pbx.LocalStack());
    assertThat(config.apiPort()).isZero();

    assertThat(rejected(file, Map.of("PINGDIALER_LAB_AGENTS", "many")).problems())
        .containsExactly("PINGDIALER_LAB_AGENTS: must be a whole number, was many");
    assertThat(rejected(file, Map.of("PINGDIALER_API_TOKENS", "short")).problems())
        .containsExactly(
            file + ": api.tokens: every API token must be at least 16 characters long");
  }
}
