package org.pingdialer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.stack.AsteriskStack;
import org.pingdialer.stack.StackSettings;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabStack;

/**
 * {@code ./pingdialer serve} as a process, as Docker runs it: a config file with the PBX's
 * endpoints, secrets from the environment and from files, a lab agent from {@code AGENTS}; the API
 * answers only with the token, the campaign places calls to the lab network, and SIGTERM stops it
 * cleanly (nothing of ours left in Asterisk).
 */
@LabStack
class ServeIT {
  private static final Pattern API =
      Pattern.compile("REST API: (http://127\\.0\\.0\\.1:\\d+)/api/v1");

  @Test
  void theControllerRunsFromItsConfigAndStopsCleanlyOnSigterm(AsteriskStack stack)
      throws Exception {
    StackSettings settings = stack.settings().orElseThrow();
    Path work = Files.createTempDirectory(Path.of("target"), "serve-").toAbsolutePath();
    Path data = work.resolve("data");
    String name = "it-serve-" + UUID.randomUUID().toString().substring(0, 6);
    try (Database database = Database.embedded(data)) {
      // People who answer after 2 s and stay 10 s, and busy lines.
      LabCampaigns.importNumbers(
          new JdbcLeadStore(database),
          "bought",
          "+4930999111020",
          "+4930999111021",
          "+4930999200100",
          "+4930999111022");
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
          mon-sun: 00:00-23:59
        lists: [bought]
        pacing:
          mode: progressive
          ring_timeout: 10s
        line_check: off
        wrap_up: 2s
        """
            .formatted(name));
    String token = "serve-it-" + UUID.randomUUID();
    Files.writeString(work.resolve("tokens"), token + "\n");
    Files.writeString(work.resolve("ami-secret"), settings.amiSecret());
    // The process gets the ARI password from its environment, which wins over this file; the
    // in-process CLI below (no such environment) reads the file.
    Files.writeString(work.resolve("ari-password"), settings.ariPassword());
    Path config = work.resolve("controller.yaml");
    Files.writeString(
        config,
        """
        campaign: campaign.yaml
        data_dir: data
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
                settings.ports().pbxHttp(),
                settings.ariUser(),
                settings.ariApp(),
                settings.ports().pbxAmi(),
                settings.amiUser(),
                settings.ports().pbxSip()));
    var agent = settings.agents().getFirst();
    var process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target/pingdialer.jar").toAbsolutePath().toString(),
                "serve",
                "--config",
                config.toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("serve.out").toFile());
    process.environment().put("PINGDIALER_ARI_PASSWORD", settings.ariPassword());
    process.environment().put("AGENTS", agent.id() + ":" + agent.password() + ":" + agent.pin());
    process.environment().put("PINGDIALER_LOG_FILE", work.resolve("serve.log").toString());
    Process serve = process.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      String url =
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () ->
                      output(work).stream()
                          .map(API::matcher)
                          .filter(Matcher::find)
                          .map(m -> m.group(1))
                          .findFirst(),
                  found -> found.isPresent() || !serve.isAlive())
              .orElseThrow(() -> new AssertionError("serve did not start: " + serve.isAlive()));

      assertThat(get(http, url + "/api/v1/agents", null).statusCode()).isEqualTo(401);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(http, url + "/api/v1/agents", token).body().contains(agent.id()));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> placed(get(http, url + "/metrics", token).body()) >= 2);

      // The campaign through the CLI, as an operator drives it: status, pause, resume, stop.
      Path state = work.resolve("state");
      Files.createDirectories(state);
      Files.writeString(
          state.resolve("api.json"), "{\"url\":\"" + url + "\",\"token\":\"" + token + "\"}");
      System.setProperty("pingdialer.stateDir", state.toString());
      try {
        var calls = cli("calls", "--json");
        assertThat(calls.exit()).as(calls.err()).isZero();
        assertThat(calls.out()).contains("\"inFlight\"", "\"recent\"", "pd-" + name);
        var status = cli("campaign", "status", "--json");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("\"name\" : \"" + name + "\"", "\"state\" : \"dialing\"");

        assertThat(cli("campaign", "pause", name).exit()).isZero();
        assertThat(cli("campaign", "status").out()).contains(name + " (lab, progressive): paused");
        // Once the agent is free again, nothing is placed while paused.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> get(http, url + "/api/v1/agents", token).body().contains("\"ready\""));
        double placedWhenPaused = placed(get(http, url + "/metrics", token).body());
        Thread.sleep(5_000);
        assertThat(placed(get(http, url + "/metrics", token).body())).isEqualTo(placedWhenPaused);

        assertThat(cli("campaign", "resume", name).exit()).isZero();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> placed(get(http, url + "/metrics", token).body()) > placedWhenPaused);

        // Campaign files kept by the controller: a broken one is refused with every problem and
        // nothing stored; a good one is stored, listed, read back, checked for a start, removed.
        String winter = Files.readString(work.resolve("campaign.yaml")).replace(name, "winter");
        var broken =
            send(
                http,
                "PUT",
                url + "/api/v1/campaigns/winter/definition",
                token,
                winter.replace("mode: progressive", "mode: turbo"));
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("\"field\":\"pacing.mode\"", "was turbo");
        assertThat(get(http, url + "/api/v1/campaigns/winter/definition", token).statusCode())
            .isEqualTo(404);
        var stored = send(http, "PUT", url + "/api/v1/campaigns/winter/definition", token, winter);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(get(http, url + "/api/v1/campaigns/winter/definition", token).body())
            .isEqualTo(winter);
        assertThat(get(http, url + "/api/v1/campaigns", token).body())
            .contains("\"name\":\"winter\",\"state\":\"stored\"");
        var startCheck =
            cli("campaign", "start", "winter", "--config", config.toString(), "--check");
        // The stored name is found (in this JVM AGENTS is unset, so lab_agents is what is left).
        assertThat(startCheck.err())
            .doesNotContain("no such file")
            .contains("lab_agents: asks for 1 lab agents");
        assertThat(
                send(http, "DELETE", url + "/api/v1/campaigns/" + name + "/definition", token, "")
                    .statusCode())
            .isEqualTo(409);
        assertThat(
                send(http, "DELETE", url + "/api/v1/campaigns/winter/definition", token, "")
                    .statusCode())
            .isEqualTo(204);

        var other = cli("campaign", "pause", "summer");
        assertThat(other.exit()).isEqualTo(4);
        assertThat(other.err()).contains("this controller runs campaign " + name + ", not summer");
        assertThat(cli("campaign", "stop", name).out()).contains(": stopped");
        var again = cli("campaign", "resume", name);
        assertThat(again.exit()).isEqualTo(4);
        assertThat(again.err()).contains("is stopped for good");
      } finally {
        System.clearProperty("pingdialer.stateDir");
      }
    }

    // SIGTERM, as docker stop and systemd send it (Process.destroy would close our end of its
    // output first).
    new ProcessBuilder("kill", "-TERM", Long.toString(serve.pid())).start().waitFor();
    assertThat(serve.waitFor(90, TimeUnit.SECONDS)).as("serve ends after SIGTERM").isTrue();
    List<String> output = output(work);
    System.out.println("pingdialer serve said:\n  " + String.join("\n  ", output));
    assertThat(output).anyMatch(line -> line.startsWith("stopping: no new calls"));
    assertThat(output).noneMatch(line -> line.contains(settings.ariPassword()));
    assertThat(output).noneMatch(line -> line.contains(token));

    var ari = new org.pingdialer.call.ari.OkHttpAriClient(stack.ari());
    assertThat(ari.channels())
        .noneMatch(c -> AttemptKey.fromChannelId(c.id()).isPresent())
        .noneMatch(c -> c.name().contains(agent.id()));
    assertThat(ari.bridges()).noneMatch(b -> b.id().startsWith("pd-"));
    try (Database database = Database.embedded(data)) {
      assertThat(new JdbcAttemptStore(database).countsOf(name).calls()).isGreaterThanOrEqualTo(2);
    }
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    int exit =
        new picocli.CommandLine(new org.pingdialer.cli.PingdialerCommand())
            .setOut(new java.io.PrintWriter(out))
            .setErr(new java.io.PrintWriter(err))
            .execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  private static List<String> output(Path work) throws java.io.IOException {
    return Files.readAllLines(work.resolve("serve.out"), StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> send(
      HttpClient http, String method, String url, String token, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/yaml")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(HttpClient http, String url, String token)
      throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The campaign's calls placed, from the Prometheus text. */
  private static double placed(String metrics) {
    return metrics
        .lines()
        .filter(line -> line.startsWith("pingdialer_calls_placed_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
