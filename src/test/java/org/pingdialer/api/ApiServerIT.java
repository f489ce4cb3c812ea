package org.pingdialer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.agent.AgentState;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.metrics.DialerMetrics;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.LabAgentPhone;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * The agents' REST API against a running campaign with a real phone logged in: token required,
 * problems as application/problem+json naming the field, pause and resume, a call ended and filed
 * from the API, logout.
 */
@LabStack
class ApiServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "it-token-0123456789abcdef";
  private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

  private final OkHttpClient http = new OkHttpClient();
  private int port;

  private record Answer(int status, String contentType, JsonNode body) {}

  private Answer call(String method, String path, String token, String body) throws Exception {
    var request = new Request.Builder().url("http://127.0.0.1:" + port + path);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (method.equals("POST")) {
      request.post(RequestBody.create(body == null ? "" : body, APPLICATION_JSON));
    }
    try (var response = http.newCall(request.build()).execute()) {
      String text = response.body().string();
      return new Answer(
          response.code(),
          response.header("Content-Type", ""),
          text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text));
    }
  }

  private Answer post(String path, String body) throws Exception {
    return call("POST", path, TOKEN, body);
  }

  @Test
  void agentsArePausedFiledAndLoggedOutOverTheApi(AsteriskStack stack) throws Exception {
    var campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: off
            wrap_up: 30s
            pause_codes: [break, lunch]
            """);
    try (Database database = LabRuns.database("h2-api-")) {
      var leads = new JdbcLeadStore(database);
      LabCampaigns.importNumbers(leads, "bought", "+4930999900005");
      AgentAccount agent = stack.settings().orElseThrow().agents().getFirst();
      try (var run =
              CampaignRun.start(
                  campaign,
                  new CampaignRun.Settings(
                      stack.ari(),
                      Optional.empty(),
                      database,
                      "it-api",
                      ZoneId.of("Europe/Berlin"),
                      1),
                  InstantSource.system(),
                  Duration.ofSeconds(10));
          var api =
              ApiServer.start(
                  "127.0.0.1",
                  0,
                  Set.of(TOKEN),
                  run.desk(),
                  campaign.pauseCodes(),
                  ApiServer.Extras.none().withMetrics(new DialerMetrics(run)::scrape));
          var phone = LabAgentPhone.login(stack, agent, agent.pin(), 1)) {
        port = api.port();
        String agentPath = "/api/v1/agents/" + agent.id();

        // No token, a wrong token: 401 as problem+json, and nothing else is answered.
        Answer anonymous = call("GET", "/api/v1/agents", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(anonymous.body().get("detail").asText()).contains("Authorization: Bearer");
        assertThat(call("GET", "/api/v1/agents", "wrong-token-0123456789", null).status())
            .isEqualTo(401);

        // The phone's agent answers a call at once (persona 90): on call.
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    call("GET", "/api/v1/agents", TOKEN, null)
                        .body()
                        .path(0)
                        .path("state")
                        .asText()
                        .equals("on_call"));
        Answer bad = post(agentPath + "/disposition", "{\"code\":\"maybe\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.body().get("field").asText()).isEqualTo("code");
        Answer noTime = post(agentPath + "/disposition", "{\"code\":\"callback\"}");
        assertThat(noTime.body().get("field").asText()).isEqualTo("at");
        assertThat(post(agentPath + "/disposition", "[1]").body().get("field").asText())
            .isEqualTo("body");

        assertThat(post(agentPath + "/end-call", null).status()).isEqualTo(202);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> state(run, agent) == AgentState.Status.WRAP_UP);
        assertThat(post(agentPath + "/end-call", null).status()).isEqualTo(409);
        assertThat(post(agentPath + "/disposition", "{\"code\":\"sale\"}").status()).isEqualTo(202);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> leads.leadsOf("bought", 1).getFirst().state() == LeadState.DONE);
        assertThat(leads.leadsOf("bought", 1).getFirst().doneReason())
            .contains(LeadEvent.DoneReason.SALE);
        assertThat(post(agentPath + "/ready", null).status()).isEqualTo(202);

        // Pause (with a bad reason first), resume.
        Answer badReason = post(agentPath + "/pause", "{\"reason\":\"coffee\"}");
        assertThat(badReason.status()).isEqualTo(400);
        assertThat(badReason.body().get("field").asText()).isEqualTo("reason");
        assertThat(badReason.body().get("detail").asText())
            .isEqualTo(
                "one of the campaign's pause codes (break, lunch; pause_codes in its file), was"
                    + " coffee");
        Answer paused = post(agentPath + "/pause", "{\"reason\":\"break\"}");
        assertThat(paused.body().get("state").asText()).isEqualTo("paused");
        assertThat(paused.body().get("pause").asText()).isEqualTo("break");
        assertThat(post(agentPath + "/resume", null).body().get("state").asText())
            .isEqualTo("ready");
        JsonNode listed = call("GET", "/api/v1/agents", TOKEN, null).body().get(0);
        assertThat(listed.get("calls").asInt()).isEqualTo(1);
        assertThat(listed.get("dispositions").get("sale").asInt()).isEqualTo(1);

        // Prometheus metrics, behind the same token.
        assertThat(call("GET", "/metrics", null, null).status()).isEqualTo(401);
        var scrape =
            http.newCall(
                    new Request.Builder()
                        .url("http://127.0.0.1:" + port + "/metrics")
                        .header("Authorization", "Bearer " + TOKEN)
                        .build())
                .execute();
        String metrics = scrape.body().string();
        scrape.close();
        assertThat(metrics)
            .contains(
                "pingdialer_calls_total{campaign=\""
                    + campaign.name()
                    + "\",outcome=\"answered\"} 1.0")
            .contains("pingdialer_calls_placed_total{campaign=\"" + campaign.name() + "\"} 1.0")
            .contains(
                "pingdialer_agents{campaign=\"" + campaign.name() + "\",state=\"ready\"} 1.0");

        assertThat(post("/api/v1/agents/agent99/pause", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/nothing", TOKEN, null).status()).isEqualTo(404);

        assertThat(post(agentPath + "/logout", null).status()).isEqualTo(202);
        phone.awaitSuccess(Duration.ofSeconds(15));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> state(run, agent) == AgentState.Status.LOGGED_OUT);
      }
    }
  }

  private static AgentState.Status state(CampaignRun run, AgentAccount agent) throws Exception {
    AgentState state = run.desk().states().get(5, TimeUnit.SECONDS).get(agent.id());
    return state == null ? AgentState.Status.LOGGED_OUT : state.status();
  }
}
