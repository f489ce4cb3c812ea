package org.pingdialer.call.ari;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@link AriClient} over OkHttp. One instance per Asterisk; it shares its connection pool with the
 * {@link AriEventStream} built from {@link #httpClient()}.
 */
public final class OkHttpAriClient implements AriClient {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final RequestBody EMPTY = RequestBody.create(new byte[0], null);

  private final AriEndpoint endpoint;
  private final HttpUrl base;
  private final OkHttpClient http;
  private final String authorization;

  public OkHttpAriClient(AriEndpoint endpoint) {
    this(endpoint, defaultHttpClient());
  }

  OkHttpAriClient(AriEndpoint endpoint, OkHttpClient http) {
    this.endpoint = endpoint;
    this.base = HttpUrl.get(endpoint.baseUrl().toString());
    this.http = http;
    this.authorization = Credentials.basic(endpoint.user(), endpoint.password());
  }

  /**
   * The HTTP client tuned for Asterisk: a bounded pool (Asterisk's http {@code sessionlimit}
   * defaults to 100) whose idle connections are dropped before Asterisk's 15 s keep-alive closes
   * them, and a WebSocket ping so a half-open events socket is noticed (Asterisk never pings).
   */
  static OkHttpClient defaultHttpClient() {
    // Daemon threads: OkHttp's own dispatcher threads are not, and idle ones live 60 s, which kept
    // a finished command's JVM alive that long.
    var threads = new AtomicInteger();
    var executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            task -> {
              Thread thread = new Thread(task, "ari-http-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    var dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequests(64);
    dispatcher.setMaxRequestsPerHost(32);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(32, 10, TimeUnit.SECONDS))
        .connectTimeout(Duration.ofSeconds(3))
        .readTimeout(Duration.ofSeconds(10))
        .writeTimeout(Duration.ofSeconds(10))
        .pingInterval(Duration.ofSeconds(5))
        .build();
  }

  public AriEndpoint endpoint() {
    return endpoint;
  }

  OkHttpClient httpClient() {
    return http;
  }

  String authorization() {
    return authorization;
  }

  @Override
  public String application() {
    return endpoint.application();
  }

  @Override
  public void createChannel(ChannelSpec spec) {
    var url =
        url("channels", "create")
            .addQueryParameter("endpoint", spec.endpoint())
            .addQueryParameter("app", endpoint.application())
            .addQueryParameter("channelId", spec.channelId());
    if (!spec.appArgs().isEmpty()) {
      url.addQueryParameter("appArgs", String.join(",", spec.appArgs()));
    }
    if (spec.formats() != null && !spec.formats().isBlank()) {
      url.addQueryParameter("formats", spec.formats());
    }
    RequestBody body =
        spec.variables().isEmpty() ? EMPTY : json(Map.of("variables", spec.variables()));
    call("POST", url.build(), body, Void.class);
  }

  @Override
  public void dial(String channelId, Duration ringTimeout) {
    var url = url("channels", channelId, "dial");
    if (!ringTimeout.isZero()) {
      // ARI takes whole seconds; round up so a 500 ms timeout does not become "ring forever".
      long seconds = Math.max(1, (ringTimeout.toMillis() + 999) / 1000);
      url.addQueryParameter("timeout", Long.toString(seconds));
    }
    call("POST", url.build(), EMPTY, Void.class);
  }

  @Override
  public void hangup(String channelId, String reason) {
    call(
        "DELETE",
        url("channels", channelId).addQueryParameter("reason", reason).build(),
        null,
        Void.class);
  }

  @Override
  public void answer(String channelId) {
    call("POST", url("channels", channelId, "answer").build(), EMPTY, Void.class);
  }

  @Override
  public void continueInDialplan(String channelId, String context, String extension, int priority) {
    call(
        "POST",
        url("channels", channelId, "continue")
            .addQueryParameter("context", context)
            .addQueryParameter("extension", extension)
            .addQueryParameter("priority", Integer.toString(priority))
            .build(),
        EMPTY,
        Void.class);
  }

  @Override
  public Optional<AriChannel> channel(String channelId) {
    return orEmptyWhenGone(
        () -> call("GET", url("channels", channelId).build(), null, AriChannel.class));
  }

  @Override
  public List<AriChannel> channels() {
    return callList(url("channels").build(), AriChannel.class);
  }

  @Override
  public Optional<String> variable(String channelId, String name) {
    // ARI answers 404 both for an unknown channel and an unset variable; tell them apart by the
    // message so a vanished channel is not mistaken for an empty variable.
    try {
      JsonNode node =
          call(
              "GET",
              url("channels", channelId, "variable").addQueryParameter("variable", name).build(),
              null,
              JsonNode.class);
      return Optional.ofNullable(node.path("value").asText(null));
    } catch (AriException e) {
      if (e.kind() == AriException.Kind.GONE && !e.ariMessage().contains("Channel not found")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void setVariable(String channelId, String name, String value) {
    call(
        "POST",
        url("channels", channelId, "variable")
            .addQueryParameter("variable", name)
            .addQueryParameter("value", value)
            .build(),
        EMPTY,
        Void.class);
  }

  @Override
  public AriPlayback playOnChannel(String channelId, String playbackId, List<String> media) {
    return call(
        "POST",
        withMedia(url("channels", channelId, "play", playbackId), media).build(),
        EMPTY,
        AriPlayback.class);
  }

  @Override
  public void startMoh(String channelId, String mohClass) {
    call(
        "POST",
        url("channels", channelId, "moh").addQueryParameter("mohClass", mohClass).build(),
        EMPTY,
        Void.class);
  }

  @Override
  public void stopMoh(String channelId) {
    call("DELETE", url("channels", channelId, "moh").build(), null, Void.class);
  }

  @Override
  public void record(String channelId, String name, Duration maxLength) {
    call(
        "POST",
        url("channels", channelId, "record")
            .addQueryParameter("name", name)
            .addQueryParameter("format", "wav")
            .addQueryParameter("maxDurationSeconds", Long.toString(maxLength.toSeconds()))
            .addQueryParameter("ifExists", "overwrite")
            .addQueryParameter("terminateOn", "#")
            .build(),
        EMPTY,
        Void.class);
  }

  @Override
  public AriBridge createBridge(String bridgeId, String type, String name) {
    return call(
        "POST",
        url("bridges", bridgeId)
            .addQueryParameter("type", type)
            .addQueryParameter("name", name)
            .build(),
        EMPTY,
        AriBridge.class);
  }

  @Override
  public void addToBridge(String bridgeId, String channelId) {
    call(
        "POST",
        url("bridges", bridgeId, "addChannel")
            .addQueryParameter("channel", channelId)
            .addQueryParameter("inhibitConnectedLineUpdates", "true")
            .build(),
        EMPTY,
        Void.class);
  }

  @Override
  public void removeFromBridge(String bridgeId, String channelId) {
    call(
        "POST",
        url("bridges", bridgeId, "removeChannel").addQueryParameter("channel", channelId).build(),
        EMPTY,
        Void.class);
  }

  @Override
  public void destroyBridge(String bridgeId) {
    call("DELETE", url("bridges", bridgeId).build(), null, Void.class);
  }

  @Override
  public Optional<AriBridge> bridge(String bridgeId) {
    return orEmptyWhenGone(
        () -> call("GET", url("bridges", bridgeId).build(), null, AriBridge.class));
  }

  @Override
  public Optional<AriPlayback> playback(String playbackId) {
    return orEmptyWhenGone(
        () -> call("GET", url("playbacks", playbackId).build(), null, AriPlayback.class));
  }

  @Override
  public List<AriBridge> bridges() {
    return callList(url("bridges").build(), AriBridge.class);
  }

  @Override
  public AriPlayback playOnBridge(String bridgeId, String playbackId, List<String> media) {
    return call(
        "POST",
        withMedia(url("bridges", bridgeId, "play", playbackId), media).build(),
        EMPTY,
        AriPlayback.class);
  }

  @Override
  public void stopPlayback(String playbackId) {
    try {
      call("DELETE", url("playbacks", playbackId).build(), null, Void.class);
    } catch (AriException e) {
      if (e.kind() != AriException.Kind.GONE) {
        throw e;
      }
    }
  }

  @Override
  public void allowOnlyEvents(Set<String> eventTypes) {
    List<Map<String, String>> allowed = new ArrayList<>();
    for (String type : new TreeSet<>(eventTypes)) {
      allowed.add(Map.of("type", type));
    }
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("allowed", allowed);
    filter.put("disallowed", List.of());
    call(
        "PUT",
        url("applications", endpoint.application(), "eventFilter").build(),
        json(filter),
        Void.class);
  }

  @Override
  public void subscribe(String eventSource) {
    call(
        "POST",
        url("applications", endpoint.application(), "subscription")
            .addQueryParameter("eventSource", eventSource)
            .build(),
        EMPTY,
        Void.class);
  }

  @Override
  public ApplicationState applicationState() {
    return call(
        "GET", url("applications", endpoint.application()).build(), null, ApplicationState.class);
  }

  @Override
  public AsteriskInfo asteriskInfo() {
    return call("GET", url("asterisk", "info").build(), null, AsteriskInfo.class);
  }

  @Override
  public Optional<String> endpointState(String technology, String resource) {
    return orEmptyWhenGone(
            () -> call("GET", url("endpoints", technology, resource).build(), null, JsonNode.class))
        .map(node -> node.path("state").asText("unknown"));
  }

  @Override
  public Set<String> documentedEventTypes() {
    JsonNode doc = call("GET", url("api-docs", "events.json").build(), null, JsonNode.class);
    Set<String> types = new TreeSet<>();
    Iterator<String> names = doc.path("models").fieldNames();
    names.forEachRemaining(types::add);
    return types;
  }

  // --- plumbing -------------------------------------------------------------------------------

  private HttpUrl.Builder url(String... segments) {
    var builder = base.newBuilder();
    for (String segment : segments) {
      builder.addPathSegment(segment);
    }
    return builder;
  }

  private static HttpUrl.Builder withMedia(HttpUrl.Builder url, List<String> media) {
    if (media.isEmpty()) {
      throw new IllegalArgumentException("play needs at least one media URI");
    }
    for (String uri : media) {
      url.addQueryParameter("media", uri);
    }
    return url;
  }

  private static RequestBody json(Object value) {
    try {
      return RequestBody.create(AriJson.mapper().writeValueAsBytes(value), JSON);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode request body " + value, e);
    }
  }

  private <T> List<T> callList(HttpUrl url, Class<T> element) {
    JavaType type = AriJson.mapper().getTypeFactory().constructCollectionType(List.class, element);
    List<T> list = AriJson.mapper().convertValue(call("GET", url, null, JsonNode.class), type);
    return list == null ? List.of() : list;
  }

  private <T> T call(String method, HttpUrl url, RequestBody body, Class<T> type) {
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", authorization)
            .method(method, body)
            .build();
    String described = method + " " + url.encodedPath();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw new AriException(response.code(), described, ariMessage(text));
      }
      if (type == Void.class || text.isEmpty()) {
        return null;
      }
      try {
        return AriJson.mapper().readValue(text, type);
      } catch (JsonProcessingException e) {
        throw new AriDecodingException(
            described + " returned a body that is not " + type + ": " + e.getOriginalMessage(), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(described + " to " + base.host() + ":" + base.port(), e);
    }
  }

  private static String ariMessage(String body) {
    try {
      JsonNode node = AriJson.mapper().readTree(body);
      if (node != null && node.hasNonNull("message")) {
        return node.get("message").asText();
      }
    } catch (JsonProcessingException notJson) {
      // Asterisk's http server answers some errors (401, 404 on an unknown path) in plain text.
    }
    return body.isBlank() ? "(no message)" : body.strip();
  }

  private static <T> Optional<T> orEmptyWhenGone(Supplier<T> call) {
    try {
      return Optional.ofNullable(call.get());
    } catch (AriException e) {
      if (e.kind() == AriException.Kind.GONE) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
