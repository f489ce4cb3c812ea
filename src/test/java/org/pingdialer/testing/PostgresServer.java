package org.pingdialer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.pingdialer.host.HostPrograms;

/**
 * One throwaway PostgreSQL server per test JVM, started by {@code docker/test-postgres.sh} on
 * loopback and stopped when the JVM exits; every caller gets a fresh, empty database in it.
 *
 * <p>When the server binaries are missing the tests are skipped, except under CI ({@code CI} set),
 * where {@code .ci/run} installs them and a missing server must fail the build.
 */
public final class PostgresServer {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static String baseUrl;
  // Not pingdialer.projectDir: StackCommandIT points that at a copy of the project for a while.
  private static final Path PROJECT = Path.of("").toAbsolutePath();

  private PostgresServer() {}

  /** A JDBC URL of a new empty database (user {@code pingdialer}, no password). */
  public static synchronized String freshDatabaseUrl() {
    if (baseUrl == null) {
      baseUrl = start();
    }
    String name = "t" + DATABASES.incrementAndGet();
    try (var admin = DriverManager.getConnection(baseUrl, "pingdialer", "");
        var create = admin.createStatement()) {
      create.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + ": " + e, e);
    }
    return baseUrl.substring(0, baseUrl.lastIndexOf('/') + 1) + name;
  }

  private static String start() {
    Path script = PROJECT.resolve("docker/test-postgres.sh");
    if (run(script.toString(), "available").exit != 0) {
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(
            "CI is set but no PostgreSQL server is installed; .ci/run installs it"
                + " (docker/host-prerequisites.sh)");
      }
      Assumptions.abort("PostgreSQL server binaries not installed (apt-get install postgresql)");
    }
    // Outside the checkout: as root the cluster belongs to the postgres user, who cannot reach a
    // checkout under /root (mode 700). The stop removes it.
    Path dir;
    try {
      dir = Files.createTempDirectory("pingdialer-test-postgres-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the test PostgreSQL's directory", e);
    }
    Result started = run(script.toString(), "start", dir.toString(), String.valueOf(freePort()));
    if (started.exit != 0) {
      throw new IllegalStateException("test PostgreSQL did not start: " + started.output);
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> run(script.toString(), "stop", dir.toString())));
    // The URL is the last line; anything a tool printed before it is not part of it.
    return started
        .output
        .lines()
        .filter(line -> line.startsWith("jdbc:"))
        .reduce((first, second) -> second)
        .orElseThrow(
            () -> new IllegalStateException("test PostgreSQL printed no URL: " + started.output));
  }

  private static int freePort() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(String... command) {
    try {
      Process process =
          HostPrograms.listed().start(new ProcessBuilder(command).redirectErrorStream(true));
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
