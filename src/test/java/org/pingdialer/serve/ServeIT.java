package org.pingdialer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pingdialer.serve.ServeLab.get;
import static org.pingdialer.serve.ServeLab.placed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.cli.PingdialerCommand;
import org.pingdialer.lab.persona.InboundCallers;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lab.stack.StackSettings;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.testing.LabStack;

/**
 * {@code ./pingdialer serve} as a process, as Docker runs it: a config file with the PBX's
 * endpoints, secrets from the environment and from files, a lab agent from {@code AGENTS}; the API
 * answers only with the token, the campaign places calls to the lab network, and SIGTERM stops it
 * cleanly (nothing of ours left in Asterisk).
 */
@LabStack
class ServeIT {

  @Test
  // Also on containerized Asterisk in CI's Docker half: serve as compose runs it. The restart
  // tests below are about our own state, the same on either runtime.
  @Tag("docker")
  void theControllerRunsFromItsConfigAndStopsCleanlyOnSigterm(AsteriskStack stack)
      throws Exception {
    StackSettings settings = stack.settings().orElseThrow();
    // People who answer after 2 s and stay 10 s, and busy lines.
    ServeLab lab =
        ServeLab.write(
            stack, true, "+4930999111020", "+4930999111021", "+4930999200100", "+4930999111022");
    Path work = lab.work();
    Path data = lab.data();
    Path config = lab.config();
    String name = lab.name();
    String token = lab.token();
    var agent = settings.agents().getFirst();
    // An inbound queue beside the campaign, on the same agent.
    Files.writeString(
        work.resolve("queue.yaml"), "name: serve-q\ndids: [\"4930777104\"]\nannouncement: []\n");
    Files.writeString(config, Files.readString(config) + "queues: [queue.yaml]\n");
    Process serve = lab.launch("serve", "--config", config.toString());
    try (HttpClient http = HttpClient.newHttpClient()) {
      String url = lab.apiUrl(serve);

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
        assertThat(status.out())
            .contains("\"name\" : \"" + name + "\"", "\"state\" : \"dialing\"")
            .containsPattern("\"agentsTalking\" : [01],")
            .containsPattern("\"agentsWrappingUp\" : [01],");

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
        // Without --config the running controller is asked: it adds the stored campaign to its
        // floor, beside its own, on the same agents; both are listed, both report.
        var otherStart = cli("campaign", "start", "winter", "--json");
        assertThat(otherStart.exit()).as(otherStart.err()).isZero();
        assertThat(otherStart.out()).contains("\"name\" : \"winter\"", "\"state\" : \"dialing\"");
        assertThat(get(http, url + "/api/v1/campaigns", token).body())
            .contains("\"name\":\"" + name + "\",", "\"name\":\"winter\",\"profile\"")
            .doesNotContain("\"state\":\"stored\"");
        assertThat(get(http, url + "/api/v1/campaigns/winter/report", token).statusCode())
            .isEqualTo(200);
        assertThat(cli("campaign", "start", "winter").exit()).isZero(); // dialing already: 200
        assertThat(cli("campaign", "stop", "winter").out()).contains(": stopped");
        for (String running : List.of(name, "winter")) {
          assertThat(
                  send(
                          http,
                          "DELETE",
                          url + "/api/v1/campaigns/" + running + "/definition",
                          token,
                          "")
                      .statusCode())
              .isEqualTo(409);
        }

        var other = cli("campaign", "pause", "summer");
        assertThat(other.exit()).isEqualTo(4);
        assertThat(other.err())
            .contains("this controller runs campaigns " + name + ", winter, not summer");
        assertThat(cli("campaign", "stop", name).out()).contains(": stopped");
        var again = cli("campaign", "resume", name);
        assertThat(again.exit()).isEqualTo(4);
        assertThat(again.err()).contains("is stopped; start it again");

        // The queue's caller reaches the agent though both campaigns stopped; its figures come
        // over the API and the CLI.
        InboundCallers.call(
            stack.pstnDir(),
            "4930777104",
            InboundCallers.Caller.waits(Duration.ofSeconds(30), "4930999111129"));
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> get(http, url + "/api/v1/queues", token).body().contains("\"answered\":1"));
        var queues = cli("queues", "--json");
        assertThat(queues.exit()).as(queues.err()).isZero();
        assertThat(queues.out())
            .contains("\"name\" : \"serve-q\"", "\"offered\" : 1", "\"4930777104\"");
        assertThat(cli("queues").out()).contains("serve-q");
        // The agent's work spans the campaign and the queue: one table, a part for each.
        var agentReport = cli("agents", "report", "--json");
        assertThat(agentReport.exit()).as(agentReport.err()).isZero();
        assertThat(agentReport.out())
            .contains(
                "\"agent\" : \"" + agent.id() + "\"",
                "\"name\" : \"" + name + "\"",
                "\"kind\" : \"outbound\"",
                "\"name\" : \"serve-q\"",
                "\"kind\" : \"inbound\"");
      } finally {
        System.clearProperty("pingdialer.stateDir");
      }
    }

    lab.sigtermLeavesNothing(serve);
    try (Database database = Database.embedded(data)) {
      assertThat(new JdbcAttemptStore(database).countsOf(name).calls()).isGreaterThanOrEqualTo(2);
    }
  }

  /**
   * What an operator asked of the campaigns outlives the controller: after a restart on the same
   * data, a campaign added over the API dials again, a paused one (added or the controller's own)
   * is still paused, a stopped one stays out.
   */
  @Test
  void campaignsComeBackAfterARestartAsAnOperatorLeftThem(AsteriskStack stack) throws Exception {
    ServeLab lab =
        ServeLab.write(stack, true, "+4930999111040", "+4930999111041", "+4930999200140");
    String own = lab.name();
    String yaml = Files.readString(lab.work().resolve("campaign.yaml"));
    Process first = lab.launch("serve", "--config", lab.config().toString());
    try (HttpClient http = HttpClient.newHttpClient()) {
      String url = lab.apiUrl(first);
      for (String other : List.of("winter", "spring", "autumn")) {
        var stored =
            send(
                http,
                "PUT",
                url + "/api/v1/campaigns/" + other + "/definition",
                lab.token(),
                yaml.replace(own, other));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        var started =
            send(http, "POST", url + "/api/v1/campaigns/" + other + "/start", lab.token(), "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
      }
      for (String paused : List.of("spring", own)) {
        var answer =
            send(http, "POST", url + "/api/v1/campaigns/" + paused + "/pause", lab.token(), "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      }
      var stopped = send(http, "POST", url + "/api/v1/campaigns/autumn/stop", lab.token(), "");
      assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(202);
    }
    lab.sigtermLeavesNothing(first);

    Process second = lab.launch("serve", "--config", lab.config().toString());
    try (HttpClient http = HttpClient.newHttpClient()) {
      String url = lab.apiUrl(second);
      JsonNode campaigns =
          new ObjectMapper().readTree(get(http, url + "/api/v1/campaigns", lab.token()).body());
      Map<String, String> states = new TreeMap<>();
      for (JsonNode campaign : campaigns.isArray() ? campaigns : campaigns.path("campaigns")) {
        states.put(campaign.path("name").asText(), campaign.path("state").asText());
      }
      assertThat(states)
          .containsEntry("winter", "dialing")
          .containsEntry("spring", "paused")
          .containsEntry(own, "paused")
          .containsEntry("autumn", "stored");
    }
    lab.sigtermLeavesNothing(second);
  }

  /**
   * {@code campaign start FILE --config F} runs the controller in this terminal with that campaign;
   * a stopped campaign is started again through the running controller ({@code campaign start
   * NAME}: agents stay seated, calls are placed again); SIGTERM ends it cleanly.
   */
  @Test
  void campaignStartRunsTheControllerAndStartsTheCampaignAgainAfterAStop(AsteriskStack stack)
      throws Exception {
    ServeLab lab =
        ServeLab.write(
            stack,
            false, // the campaign comes from the command line
            "+4930999111030",
            "+4930999111031",
            "+4930999111032",
            "+4930999111033",
            "+4930999111034",
            "+4930999111035");
    Process controller =
        lab.launch(
            "campaign",
            "start",
            lab.work().resolve("campaign.yaml").toString(),
            "--config",
            lab.config().toString());
    try (HttpClient http = HttpClient.newHttpClient()) {
      String url = lab.apiUrl(controller);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> placed(get(http, url + "/metrics", lab.token()).body()) >= 1);
      Path state = lab.work().resolve("state");
      Files.createDirectories(state);
      Files.writeString(
          state.resolve("api.json"), "{\"url\":\"" + url + "\",\"token\":\"" + lab.token() + "\"}");
      System.setProperty("pingdialer.stateDir", state.toString());
      try {
        var stopped = cli("campaign", "stop", lab.name());
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(stopped.out()).contains(lab.name() + " (lab, progressive): stopped");
        // Once the agent is free again, nothing is placed while stopped.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> get(http, url + "/api/v1/agents", lab.token()).body().contains("\"ready\""));
        double placedWhenStopped = placed(get(http, url + "/metrics", lab.token()).body());
        Thread.sleep(4_000);
        assertThat(placed(get(http, url + "/metrics", lab.token()).body()))
            .isEqualTo(placedWhenStopped);
        var resumed = cli("campaign", "resume", lab.name());
        assertThat(resumed.exit()).isEqualTo(4);
        assertThat(resumed.err())
            .contains("is stopped; start it again", "pingdialer campaign start " + lab.name());

        // Started again through the running controller: no --config, and a name, not a file.
        var started = cli("campaign", "start", lab.name(), "--json");
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(started.out()).contains("\"state\" : \"dialing\"");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> placed(get(http, url + "/metrics", lab.token()).body()) > placedWhenStopped);
        var again = cli("campaign", "start", lab.name());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains(": dialing");
      } finally {
        System.clearProperty("pingdialer.stateDir");
      }
    }
    lab.sigtermLeavesNothing(controller);
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit =
        new picocli.CommandLine(new PingdialerCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Cli(exit, out.toString(), err.toString());
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
}
