package org.pingdialer.call.ari;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.pingdialer.concurrent.Loops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ARI events WebSocket for one app: connects, decodes, hands events on in order, and reconnects
 * forever with capped backoff.
 *
 * <p>Threads: OkHttp's reader thread decodes each frame and calls {@link Listener#onEvent} at once
 * (no queue in between, so order is Asterisk's order). Reconnects and the event-filter REST call
 * run on one named scheduler thread ({@code ari-events-<app>}). Fields marked "scheduler" are
 * touched only there.
 *
 * <p>A gap is never silent: after a drop the listener gets {@link Listener#onDisconnected}, and the
 * next {@link Listener#onConnected} carries how long the socket was down. Asterisk does not replay
 * what it sent meanwhile, so the owner must resync over REST (list channels and bridges) before it
 * dials again.
 */
public final class AriEventStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AriEventStream.class);

  /** How long {@link #close} waits for Asterisk to let the app go. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private static final Duration APP_GONE_POLL = Duration.ofMillis(10);

  /**
   * Receives what the stream sees. All methods are called one at a time: {@code onConnected} and
   * {@code onEvent} on OkHttp's reader thread of the current socket, {@code onDisconnected} on the
   * reader thread or the scheduler. None may block: enqueue and return.
   */
  public interface Listener {
    /** The socket is open and the app is registered; called before any event of this connection. */
    void onConnected(Connection connection);

    /** One decoded event, in the order Asterisk sent it. */
    void onEvent(AriEvent event);

    /** The socket is gone (called once per connection); events are lost until the next connect. */
    void onDisconnected(String reason);

    /**
     * One socket for several listeners (one app has one socket): each gets every call, in the order
     * given, on the reader thread, so each must hand work over to its own thread at once.
     */
    static Listener all(List<Listener> listeners) {
      List<Listener> copy = List.copyOf(listeners);
      return new Listener() {
        @Override
        public void onConnected(Connection connection) {
          copy.forEach(listener -> listener.onConnected(connection));
        }

        @Override
        public void onEvent(AriEvent event) {
          copy.forEach(listener -> listener.onEvent(event));
        }

        @Override
        public void onDisconnected(String reason) {
          copy.forEach(listener -> listener.onDisconnected(reason));
        }
      };
    }
  }

  /**
   * One successful connection.
   *
   * @param number 1 for the first connection, then counting up with each reconnect
   * @param gap how long no socket was open before this one; empty for the first connection
   */
  public record Connection(int number, Optional<Duration> gap) {
    public boolean isReconnect() {
      return number > 1;
    }
  }

  private final OkHttpAriClient client;
  private final boolean subscribeAll;
  private final Listener listener;
  private final Set<String> allowedEvents;

  /** Event sources ({@code bridge:x}, {@code endpoint:PJSIP/y}) to subscribe on every connect. */
  private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();

  private final InstantSource clock;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;

  /** Sees every raw frame before decoding; tests use it to record frames from real Asterisk. */
  private volatile Consumer<String> frameTap = frame -> {};

  // Guarded by this: the socket of the current attempt, its generation, and lifecycle flags.
  private WebSocket socket;

  /** Completes when the first socket opened (see {@link #firstConnection}). */
  private final CompletableFuture<Void> firstOpen = new CompletableFuture<>();

  /** Completes when {@link #socket}'s connection is gone (closed or failed). */
  private CompletableFuture<Void> socketGone = CompletableFuture.completedFuture(null);

  private int generation;
  private int connections;
  private int failedAttempts;
  private Instant disconnectedAt;
  private boolean closed;

  /**
   * @param allowedEvents the app's event filter, set on every connect; empty means "all events"
   */
  public AriEventStream(
      OkHttpAriClient client, Set<String> allowedEvents, InstantSource clock, Listener listener) {
    this(client, allowedEvents, clock, listener, false);
  }

  /**
   * As above; with {@code everything}, the socket gets every event of the PBX, not only those of
   * the app's channels and bridges ({@code subscribeAll}: a monitor beside the controller, such as
   * a test that watches every bridge under its own app name).
   */
  public AriEventStream(
      OkHttpAriClient client,
      Set<String> allowedEvents,
      InstantSource clock,
      Listener listener,
      boolean everything) {
    this.subscribeAll = everything;
    this.client = client;
    this.listener = listener;
    this.allowedEvents = Set.copyOf(allowedEvents);
    this.clock = clock;
    this.backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    this.scheduler = Loops.ownerThread("ari-events-" + client.application());
  }

  void tapFrames(Consumer<String> tap) {
    this.frameTap = tap;
  }

  /**
   * Subscribes the app to an event source now (when connected) and again after every reconnect: a
   * restarted Asterisk has forgotten it. A source Asterisk refuses (e.g. a bridge that no longer
   * exists) is logged and dropped. Returns at once; the REST call runs on the stream's thread.
   */
  public void subscribe(String eventSource) {
    subscriptions.add(eventSource);
    if (isConnected()) {
      scheduler.execute(() -> applySubscription(eventSource));
    }
  }

  /** Opens the socket; returns at once. Reconnects run until {@link #close()}. */
  public synchronized void start() {
    if (socket == null && !closed) {
      connect();
    }
  }

  /**
   * Completes once the first socket has opened and its listener has been told; at once if it has.
   * Never completes if the stream is closed before it connects: wait with a timeout.
   */
  public CompletableFuture<Void> firstConnection() {
    return firstOpen.copy();
  }

  /** Whether a socket is open right now. */
  public synchronized boolean isConnected() {
    return socket != null && disconnectedAt == null && connections > 0;
  }

  /**
   * Drops the current socket as if the network failed (the stream then reconnects). For operators
   * and tests that need to exercise the resync path.
   */
  public synchronized void dropConnection() {
    if (socket != null) {
      socket.cancel();
    }
  }

  /**
   * Closes the socket and returns once Asterisk has let the app go, or after {@link #CLOSE_WAIT}.
   * Asterisk unregisters the app some milliseconds after the close handshake, and an app that a
   * newer socket registered meanwhile goes with it: a controller (or a test) that starts right
   * after this one would then find its app gone, and every login call's Stasis() fail.
   */
  @Override
  public void close() {
    WebSocket toClose;
    CompletableFuture<Void> gone;
    synchronized (this) {
      closed = true;
      toClose = socket;
      gone = socketGone;
      socket = null;
    }
    if (toClose == null) {
      scheduler.shutdownNow();
      return;
    }
    toClose.close(1000, "controller stopping");
    // The scheduler stays up for the asking below; `closed` already stops every reconnect.
    CompletableFuture<Void> letGo = gone.thenCompose(closedCleanly -> appLetGo());
    try {
      letGo.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      toClose.cancel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      toClose.cancel();
    } finally {
      letGo.cancel(false);
      scheduler.shutdownNow();
    }
  }

  /**
   * Completes once Asterisk no longer lists the app. ARI has no event for that, so the scheduler
   * asks every {@link #APP_GONE_POLL} until then, or until the future is cancelled.
   */
  private CompletableFuture<Void> appLetGo() {
    var released = new CompletableFuture<Void>();
    try {
      ScheduledFuture<?> asking =
          scheduler.scheduleWithFixedDelay(
              () -> {
                if (!appStillRegistered()) {
                  released.complete(null);
                }
              },
              0,
              APP_GONE_POLL.toMillis(),
              TimeUnit.MILLISECONDS);
      var unused = released.whenComplete((ok, stopped) -> asking.cancel(false));
    } catch (RejectedExecutionException shutDown) {
      released.complete(null); // close() already gave up waiting
    }
    return released;
  }

  /** True while Asterisk still lists the app (another client may hold it: then we time out). */
  private boolean appStillRegistered() {
    try {
      client.applicationState();
      return true;
    } catch (AriException e) {
      return e.kind() != AriException.Kind.GONE;
    } catch (UncheckedIOException e) {
      return false; // Asterisk is not answering: nothing to wait for
    }
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    HttpUrl base = HttpUrl.get(client.endpoint().baseUrl().toString());
    HttpUrl url =
        base.newBuilder()
            .addPathSegment("events")
            .addQueryParameter("app", client.application())
            .addQueryParameter("subscribeAll", Boolean.toString(subscribeAll))
            .build();
    Request request =
        new Request.Builder().url(url).header("Authorization", client.authorization()).build();
    int thisGeneration = ++generation;
    OkHttpClient http = client.httpClient();
    var listener = new SocketListener(thisGeneration);
    socketGone = listener.gone;
    socket = http.newWebSocket(request, listener);
  }

  private final class SocketListener extends WebSocketListener {
    private final int myGeneration;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    SocketListener(int generation) {
      this.myGeneration = generation;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      Connection connection;
      synchronized (AriEventStream.this) {
        if (myGeneration != generation || closed) {
          webSocket.cancel();
          return;
        }
        connections++;
        failedAttempts = 0;
        Optional<Duration> gap =
            disconnectedAt == null
                ? Optional.empty()
                : Optional.of(Duration.between(disconnectedAt, clock.instant()));
        disconnectedAt = null;
        connection = new Connection(connections, gap);
      }
      log.info(
          "ARI events socket for app '{}' connected (connection {}{})",
          client.application(),
          connection.number(),
          connection.gap().map(g -> ", after a gap of " + g.toMillis() + " ms").orElse(""));
      listener.onConnected(connection);
      firstOpen.complete(null);
      scheduler.execute(AriEventStream.this::applyAppSettings);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      frameTap.accept(text);
      AriEvent event;
      try {
        event = AriJson.decodeEvent(text);
      } catch (AriDecodingException e) {
        // One unreadable frame must not kill the stream; it is loud and carries the frame.
        log.error("{}", e.getMessage(), e);
        return;
      }
      if (event instanceof AriEvent.ApplicationReplaced) {
        log.error(
            "another client took over ARI app '{}'; this controller gets no more events for it."
                + " Give each controller its own app name.",
            client.application());
      }
      listener.onEvent(event);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
      lost("closed by Asterisk (" + code + " " + reason + ")");
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      gone.complete(null);
      lost("closed (" + code + " " + reason + ")");
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      gone.complete(null);
      String why = response != null ? "HTTP " + response.code() + " on upgrade" : t.toString();
      lost(why);
    }

    private void lost(String reason) {
      boolean wasOpen;
      Duration delay;
      synchronized (AriEventStream.this) {
        if (myGeneration != generation || closed) {
          return;
        }
        generation++; // later callbacks of this socket are stale
        socket = null;
        wasOpen = disconnectedAt == null && connections > 0;
        if (disconnectedAt == null) {
          disconnectedAt = clock.instant();
        }
        delay = backoff.delay(failedAttempts++);
      }
      if (wasOpen) {
        log.warn("ARI events socket for app '{}' lost: {}", client.application(), reason);
        listener.onDisconnected(reason);
      } else {
        log.debug("ARI events connect failed ({}), retrying in {} ms", reason, delay.toMillis());
      }
      try {
        // The task only opens a socket; its failures come back through this listener, so the
        // future carries nothing to check.
        var unused =
            scheduler.schedule(
                AriEventStream.this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        // close() shut the scheduler down between our check and the schedule: nothing to do.
      }
    }
  }

  /** Runs on the scheduler after each connect: the app object may be new, so set everything. */
  private void applyAppSettings() {
    if (!allowedEvents.isEmpty()) {
      applyEventFilter();
    }
    subscriptions.forEach(this::applySubscription);
  }

  private void applySubscription(String eventSource) {
    try {
      client.subscribe(eventSource);
    } catch (AriException e) {
      if (e.status() >= 400 && e.status() < 500) {
        subscriptions.remove(eventSource);
        log.warn(
            "ARI refused the subscription to {} ({}); dropped it", eventSource, e.getMessage());
      } else {
        log.warn("could not subscribe to {}: {}", eventSource, e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn("could not subscribe to {}: {}", eventSource, e.toString());
    }
  }

  private void applyEventFilter() {
    try {
      client.allowOnlyEvents(allowedEvents);
    } catch (RuntimeException e) {
      // Not fatal: without the filter we get more events than needed, never fewer.
      log.warn(
          "could not set the ARI event filter for app '{}': {}",
          client.application(),
          e.toString());
    }
  }

  /** Exponential backoff from {@code first}, doubling per failed attempt, capped at {@code max}. */
  record Backoff(Duration first, Duration max) {
    Duration delay(int failedAttempts) {
      int shift = Math.min(failedAttempts, 20);
      Duration candidate = first.multipliedBy(1L << shift);
      return candidate.compareTo(max) > 0 ? max : candidate;
    }
  }
}
