package org.pingdialer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.api.ApiServer;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.testing.RecordingDialer;

/**
 * {@code pingdialer agents …} against a real API server whose desk runs on the in-memory ARI: the
 * command finds the API through the file a running demo writes, and passes problems on.
 */
class AgentsCommandTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
  private static final String TOKEN = "cli-token-0123456789abcdef";

  @TempDir Path state;

  private final FakeAriClient ari = new FakeAriClient();
  private final RecordingDialer dialer = new RecordingDialer();
  private AgentDesk desk;
  private ApiServer api;

  @BeforeEach
  void start() {
    System.setProperty("pingdialer.stateDir", state.toString());
    desk =
        new AgentDesk(
            ari, dialer, InstantSource.system(), ZoneId.of("Europe/Berlin"), Duration.ofSeconds(5));
    dialer.watch(desk);
    api =
        ApiServer.start(
            "127.0.0.1",
            0,
            Set.of(TOKEN),
            desk,
            List.of("break", "lunch"),
            ApiServer.Extras.none());
    ApiAccess.save(new ApiAccess("http://127.0.0.1:" + api.port(), TOKEN));
    ari.createChannel(AriClient.ChannelSpec.of("PJSIP/agent1", "phone-1"));
    desk.onEvent(
        new AriEvent.StasisStart(
            T,
            "pingdialer",
            List.of(AgentDesk.LOGIN, "agent1"),
            new AriChannel("phone-1", "PJSIP/agent1-1", ChannelState.UP, null, null, null, T, null),
            null));
  }

  @AfterEach
  void stop() {
    api.close();
    desk.close();
    System.clearProperty("pingdialer.stateDir");
  }

  private CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void agentsAreListedPausedAndFiledThroughTheRunningControllersApi() {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> run("agents", "list").out().contains("ready"));
    assertThat(run("agents", "list").out()).startsWith("agent1     ready");

    CliRun paused = run("agents", "pause", "agent1", "--reason", "lunch", "--json");
    assertThat(paused.exit()).as(paused.err()).isZero();
    assertThat(paused.out()).contains("\"state\" : \"paused\"", "\"pause\" : \"lunch\"");
    assertThat(run("agents", "resume", "agent1").out()).contains("\"state\" : \"ready\"");

    CliRun filed = run("agents", "file", "agent1", "sale");
    assertThat(filed.exit()).as(filed.err()).isZero();
    assertThat(dialer.told().stream().filter(line -> line.startsWith("keyed ")))
        .containsExactly("keyed agent1 File[disposition=Sale[]]");

    CliRun refused = run("agents", "file", "agent1", "callback", "--at", "tomorrow");
    assertThat(refused.exit()).isEqualTo(4);
    assertThat(refused.err()).contains("ISO-8601 instant such as 2026-11-29T10:00:00Z");
    CliRun unknown = run("agents", "end-call", "agent7");
    assertThat(unknown.exit()).isEqualTo(4);
    assertThat(unknown.err()).contains("agent agent7 is not logged in");
    CliRun noPreview = run("agents", "skip", "agent7");
    assertThat(noPreview.exit()).isEqualTo(4);
    assertThat(noPreview.err()).contains("agent agent7 is not logged in");
  }

  @Test
  void theApiDescribesEveryRouteItServes() throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + "/api/v1/openapi.json"))
            .header("Authorization", "Bearer " + TOKEN)
            .build();
    try (var client = HttpClient.newHttpClient()) {
      var response = client.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      var spec = new ObjectMapper().readTree(response.body());
      assertThat(spec.get("openapi").asText()).startsWith("3.1");
      var paths = new ArrayList<String>();
      spec.get("paths").fieldNames().forEachRemaining(paths::add);
      assertThat(paths)
          .containsExactlyInAnyOrder(
              "/agents",
              "/agents/{id}/pause",
              "/agents/{id}/preview/dial",
              "/calls",
              "/queues",
              "/agents/report",
              "/leads",
              "/leads/import",
              "/leads/{id}",
              "/leads/{id}/why",
              "/campaigns/{name}/why",
              "/campaigns/{name}/definition",
              "/dnc/{list}",
              "/dnc",
              "/campaigns",
              "/campaigns/{name}",
              "/campaigns/{name}/start",
              "/campaigns/{name}/pause",
              "/campaigns/{name}/resume",
              "/campaigns/{name}/stop",
              "/agents/{id}/preview/skip",
              "/agents/{id}/resume",
              "/agents/{id}/logout",
              "/agents/{id}/end-call",
              "/agents/{id}/ready",
              "/agents/{id}/disposition",
              "/campaigns/{name}/report",
              "/openapi.json");
    }
  }

  @Test
  void withoutARunningControllerItSaysWhatToDo() {
    ApiAccess.delete();
    CliRun lost = run("agents", "list");
    assertThat(lost.exit()).isEqualTo(1);
    assertThat(lost.err()).contains("no running controller known", "start ./pingdialer demo");

    ApiAccess.save(new ApiAccess("http://127.0.0.1:" + api.port(), "not-the-token-0123456789"));
    CliRun wrong = run("agents", "list");
    assertThat(wrong.exit()).isEqualTo(4);
    assertThat(wrong.err()).contains("Authorization: Bearer");
  }
}
