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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.testing.NoDialer;

/**
 * Issue 17, property-based: whatever JSON (or not-JSON) body reaches an agent endpoint of the API,
 * for a logged-in agent or an unknown one, the answer is a success or a 4xx problem with a detail,
 * never a 500. jqwik prints the seed and the shrunk body of a failure.
 */
class ApiBodiesPropertiesTest {
  private static final String TOKEN = "props-token-0123456789abcdef";
  private static final List<String> KEYS =
      List.of(
          "code", "disposition", "callbackAt", "at", "reason", "note", "agent", "", "__proto__");

  private static AgentDesk desk;
  private static ApiServer api;

  @BeforeContainer
  static void start() {
    var ari = new FakeAriClient();
    desk =
        new AgentDesk(
            ari,
            new NoDialer(),
            InstantSource.system(),
            ZoneId.of("Europe/Berlin"),
            Duration.ofSeconds(5));
    api =
        ApiServer.start(
            "127.0.0.1",
            0,
            Set.of(TOKEN),
            desk,
            List.of("break", "lunch"),
            ApiServer.Extras.none());
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
            () -> {
              AgentState state = desk.states().get().get("agent1");
              return state != null && state.status() != AgentState.Status.LOGGED_OUT;
            });
  }

  @AfterContainer
  static void stop() {
    api.close();
    desk.close();
  }

  @Property(tries = 300)
  void anyBodyOnAnAgentEndpointIsAnsweredWithoutAServerError(
      @ForAll("paths") String path, @ForAll("bodies") String body, @ForAll boolean knownAgent)
      throws Exception {
    String agent = knownAgent ? "agent1" : "nobody";
    var request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + api.port() + "/api/v1/agents/" + agent + "/" + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10))
            .build();
    // A connection of its own per request: Jetty may close a kept-alive connection after a
    // refusal it sent before reading the whole body, and the JDK client does not retry a POST on
    // one closed under it ("header parser received no bytes"). This is about the answers.
    HttpResponse<String> response;
    try (var http = HttpClient.newHttpClient()) {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    }
    String what = "POST " + agent + "/" + path + " " + body;
    assertThat(response.statusCode()).as(what).isLessThan(500);
    if (response.statusCode() >= 400) {
      assertThat(response.headers().firstValue("Content-Type"))
          .as(what)
          .hasValueSatisfying(type -> assertThat(type).startsWith(Problem.CONTENT_TYPE));
      assertThat(response.body()).as(what).contains("\"detail\"");
    }
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(
        "pause",
        "resume",
        "logout",
        "end-call",
        "ready",
        "preview/dial",
        "preview/skip",
        "disposition");
  }

  /** Mostly JSON objects of known and unknown keys with values of any type; sometimes junk. */
  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just("")),
        Tuple.of(1, junk()),
        Tuple.of(1, Arbitraries.integers().between(1, 300).map("{"::repeat)), // unbalanced, deep
        Tuple.of(1, value(1).map(v -> "[" + v + "]")),
        Tuple.of(6, object(0)));
  }

  private static Arbitrary<String> object(int depth) {
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS), junk());
    Arbitrary<String> field =
        Combinators.combine(key, value(depth + 1)).as((k, v) -> quoted(k) + ":" + v);
    return field.list().ofMaxSize(4).map(fields -> "{" + String.join(",", fields) + "}");
  }

  private static Arbitrary<String> value(int depth) {
    List<Arbitrary<String>> choices = new ArrayList<>();
    choices.add(Arbitraries.just("null"));
    choices.add(Arbitraries.of("true", "false"));
    choices.add(Arbitraries.longs().map(String::valueOf));
    choices.add(Arbitraries.doubles().map(String::valueOf));
    choices.add(
        Arbitraries.of("sale", "refused", "callback", "dnc", "break", "2026-12-06T10:00:00Z")
            .map(ApiBodiesPropertiesTest::quoted));
    choices.add(junk().map(ApiBodiesPropertiesTest::quoted));
    if (depth < 4) {
      choices.add(Arbitraries.lazy(() -> object(depth)));
      choices.add(
          Arbitraries.lazy(() -> value(depth + 1))
              .list()
              .ofMaxSize(3)
              .map(items -> "[" + String.join(",", items) + "]"));
    }
    return Arbitraries.oneOf(choices);
  }

  private static Arbitrary<String> junk() {
    return Arbitraries.strings().withCharRange('\u0001', '\u02ff').ofMaxLength(40);
  }

  private static String quoted(String text) {
    return "\""
        + text.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ")
        + "\"";
  }
}
