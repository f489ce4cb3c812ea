package org.pingdialer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.host.HostPrograms;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lab.stack.StackSettings;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.LabCampaigns;

/**
 * A controller's files in a fresh work directory under {@code target/}: leads imported into its
 * embedded database, {@code campaign.yaml} (progressive, lab), secrets in files, a token file and
 * {@code controller.yaml} with one lab agent.
 */
record ServeLab(AsteriskStack stack, Path work, String name, String token) {
  private static final Pattern API =
      Pattern.compile("REST API: (http://127\\.0\\.0\\.1:\\d+)/api/v1");

  static ServeLab write(AsteriskStack stack, boolean campaignInConfig, String... numbers)
      throws Exception {
    return writeWith(stack, campaignInConfig, "", numbers);
  }

  /**
   * As {@link #write(AsteriskStack, boolean, String...)}, with {@code extraYaml} added to the
   * campaign.
   */
  static ServeLab writeWith(
      AsteriskStack stack, boolean campaignInConfig, String extraYaml, String... numbers)
      throws Exception {
    StackSettings settings = stack.settings().orElseThrow();
    Path work = Files.createTempDirectory(Path.of("target"), "serve-").toAbsolutePath();
    String name = "it-serve-" + UUID.randomUUID().toString().substring(0, 6);
    try (Database database = Database.embedded(work.resolve("data"))) {
      LabCampaigns.importNumbers(new JdbcLeadStore(database), "bought", numbers);
    }
    Files.writeString(
        work.resolve("campaign.yaml"),
        """
        name: %s
        profile: lab
        trunk: carrier
        default_region: DE
        agent_group: lab
        calling_windows:
          mon-sun: 00:00-24:00
        lists: [bought]
        pacing:
          mode: progressive
          ring_timeout: 10s
        line_check: off
        wrap_up: 2s
        # The lab phone dies with the controller: nothing to adopt.
        on_restart: end
        """
                .formatted(name)
            + extraYaml);
    String token = "serve-it-" + UUID.randomUUID();
    Files.writeString(work.resolve("tokens"), token + "\n");
    Files.writeString(work.resolve("ami-secret"), settings.amiSecret());
    // The process gets the ARI password from its environment, which wins over this file; the
    // in-process CLI (no such environment) reads the file.
    Files.writeString(work.resolve("ari-password"), settings.ariPassword());
    Files.writeString(
        work.resolve("controller.yaml"),
        """
        %sdata_dir: data
        time_zone: Europe/Berlin
        lab_agents: 1
        pbx:
          ari_url: http://127.0.0.1:%d/ari
          ari_user: %s
          ari_app: %s
          ari_password_file: ari-password
          ami_host: 127.0.0.1
          ami_port: %d
          ami_user: %s
          ami_secret_file: ami-secret
          sip_port: %d
        api:
          listen: 127.0.0.1:0
          tokens_file: tokens
        """
            .formatted(
                campaignInConfig ? "campaign: campaign.yaml\n" : "",
                settings.ports().pbxHttp(),
                settings.ariUser(),
                settings.ariApp(),
                settings.ports().pbxAmi(),
                settings.amiUser(),
                settings.ports().pbxSip()));
    return new ServeLab(stack, work, name, token);
  }

  Path data() {
    return work.resolve("data");
  }

  Path config() {
    return work.resolve("controller.yaml");
  }

  AgentAccount agent() {
    return stack.settings().orElseThrow().agents().getFirst();
  }

  /** {@code java -jar target/pingdialer.jar ARGS} in the work directory, as an operator runs it. */
  Process launch(String... args) throws IOException {
    StackSettings settings = stack.settings().orElseThrow();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(Path.of("target/pingdialer.jar").toAbsolutePath().toString());
    command.addAll(List.of(args));
    var process =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("serve.out").toFile());
    process.environment().put("PINGDIALER_ARI_PASSWORD", settings.ariPassword());
    process
        .environment()
        .put("AGENTS", agent().id() + ":" + agent().password() + ":" + agent().pin());
    process.environment().put("PINGDIALER_LOG_FILE", work.resolve("serve.log").toString());
    return HostPrograms.listed().start(process);
  }

  /** The API's address, once the controller printed it. */
  String apiUrl(Process controller) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                output(work).stream()
                    .map(API::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .findFirst(),
            found -> found.isPresent() || !controller.isAlive())
        .orElseThrow(() -> new AssertionError("the controller did not start: " + output(work)));
  }

  /**
   * SIGTERM, as docker stop and systemd send it (Process.destroy would close our end of its output
   * first): the controller ends, says so, prints no secret, and leaves no channel, agent or bridge
   * of ours in Asterisk.
   */
  void sigtermLeavesNothing(Process controller) throws Exception {
    HostPrograms.listed()
        .start(new ProcessBuilder("kill", "-TERM", Long.toString(controller.pid())))
        .waitFor();
    assertThat(controller.waitFor(90, TimeUnit.SECONDS)).as("ends after SIGTERM").isTrue();
    List<String> output = output(work);
    System.out.println("pingdialer said:\n  " + String.join("\n  ", output));
    assertThat(output).anyMatch(line -> line.startsWith("stopping: no new calls"));
    assertThat(output)
        .noneMatch(line -> line.contains(stack.settings().orElseThrow().ariPassword()));
    assertThat(output).noneMatch(line -> line.contains(token));
    var ari = new OkHttpAriClient(stack.ari());
    assertThat(ari.channels())
        .noneMatch(c -> AttemptKey.fromChannelId(c.id()).isPresent())
        .noneMatch(c -> c.name().contains(agent().id()));
    assertThat(ari.bridges()).noneMatch(b -> b.id().startsWith("pd-"));
  }

  static List<String> output(Path work) {
    try {
      return Files.readAllLines(work.resolve("serve.out"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The campaign's calls placed, from the Prometheus text. */
  static double placed(String metrics) {
    return metrics
        .lines()
        .filter(line -> line.startsWith("pingdialer_calls_placed_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
