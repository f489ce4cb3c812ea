package org.pingdialer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.pingdialer.call.ari.AriEndpoint;

/**
 * The yardstick: the least code that does the engine's work over ARI. No state machine, no store,
 * no per-call ordering: one event handler that dials on StasisStart, bridges to a free agent on
 * answer, hangs up once bridged and places the next call when one is destroyed. Its own app name,
 * agents and bridges, so it never shares anything with the engine it is compared with.
 */
final class RawAriDialer implements AutoCloseable {
  private static final DateTimeFormatter ASTERISK_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AriEndpoint ari;
  private final OkHttpClient http;
  private final String auth;
  private final ExecutorService rest = Executors.newFixedThreadPool(16);
  private final Object lock = new Object();
  private final Deque<String> freeBridges = new ArrayDeque<>();
  private final Map<String, String> bridgeOfCall = new HashMap<>();
  private final Map<String, Instant> answeredAt = new HashMap<>();
  private final List<Duration> latencies = new ArrayList<>();
  private final Set<String> live = new HashSet<>();
  private final Set<String> destroyedBeforeCreated = new HashSet<>();
  private final Set<String> givenUp = new HashSet<>();
  private final AtomicInteger placed = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private WebSocket socket;
  private CountDownLatch done;
  private int target;
  private String customerNumber;
  private String trunk;

  RawAriDialer(AriEndpoint ari) {
    this.ari = ari;
    this.http =
        new OkHttpClient.Builder()
            .connectionPool(new okhttp3.ConnectionPool(32, 10, TimeUnit.SECONDS))
            .build();
    http.dispatcher().setMaxRequestsPerHost(32);
    this.auth = Credentials.basic(ari.user(), ari.password());
  }

