package org.pingdialer.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
 * docker/compose.yml, checked without a Docker engine: the services the README promises, the
 * controller built from the project and running the same {@code pingdialer serve} command and
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
    assertThat(names).containsExactlyInAnyOrder("pstn", "pbx", "controller", "postgres");
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

    // Its environment, as compose would pass it with the required secrets set, makes a valid
    // configuration whose endpoints are the pbx service's ports.
    Map<String, String> given =
        Map.of(
            "ARI_PASSWORD", "a-secret",
            "AMI_SECRET", "b-secret",
            "PINGDIALER_API_TOKENS", "0123456789abcdef0123",
            "AGENTS", "agent1:pw:123456 agent2:pw:654321");
    Map<String, String> env = new HashMap<>();
    controller
        .get("environment")
        .properties()
        .forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asText(), given)));
    // In the container the campaign path is /pingdialer/...; here it is the checkout's.
    String campaign = "asterisk-config/campaigns/lab-demo.yaml";
    env.put("PINGDIALER_CAMPAIGN", Path.of(campaign).toAbsolutePath().toString());
    ServeConfig serve = ServeConfig.read(Optional.of(config), env, Path.of("."));
    var pbx = (ServeConfig.Pbx.Endpoints) serve.pbx();
    JsonNode ports = compose().get("x-ports");
    assertThat(pbx.ari().baseUrl().getPort())
        .isEqualTo(Integer.parseInt(interpolate(ports.get("PBX_HTTP_PORT").asText(), Map.of())));
    assertThat(pbx.ami().port())
        .isEqualTo(Integer.parseInt(interpolate(ports.get("PBX_AMI_PORT").asText(), Map.of())));
    assertThat(pbx.sipPort())
        .isEqualTo(Integer.parseInt(interpolate(ports.get("PBX_SIP_PORT").asText(), Map.of())));
    assertThat(pbx.ari().password()).isEqualTo("a-secret");
    assertThat(serve.labAccounts()).hasSize(2);
    assertThat(serve.labAgents()).isEqualTo(2);
    assertThat(serve.apiTokens()).containsExactly("0123456789abcdef0123");
    // The config file in the image names the campaign under the mount.
    assertThat(Files.readString(config)).contains("campaign: /pingdialer/" + campaign);
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
    Process version;
    try {
      version =
          HostPrograms.listed()
              .start(new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true));
    } catch (MissingProgramException noDocker) {
      return; // no Docker client: the checks above are the validation
    }
    if (!version.waitFor(20, TimeUnit.SECONDS) || version.exitValue() != 0) {
      return; // a client without compose (as on the CI machine)
    }
    var check =
        new ProcessBuilder("docker", "compose", "-f", COMPOSE.toString(), "config", "--quiet")
            .redirectErrorStream(true);
    check.environment().put("ARI_PASSWORD", "x");
    check.environment().put("AMI_SECRET", "y");
    check.environment().put("PINGDIALER_API_TOKENS", "0123456789abcdef0123");
    check.environment().put("DB_PASSWORD", "z");
    Process config = HostPrograms.listed().start(check);
    String out =
        new String(config.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(config.exitValue()).as(out).isZero();
  }
}
