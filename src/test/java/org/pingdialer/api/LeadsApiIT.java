package org.pingdialer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcReports;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;
import org.pingdialer.web.Dashboard;

/**
 * The leads, DNC, calls and campaigns resources of a running controller (no agent seated, so
 * nothing is dialed): a lead file imported over HTTP (all-or-nothing, then skipping bad rows),
 * searched page by page, one lead's history, DNC added and checked, and every bad input answered
 * 400 with the field named; nothing without the token.
 */
@LabStack
class LeadsApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "it-leads-0123456789abcdef";

  private record Answer(int status, JsonNode body) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  private Answer send(String method, String path, String token, String contentType, String body)
      throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (method.equals("POST")) {
      request.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    }
    var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(), response.body().isBlank() ? null : JSON.readTree(response.body()));
  }

  private Answer get(String path) throws Exception {
    return send("GET", path, TOKEN, null, null);
  }

  private Answer post(String path, String contentType, String body) throws Exception {
    return send("POST", path, TOKEN, contentType, body);
  }

  @Test
  void leadsAreImportedSearchedAndExplainedAndDncIsKeptOverHttp(AsteriskStack stack)
      throws Exception {
    var campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing:
              mode: progressive
            line_check: off
            """);
    try (Database database = LabRuns.database("h2-leads-api-");
        var run =
            CampaignRun.start(
                campaign,
                new CampaignRun.Settings(
                    stack.ari(),
                    Optional.of(stack.ami()),
                    database,
                    "it-leads-api",
                    ZoneId.of("Europe/Berlin"),
                    2),
                InstantSource.system(),
                Duration.ofSeconds(10));
        var dashboard = Dashboard.watch(run, InstantSource.system(), Persona.goats());
        var api =
            ApiServer.forRun(
                "127.0.0.1",
                0,
                Set.of(TOKEN),
                run,
                ApiServer.Extras.none()
                    .withDashboard(dashboard)
                    .withReports(
                        JdbcReports.catalog(database, List.of(campaign), Persona.goats())))) {
      base = "http://127.0.0.1:" + api.port() + "/api/v1";
      String csv = "telefon;name\n030 1234567;Müller\n0900 1234567;Premium\n030 7654321;Schmidt\n";

      assertThat(send("GET", "/leads", null, null, null).status()).isEqualTo(401);
      assertThat(send("POST", "/leads/import?list=bought", null, "text/csv", csv).status())
          .isEqualTo(401);

      // All-or-nothing: the premium-rate row rejects the whole file, with its line.
      Answer rejected = post("/leads/import?list=bought", "text/csv", csv);
      assertThat(rejected.status()).isEqualTo(422);
      assertThat(rejected.body().get("imported").asInt()).isZero();
      assertThat(rejected.body().get("premium").asInt()).isEqualTo(1);
      assertThat(rejected.body().at("/errors/0/line").asInt()).isEqualTo(3);
      assertThat(get("/leads?list=bought").body().get("leads")).isEmpty();

      Answer imported = post("/leads/import?list=bought&skipInvalid=true", "text/csv", csv);
      assertThat(imported.status()).isEqualTo(200);
      assertThat(imported.body().get("imported").asInt()).isEqualTo(2);
      assertThat(post("/leads/import", "text/csv", csv).body().get("field").asText())
          .isEqualTo("list");

      // Search, one page at a time.
      Answer first = get("/leads?list=bought&limit=1");
      assertThat(first.body().get("leads")).hasSize(1);
      assertThat(first.body().at("/leads/0/number").asText()).isEqualTo("+49301234567");
      String next = first.body().get("next").asText().replace("/api/v1", "");
      Answer second = get(next);
      assertThat(second.body().at("/leads/0/number").asText()).isEqualTo("+49307654321");
      assertThat(get("/leads?number=030%207654321").body().get("leads")).hasSize(1);
      assertThat(get("/leads?state=new&list=bought").body().get("leads")).hasSize(2);

      Answer badState = get("/leads?state=sleeping");
      assertThat(badState.status()).isEqualTo(400);
      assertThat(badState.body().get("field").asText()).isEqualTo("state");
      assertThat(badState.body().get("detail").asText()).contains("one of new, checking");
      assertThat(get("/leads?number=hello").body().get("field").asText()).isEqualTo("number");
      assertThat(get("/leads?limit=5000").body().get("field").asText()).isEqualTo("limit");

      // One lead's history.
      long id = first.body().at("/leads/0/id").asLong();
      Answer lead = get("/leads/" + id);
      assertThat(lead.status()).isEqualTo(200);
      assertThat(lead.body().get("state").asText()).isEqualTo("new");
      assertThat(lead.body().get("calls")).isEmpty();
      assertThat(get("/leads/99999").status()).isEqualTo(404);
      Answer why = get("/leads/" + id + "/why");
      assertThat(why.body().get("dialable").asBoolean()).as(why.body().toString()).isTrue();
      Answer nothing = get("/campaigns/" + campaign.name() + "/why");
      assertThat(nothing.body().get("dialable").asInt()).as(nothing.body().toString()).isEqualTo(2);
      assertThat(nothing.body().get("loop").toString()).contains("no agent is logged in");
      assertThat(get("/leads/abc").body().get("field").asText()).isEqualTo("id");

      // DNC: added in national format, checked in E.164; a bad number names its place.
      Answer added =
          post(
              "/dnc/global",
              "application/json",
              "{\"numbers\":[\"030 1234567\"],\"reason\":\"asked\"}");
      assertThat(added.status()).isEqualTo(201);
      assertThat(added.body().get("added").asInt()).isEqualTo(1);
      Answer bad =
          post("/dnc/global", "application/json", "{\"numbers\":[\"+49301111111\",\"x\"]}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body().get("field").asText()).isEqualTo("numbers[1]");
      assertThat(post("/dnc/global", "application/json", "{}").body().get("field").asText())
          .isEqualTo("numbers");
      assertThat(get("/dnc?number=%2B49301234567").body().get("onDnc").asBoolean()).isTrue();
      assertThat(get("/dnc?number=%2B49307654321").body().get("onDnc").asBoolean()).isFalse();
      // Now on the global DNC list: the lead says so.
      assertThat(get("/leads/" + id + "/why").body().get("reasons").toString()).contains("DNC");

      // Calls in flight and the campaign: nothing dialed without agents.
      assertThat(get("/calls").body().get("inFlight")).isEmpty();
      Answer campaigns = get("/campaigns");
      assertThat(campaigns.body().at("/0/name").asText()).isEqualTo(campaign.name());
      assertThat(campaigns.body().at("/0/state").asText()).isEqualTo("dialing");
      assertThat(campaigns.body().at("/0/placed").asInt()).isZero();
      Answer report = get("/campaigns/" + campaign.name() + "/report?format=json");
      assertThat(report.status()).isEqualTo(200);
      assertThat(report.body().toString()).contains(campaign.name());

      // Issue 17: a body without a final newline is a normal CSV; a bad one is named "request
      // body" (never the server's temporary file) and quoted as an excerpt; the size is limited.
      Answer noNewline = post("/leads/import?list=tail", "text/csv", "phone\n030 5555555");
      assertThat(noNewline.status()).as(String.valueOf(noNewline.body())).isEqualTo(200);
      assertThat(noNewline.body().get("imported").asInt()).isEqualTo(1);
      Answer huge = post("/leads/import?list=huge", "text/csv", "x".repeat(200_000));
      assertThat(huge.status()).isEqualTo(400);
      String detail = huge.body().get("detail").asText();
      assertThat(detail)
          .startsWith("request body line 1: no phone column")
          .doesNotContain("/tmp")
          .doesNotContain("pingdialer-import-")
          .hasSizeLessThan(400);
      String tooBig =
          "phone\n" + "030 5555555\n".repeat((int) (LeadRoutes.MAX_IMPORT_BYTES / 12) + 1);
      Answer declared = post("/leads/import?list=big", "text/csv", tooBig);
      assertThat(declared.status()).isEqualTo(413);
      assertThat(declared.body().get("detail").asText()).contains("pingdialer leads import");
      byte[] bytes = tooBig.getBytes(StandardCharsets.UTF_8);
      var streamed =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/leads/import?list=big"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Content-Type", "text/csv")
                  // No length declared: the body is sent chunked and counted while copied.
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(bytes)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(streamed.statusCode()).isEqualTo(413);
      assertThat(get("/leads?list=big").body().get("leads")).isEmpty();
    }
  }
}
