package org.pingdialer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.FakeAriClient;

/**
 * Issue 17, randomized: whatever JSON (or not-JSON) body reaches the agents' endpoints, the answer
 * is a success or a 4xx problem with a detail, never a 500. Seeded: a failure names its seed and
 * body so it can be replayed.
 */
class ApiBodiesFuzzTest {
  private static final String TOKEN = "fuzz-token-0123456789abcdef";
  private static final long SEED = 17;
  private static final int REQUESTS = 400;
  private static final List<String> PATHS =
      List.of(
          "pause",
          "resume",
          "logout",
          "end-call",
          "ready",
          "preview/dial",
          "preview/skip",
          "disposition");
  private static final List<String> KEYS =
      List.of(
          "code", "disposition", "callbackAt", "at", "reason", "note", "agent", "", "__proto__");

  @Test
  void anyBodyOnTheAgentEndpointsIsAnsweredWithoutAServerError() throws Exception {
    var ari = new FakeAriClient();
    var desk =
        new AgentDesk(
            ari,
            new AgentDesk.Dialer() {
              @Override
              public void addAgent(AgentSeat seat) {}

              @Override
              public void holdAgent(String agentId) {}

              @Override
              public void releaseAgent(String agentId) {}
            },
            InstantSource.system(),
            ZoneId.of("Europe/Berlin"),
            Duration.ofSeconds(5));
    try (var api =
        ApiServer.start(
            "127.0.0.1",
            0,
            Set.of(TOKEN),
            desk,
            List.of("break", "lunch"),
            ApiServer.Extras.none())) {
      ari.createChannel(AriClient.ChannelSpec.of("PJSIP/agent1", "phone-1"));
      Instant now = Instant.now();
      desk.onEvent(
          new AriEvent.StasisStart(
              now,
              "pingdialer",
              List.of(AgentDesk.LOGIN, "agent1"),
              new AriChannel(
                  "phone-1", "PJSIP/agent1-1", ChannelState.UP, null, null, null, now, null),
              null));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  desk.states().get().getOrDefault("agent1", null) != null
                      && desk.states().get().get("agent1").status()
                          != AgentState.Status.LOGGED_OUT);
      var random = new Random(SEED);
      for (int i = 0; i < REQUESTS; i++) {
        String agent = random.nextInt(5) == 0 ? "nobody" : "agent1";
        String path = PATHS.get(random.nextInt(PATHS.size()));
        String body = body(random, 0);
        // A connection of its own per request: Jetty may close a kept-alive connection after a
        // refusal it sent before reading the whole body, and the JDK client does not retry a POST
        // on one closed under it (seen once in 8 runs as "header parser received no bytes"). This
        // test is about the answers, not about connection reuse.
        var response =
            send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + api.port()
                                + "/api/v1/agents/"
                                + agent
                                + "/"
                                + path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        String what = "seed " + SEED + " request " + i + ": POST " + path + " " + body;
        assertThat(response.statusCode()).as(what).isLessThan(500);
        if (response.statusCode() >= 400) {
          assertThat(response.headers().firstValue("Content-Type"))
              .as(what)
              .hasValueSatisfying(type -> assertThat(type).startsWith(Problem.CONTENT_TYPE));
          assertThat(response.body()).as(what).contains("\"detail\"");
        }
      }
    } finally {
      desk.close();
    }
  }

  /** A body: usually a JSON object of known and unknown keys with values of any type, or junk. */
  private static String body(Random random, int depth) {
    return switch (random.nextInt(10)) {
      case 0 -> "";
      case 1 -> junk(random);
      case 2 -> "[" + value(random, depth + 1) + "]";
      case 3 -> "{".repeat(1 + random.nextInt(300)); // unbalanced and deep
      default -> object(random, depth);
    };
  }

  private static String object(Random random, int depth) {
    StringBuilder json = new StringBuilder("{");
    int fields = random.nextInt(4);
    for (int f = 0; f < fields; f++) {
      if (f > 0) {
        json.append(',');
      }
      json.append(quoted(KEYS.get(random.nextInt(KEYS.size())))).append(':');
      json.append(value(random, depth + 1));
    }
    return json.append('}').toString();
  }

  private static String value(Random random, int depth) {
    return switch (random.nextInt(depth > 3 ? 6 : 8)) {
      case 0 -> "null";
      case 1 -> String.valueOf(random.nextBoolean());
      case 2 -> String.valueOf(random.nextLong());
      case 3 -> String.valueOf(random.nextDouble() * 1e308);
      case 4 ->
          quoted(
              List.of("sale", "refused", "callback", "dnc", "break", "x").get(random.nextInt(6)));
      case 5 -> quoted(junk(random));
      case 6 -> object(random, depth);
      default -> "[" + value(random, depth + 1) + "," + value(random, depth + 1) + "]";
    };
  }

  private static String junk(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      text.append((char) (random.nextInt(0x2FF) + 1));
    }
    return text.toString();
  }

  private static String quoted(String text) {
    return "\""
        + text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ")
        + "\"";
  }

  private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws Exception {
    try (var fresh = HttpClient.newHttpClient()) {
      return fresh.send(request, handler);
    }
  }
}
