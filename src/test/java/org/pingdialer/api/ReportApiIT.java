package org.pingdialer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.report.CampaignReports;
import org.pingdialer.report.ReportCatalog;
import org.pingdialer.report.ReportFixture;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcReportData;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.NoDialer;

/**
 * {@code GET /api/v1/campaigns/{name}/report} on an embedded database filled through the real
 * stores: the token is required, the three formats, problems for a bad format, a bad since and an
 * unknown campaign.
 */
class ReportApiIT {
  private static final String TOKEN = "report-token-0123456789abcdef";

  private final OkHttpClient http = new OkHttpClient();
  private Database database;
  private AgentDesk desk;
  private ApiServer api;

  @BeforeEach
  void start() throws IOException {
    database = LabRuns.database("h2-report-api-");
    ReportFixture.fill(database);
    desk =
        new AgentDesk(
            new FakeAriClient(),
            new NoDialer(),
            InstantSource.system(),
            ZoneId.of("Europe/Berlin"),
            Duration.ofSeconds(5));
    var reports =
        new CampaignReports(
            new JdbcReportData(database), new JdbcAttemptStore(database), Persona.goats());
    api =
        ApiServer.start(
            "127.0.0.1",
            0,
            Set.of(TOKEN),
            desk,
            List.of("break"),
            ApiServer.Extras.none()
                .withReports(new ReportCatalog(reports, List.of(ReportFixture.campaign()))));
  }

  @AfterEach
  void stop() {
    api.close();
    desk.close();
    database.close();
  }

  private record Answer(int status, String contentType, String body) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(body);
    }
  }

  private Answer get(String path, String token) throws IOException {
    var request = new Request.Builder().url("http://127.0.0.1:" + api.port() + path);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try (var response = http.newCall(request.build()).execute()) {
      return new Answer(
          response.code(), response.header("Content-Type", ""), response.body().string());
    }
  }

  @Test
  void withoutAValidTokenThereIsNoReport() throws Exception {
    for (String token : new String[] {null, "wrong-token-0123456789abcdef"}) {
      Answer answer = get("/api/v1/campaigns/report-it/report", token);
      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.contentType()).startsWith("application/problem+json");
      assertThat(answer.body()).doesNotContain("report-it");
    }
  }

  @Test
  void theReportComesAsJsonCsvAndHtml() throws Exception {
    Answer json = get("/api/v1/campaigns/report-it/report", TOKEN);
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.contentType()).startsWith("application/json");
    assertThat(json.json().at("/outcomes/byOutcome/ANSWERED").asLong()).isEqualTo(3);
    assertThat(json.json().at("/compliance/callingWindows/outside").asLong()).isEqualTo(1);

    Answer csv =
        get("/api/v1/campaigns/report-it/report?format=csv&since=2026-11-27T09:00:00Z", TOKEN);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body())
        .startsWith("section,item,measure,value")
        .contains("outcome,all,calls,11");

    Answer html = get("/api/v1/campaigns/report-it/report?format=html", TOKEN);
    assertThat(html.status()).isEqualTo(200);
    assertThat(html.contentType()).startsWith("text/html");
    assertThat(html.body()).contains("<svg").doesNotContain("http://", "https://");
  }

  @Test
  void badParametersAndUnknownCampaignsAreProblems() throws Exception {
    Answer format = get("/api/v1/campaigns/report-it/report?format=pdf", TOKEN);
    assertThat(format.status()).isEqualTo(400);
    assertThat(format.contentType()).startsWith("application/problem+json");
    assertThat(format.json().get("field").asText()).isEqualTo("format");

    Answer since = get("/api/v1/campaigns/report-it/report?since=yesterday", TOKEN);
    assertThat(since.status()).isEqualTo(400);
    assertThat(since.json().get("field").asText()).isEqualTo("since");

    Answer unknown = get("/api/v1/campaigns/summer/report", TOKEN);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(unknown.json().get("detail").asText())
        .isEqualTo("no campaign 'summer' here; known: report-it");
  }

  @Test
  void theOpenApiDescriptionListsTheReport() throws Exception {
    Answer openApi = get("/api/v1/openapi.json", TOKEN);
    assertThat(openApi.json().at("/paths").has("/campaigns/{name}/report")).isTrue();
  }
}