  void connect() throws InterruptedException {
    var open = new CountDownLatch(1);
    socket =
        http.newWebSocket(
            new Request.Builder()
                .url(
                    ari.baseUrl().toString().replace("http", "ws")
                        + "/events?app="
                        + ari.application())
                .header("Authorization", auth)
                .build(),
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                open.countDown();
              }

              @Override
              public void onMessage(WebSocket webSocket, String text) {
                handle(text);
              }
            });
    if (!open.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("raw client could not open its events socket");
    }
  }

  /** Gives the dialer agents: bridge ids whose agent channel waits inside. */
  void addAgentBridge(String bridgeId) {
    synchronized (lock) {
      freeBridges.add(bridgeId);
    }
  }

  /** Runs {@code calls} calls with {@code inFlight} at a time; returns answer→bridge latencies. */
  Run run(int calls, int inFlight, String number, String trunk) throws InterruptedException {
    synchronized (lock) {
      latencies.clear();
      target = calls;
      this.customerNumber = number;
      this.trunk = trunk;
    }
    placed.set(0);
    done = new CountDownLatch(calls);
    Instant start = Instant.now();
    for (int i = 0; i < inFlight; i++) {
      placeNext();
    }
    long left = done.getCount();
    while (!done.await(20, TimeUnit.SECONDS)) {
      if (done.getCount() < left) {
        left = done.getCount();
        continue;
      }
      // No call ended in 20 s: a call of this client is stuck (a lost event or request). Say
      // which and what Asterisk shows, end it and count it failed, so one call does not void a
      // whole run.
      List<String> stuck;
      synchronized (lock) {
        stuck = List.copyOf(live);
      }
      for (String channel : stuck) {
        System.err.println(
            "raw client: call " + channel + " stuck; ARI shows " + get("/channels/" + channel));
        failed.incrementAndGet();
        delete("/channels/" + channel);
      }
      if (stuck.isEmpty()) {
        throw new IllegalStateException("raw run did not finish: " + done.getCount() + " left");
      }
    }
    Duration elapsed = Duration.between(start, Instant.now());
    synchronized (lock) {
      return new Run(List.copyOf(latencies), elapsed);
    }
  }

  record Run(List<Duration> latencies, Duration elapsed) {}

  private void placeNext() {
    if (placed.incrementAndGet() > target) {
      return;
    }
    String id = String.format("raw-%09d", sequence.incrementAndGet());
    rest.execute(
        () -> {
          int status =
              post(
                  "/channels/create?endpoint=PJSIP/"
                      + customerNumber
                      + "@"
                      + trunk
                      + "&app="
                      + ari.application()
                      + "&channelId="
                      + id
                      + "&formats=ulaw");
          if (status == 200) {
            synchronized (lock) {
              // Its ChannelDestroyed may have come before this answer.
              if (!destroyedBeforeCreated.remove(id)) {
                live.add(id);
              }
            }
          } else {
            // No channel, so no ChannelDestroyed will count this call: count it as failed here.
            failed.incrementAndGet();
            done.countDown();
            placeNext();
          }
        });
  }

  private void handle(String text) {
    JsonNode event;
    try {
      event = JSON.readTree(text);
    } catch (IOException e) {
      return;
    }
    String type = event.path("type").asText();
    String channel =
        event.path("channel").path("id").asText(event.path("peer").path("id").asText());
    if (!channel.startsWith("raw-")) {
      return;
    }
    switch (type) {
      case "StasisStart" ->
          rest.execute(
              () -> {
                if (post("/channels/" + channel + "/dial?timeout=30") != 204) {
                  // Not dialed: the channel would wait in Stasis for ever and hold its slot.
                  failed.incrementAndGet();
                  delete("/channels/" + channel);
                }
              });
      case "Dial" -> {
        if (event.path("dialstatus").asText().equals("ANSWER")) {
          String bridge;
          synchronized (lock) {
            answeredAt.put(channel, time(event));
            bridge = freeBridges.poll();
            if (bridge != null) {
              bridgeOfCall.put(channel, bridge);
            }
          }
          if (bridge == null) {
            rest.execute(() -> delete("/channels/" + channel));
          } else {
            rest.execute(
                () -> {
                  int status =
                      post(
                          "/bridges/"
                              + bridge
                              + "/addChannel?channel="
                              + channel
                              + "&inhibitConnectedLineUpdates=true");
                  if (status != 204) {
                    // Not bridged: end the call, or it would hold its slot for the persona's hour.
                    failed.incrementAndGet();
                    delete("/channels/" + channel);
                  }
                });
          }
        }
      }
      case "ChannelEnteredBridge" -> {
        synchronized (lock) {
          Instant answer = answeredAt.remove(channel);
          if (answer != null) {
            latencies.add(Duration.between(answer, time(event)));
          }
        }
        rest.execute(() -> delete("/channels/" + channel));
      }
      case "ChannelDestroyed" -> {
        synchronized (lock) {
          if (givenUp.remove(channel)) {
            return; // counted when it was given up
          }
          if (!live.remove(channel)) {
            destroyedBeforeCreated.add(channel);
          }
          String bridge = bridgeOfCall.remove(channel);
          if (bridge != null) {
            freeBridges.add(bridge);
          }
          answeredAt.remove(channel);
        }
        done.countDown();
        placeNext();
      }
      default -> {}
    }
  }

  private static Instant time(JsonNode event) {
    return OffsetDateTime.parse(event.path("timestamp").asText(), ASTERISK_TIME).toInstant();
  }

  private String get(String path) {
    try (Response response =
        http.newCall(
                new Request.Builder()
                    .url(ari.baseUrl() + path)
                    .header("Authorization", auth)
                    .build())
            .execute()) {
      return response.code() + " " + (response.body() == null ? "" : response.body().string());
    } catch (IOException e) {
      return e.toString();
    }
  }

  private int post(String path) {
    return call(
        new Request.Builder().url(ari.baseUrl() + path).post(RequestBody.create(new byte[0])));
  }

  private void delete(String path) {
    call(new Request.Builder().url(ari.baseUrl() + path).delete());
  }

  /** The HTTP status, or 0 when the request failed on the way. */
  private int call(Request.Builder request) {
    try (Response response =
        http.newCall(request.header("Authorization", auth).build()).execute()) {
      response.body().string();
      return response.code();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Calls that could not be created or bridged, over all runs. */
  int failedCalls() {
    return failed.get();
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.close(1000, null);
    }
    rest.shutdownNow();
  }
}
