package org.pingdialer.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pingdialer.cli.PingdialerCommand;
import org.pingdialer.host.HostPrograms;
import org.pingdialer.host.MissingProgramException;
import picocli.CommandLine;

/**
 * docker/compose.yml, checked without a Docker engine: the services docs/operations.md promises,
 * the controller built from the project and running the same {@code pingdialer serve} command and
 * config as the rootfs runtime, Asterisk started with the same command line in both runtimes. With
 * a Docker client that has compose, {@code docker compose config} must accept the file too.
 */
class ComposeFileTest {
  private static final Path COMPOSE = Path.of("docker/compose.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Compose's ${VAR:-default} and ${VAR:?message} with the variables unset. */
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::([-?])([^}]*))?}");

  private static String interpolate(String value, Map<String, String> given) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String replacement =
          given.containsKey(name) ? given.get(name) : "-".equals(m.group(2)) ? m.group(3) : "";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(out).toString();
  }

  private static JsonNode compose() throws Exception {
    return YAML.readTree(COMPOSE.toFile());
  }

  @Test
  void theStackHasTheServicesTheReadmePromises() throws Exception {
    JsonNode services = compose().get("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("secrets", "pstn", "pbx", "controller", "postgres");
    assertThat(services.at("/postgres/profiles").toString()).isEqualTo("[\"postgres\"]");
    for (String service : names) {
      // Everything on loopback of the host: the same addresses as the rootfs runtime.
      assertThat(services.at("/" + service + "/network_mode").asText()).isEqualTo("host");
    }
  }

  @Test
  void theControllerIsBuiltFromTheProjectInTwoStages() throws Exception {
    JsonNode build = compose().at("/services/controller/build");
    Path dockerfile =
        COMPOSE
            .getParent()
            .resolve(build.get("context").asText())
            .resolve(build.get("dockerfile").asText())
            .normalize();
    assertThat(dockerfile).isEqualTo(Path.of("docker/Dockerfile.controller"));
    List<String> lines = Files.readAllLines(dockerfile);
    assertThat(lines.stream().filter(l -> l.startsWith("FROM "))).hasSize(2);
    assertThat(lines).anyMatch(l -> l.startsWith("RUN mvn") && l.contains(" package"));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("COPY --from=build") && l.contains("pingdialer.jar"));
    // The project's build reads these; the image must copy them.
    assertThat(lines).contains("COPY pom.xml .", "COPY src src");
  }

  @Test
  void theControllerRunsServeWithTheCheckedInConfig() throws Exception {
    JsonNode controller = compose().at("/services/controller");
    List<String> command = new ArrayList<>();
    controller.get("command").forEach(c -> command.add(c.asText()));
    var parsed = new CommandLine(new PingdialerCommand()).parseArgs(command.toArray(String[]::new));
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("serve");
    String configInContainer = parsed.subcommand().matchedOptionValue("--config", null).toString();
    // The project is mounted at /pingdialer.
    assertThat(controller.get("volumes").toString()).contains("..:/pingdialer:ro");
    Path config = Path.of(configInContainer.replaceFirst("^/pingdialer/", ""));
    assertThat(config).exists();

    // Its environment, as compose passes it with no variable set, and the secrets the "secrets"
    // service makes (docker/lab-secrets.sh, run here into a temporary directory that stands for
    // the volume) make a valid configuration whose endpoints are the pbx service's ports.
    Path secrets = Files.createTempDirectory("lab-secrets");
    Process made =
        HostPrograms.listed()
            .start(
                new ProcessBuilder("sh", "docker/lab-secrets.sh", secrets.toString())
                    .redirectErrorStream(true));
    assertThat(made.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(made.exitValue()).isZero();
    Map<String, String> env = new HashMap<>();
    controller
        .get("environment")
        .properties()
        .forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asText(), Map.of())));
    // In the container these paths are under /pingdialer and /run/pingdialer-secrets; here they
    // are the checkout's and the temporary directory's.
    String campaign = "asterisk-config/campaigns/lab-demo.yaml";
    env.put("PINGDIALER_CAMPAIGN", Path.of(campaign).toAbsolutePath().toString());
    String mix = "asterisk-config/personas/demo-mix.yaml";
    env.put("PINGDIALER_LAB_PERSONA_MIX", Path.of(mix).toAbsolutePath().toString());
    String configText = Files.readString(config);
    for (var file :
        Map.of(
                "PINGDIALER_ARI_PASSWORD_FILE", "ari-password",
                "PINGDIALER_AMI_SECRET_FILE", "ami-secret",
                "PINGDIALER_API_TOKENS_FILE", "api-token",
                "PINGDIALER_AGENTS_FILE", "agents")
            .entrySet()) {
      assertThat(configText).contains("/run/pingdialer-secrets/" + file.getValue());
      env.put(file.getKey(), secrets.resolve(file.getValue()).toString());
    }
    ServeConfig serve = ServeConfig.read(Optional.of(config), env, Path.of("."));
    var pbx = (ServeConfig.Pbx.Endpoints) serve.pbx();
    JsonNode ports = compose().get("x-ports");
    assertThat(pbx.ari().baseUrl().getPort())
        .isEqualTo(Integer.parseInt(interpolate(ports.get("PBX_HTTP_PORT").asText(), Map.of())));
    assertThat(pbx.ami().port())
        .isEqualTo(Integer.parseInt(interpolate(ports.get("PBX_AMI_PORT").asText(), Map.of())));
    assertThat(pbx.sipPort())
        .isEqualTo(Integer.parseInt(interpolate(ports.get("PBX_SIP_PORT").asText(), Map.of())));
    assertThat(pbx.ari().password())
        .isEqualTo(Files.readString(secrets.resolve("ari-password")).strip())
        .hasSize(24);
    assertThat(serve.labAccounts()).hasSize(2);
    assertThat(serve.labAgents()).isEqualTo(2);
    assertThat(serve.apiTokens())
        .containsExactly(Files.readString(secrets.resolve("api-token")).strip());
    assertThat(serve.labLeads()).map(ServeConfig.LabLeads::count).contains(120);
    assertThat(configText).contains("lab_persona_mix: /pingdialer/" + mix);
    // The config file in the image names the campaign under the mount.
    assertThat(Files.readString(config)).contains("campaign: /pingdialer/" + campaign);
    assertThat(serve.database()).isEmpty();

    // The postgres profile (its URL given, as the file's header shows): the controller connects
    // with the password the secrets service generated for the postgres service, unless
    // DB_PASSWORD is set for both.
    assertThat(env.get("PINGDIALER_DB_PASSWORD_FILE"))
        .isEqualTo("/run/pingdialer-secrets/db-password");
    env.put("PINGDIALER_DB_PASSWORD_FILE", secrets.resolve("db-password").toString());
    env.put("PINGDIALER_DB_URL", "jdbc:postgresql://127.0.0.1:15432/pingdialer");
    ServeConfig withPostgres = ServeConfig.read(Optional.of(config), env, Path.of("."));
    assertThat(withPostgres.database().orElseThrow().password())
        .isEqualTo(Files.readString(secrets.resolve("db-password")).strip())
        .isNotBlank();
    assertThat(compose().at("/services/postgres/entrypoint").toString())
        .contains("/run/pingdialer-secrets/db-password");
    env.put("PINGDIALER_DB_PASSWORD", "set-for-both");
    assertThat(
            ServeConfig.read(Optional.of(config), env, Path.of("."))
                .database()
                .orElseThrow()
                .password())
        .isEqualTo("set-for-both");
    assertThat(controller.at("/restart").asText()).isEqualTo("on-failure:10");
  }

  @Test
  void noVariableIsRequired() throws Exception {
    // ${VAR:?message} fails every service, the profile's included, when VAR is unset (compose
    // v1 refused `up pstn pbx` for the postgres service's DB_PASSWORD): secrets come from the
    // secrets service instead.
    assertThat(Files.readString(COMPOSE)).doesNotContain(":?");
  }

  @Test
  void asteriskStartsWithTheSameCommandLineInBothRuntimes() throws Exception {
    String docker =
        asteriskCommand(Path.of("docker/asterisk-entrypoint.sh"), "\"$ETC/asterisk.conf\"");
    String rootfs =
        asteriskCommand(Path.of("docker/asterisk-rootfs.sh"), "$MOUNT_POINT/etc/asterisk.conf");
    assertThat(docker)
        .isEqualTo(rootfs)
        .isEqualTo("/usr/sbin/asterisk -f -U asterisk -G asterisk -C");
    // Both instances are built from the same image, which installs the rootfs's packages.
    String packages =
        Files.readAllLines(Path.of("docker/asterisk-rootfs.sh")).stream()
            .filter(l -> l.startsWith("PACKAGES="))
            .findFirst()
            .orElseThrow()
            .replaceAll("PACKAGES=|\"", "");
    String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
    for (String pkg : packages.split(" ")) {
      assertThat(dockerfile).as("docker/Dockerfile installs %s", pkg).contains(" " + pkg);
    }
  }

  /** The line that starts Asterisk in the foreground, up to its config file argument. */
  private static String asteriskCommand(Path script, String configArgument) throws Exception {
    String line =
        Files.readAllLines(script).stream()
            .filter(l -> l.contains("/usr/sbin/asterisk -f"))
            .findFirst()
            .orElseThrow();
    String from = line.substring(line.indexOf("/usr/sbin/asterisk"));
    return from.substring(0, from.indexOf(configArgument)).strip();
  }

  @Test
  void dockerComposeAcceptsTheFileWhereItIsInstalled() throws Exception {
    // v2 (a plugin of the docker client) and Debian's v1 (docker-compose), whichever is here,
    // with no variable set, the postgres profile included.
    for (List<String> compose : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      Process version;
      try {
        List<String> command = new ArrayList<>(compose);
        command.add("version");
        version =
            HostPrograms.listed().start(new ProcessBuilder(command).redirectErrorStream(true));
      } catch (MissingProgramException notInstalled) {
        continue; // the checks above are the validation
      }
      version.getInputStream().transferTo(OutputStream.nullOutputStream());
      if (!version.waitFor(20, TimeUnit.SECONDS) || version.exitValue() != 0) {
        continue; // a client without compose (as on the CI machine's rootfs half)
      }
      for (String profile : List.of("default", "postgres")) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(
            List.of("-f", COMPOSE.toString(), "--profile", profile, "config", "--quiet"));
        Process config =
            HostPrograms.listed().start(new ProcessBuilder(command).redirectErrorStream(true));
        String out = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(config.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
      }
    }
  }
}
