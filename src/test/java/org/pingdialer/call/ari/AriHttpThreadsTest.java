package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A command that asked ARI something can end: the client leaves no thread behind that keeps the JVM
 * alive (OkHttp's own dispatcher threads are not daemons and idle for 60 s).
 */
class AriHttpThreadsTest {
  @Test
  void requestsLeaveNoThreadThatKeepsTheJvmAlive() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/ari/channels",
        exchange -> {
          byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Set<Thread> before = liveUserThreads();
      var client =
          new OkHttpAriClient(
              new AriEndpoint(
                  URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ari"),
                  "user",
                  "secret",
                  "app"));
      assertThat(client.channels()).isEmpty();
      // The asynchronous calls (the events socket's connect among them) run on the dispatcher.
      var unused =
          client
              .httpClient()
              .newCall(
                  new okhttp3.Request.Builder()
                      .url("http://127.0.0.1:" + server.getAddress().getPort() + "/ari/channels")
                      .build());
      var done = new CompletableFuture<Void>();
      unused.enqueue(
          new okhttp3.Callback() {
            @Override
            public void onFailure(okhttp3.Call call, IOException e) {
              done.completeExceptionally(e);
            }

            @Override
            public void onResponse(okhttp3.Call call, okhttp3.Response response) {
              response.close();
              done.complete(null);
            }
          });
      done.get(10, TimeUnit.SECONDS);
      Set<Thread> after = liveUserThreads();
      after.removeAll(before);
      assertThat(after.stream().map(Thread::getName).collect(Collectors.toSet()))
          .as("non-daemon threads started by the ARI client")
          .isEmpty();
    } finally {
      server.stop(0);
    }
  }

  private static Set<Thread> liveUserThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }
}
