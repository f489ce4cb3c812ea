package org.pingdialer.lab.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to baresip's ctrl_tcp module (1.0.0): netstring frames ({@code 12:{"a":"b"},})
 * carrying JSON. We send {@code {"command","params","token"}}; baresip answers {@code
 * {"response":true,"ok":bool,"data":"<the command's text output>","token"}} and, unasked, sends
 * {@code {"event":true,"class","type","param","accountaor","direction","peeruri","id"}}. ctrl_tcp
 * takes one connection at a time and drops events while none is open.
 *
 * <p>A reader thread ({@code baresip-ctrl-<name>}) decodes frames; it completes command futures and
 * hands events to the sink, both on that thread.
 */
final class CtrlTcp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final TypeReference<Map<String, Object>> MESSAGE = new TypeReference<>() {};

  private static final Logger log = LoggerFactory.getLogger(CtrlTcp.class);

  /** Opens the connection once baresip listens; lets the phone retry while baresip starts. */
  @FunctionalInterface
  interface Factory {
    CtrlTcp connect(Consumer<Map<String, Object>> events) throws IOException;
  }

  /** baresip's answer to a command. */
  record Response(boolean ok, String data) {}

  private final String name;
  private final Socket socket;
  private final OutputStream out;
  private final Map<String, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();
  private final Thread reader;

  private CtrlTcp(String name, Socket socket, Consumer<Map<String, Object>> events)
      throws IOException {
    this.name = name;
    this.socket = socket;
    this.out = socket.getOutputStream();
    InputStream in = new BufferedInputStream(socket.getInputStream());
    this.reader =
        Thread.ofPlatform().name("baresip-ctrl-" + name).daemon().start(() -> read(in, events));
  }

  /**
   * Connects to ctrl_tcp on 127.0.0.1:{@code port}.
   *
   * @param events told each event, on the reader thread, in arrival order; must not block
   */
  static CtrlTcp connect(String name, int port, Consumer<Map<String, Object>> events)
      throws IOException {
    var socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return new CtrlTcp(name, socket, events);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Runs a baresip command (a long command name of the menu module, e.g. {@code dial}); the future
   * completes on the reader thread, exceptionally when the connection is lost first.
   */
  CompletableFuture<Response> command(String command, String params) {
    String token = Long.toString(tokens.incrementAndGet());
    var response = new CompletableFuture<Response>();
    pending.put(token, response);
    var fields = new LinkedHashMap<String, String>();
    fields.put("command", command);
    if (!params.isEmpty()) {
      fields.put("params", params);
    }
    fields.put("token", token);
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
    byte[] head = (json.length + ":").getBytes(StandardCharsets.US_ASCII);
    try {
      synchronized (out) {
        out.write(head);
        out.write(json);
        out.write(',');
        out.flush();
      }
    } catch (IOException e) {
      pending.remove(token);
      response.completeExceptionally(
          new UncheckedIOException("baresip " + name + ": sending '" + command + "'", e));
    }
    return response;
  }

  private void read(InputStream in, Consumer<Map<String, Object>> events) {
    try {
      while (true) {
        Map<String, Object> message = JSON.readValue(frame(in), MESSAGE);
        if (Boolean.TRUE.equals(message.get("response"))) {
          var done = pending.remove(String.valueOf(message.get("token")));
          if (done != null) {
            done.complete(
                new Response(
                    Boolean.TRUE.equals(message.get("ok")),
                    String.valueOf(message.getOrDefault("data", ""))));
          }
        } else if (message.containsKey("event")) {
          events.accept(message);
        }
      }
    } catch (EOFException | SocketException closed) {
      log.debug("baresip {}: ctrl_tcp closed", name);
    } catch (IOException | RuntimeException e) {
      log.warn("baresip {}: ctrl_tcp reader stopped", name, e);
    } finally {
      var lost = new IllegalStateException("baresip " + name + ": ctrl_tcp connection closed");
      pending.values().forEach(f -> f.completeExceptionally(lost));
      pending.clear();
    }
  }

  /** Reads one netstring: ASCII length, ':', that many bytes, ','. */
  private String frame(InputStream in) throws IOException {
    int length = 0;
    int digits = 0;
    for (int c = in.read(); c != ':'; c = in.read()) {
      if (c < 0) {
        throw new EOFException();
      }
      if (c < '0' || c > '9' || ++digits > 9) {
        throw new IOException("baresip " + name + ": bad netstring length byte " + c);
      }
      length = length * 10 + (c - '0');
    }
    var payload = new ByteArrayOutputStream(length);
    payload.write(in.readNBytes(length));
    if (payload.size() != length || in.read() != ',') {
      throw new IOException("baresip " + name + ": netstring of " + length + " bytes cut short");
    }
    return payload.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("baresip {}: closing ctrl_tcp: {}", name, e.getMessage());
    }
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
