package org.pingdialer.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.pingdialer.serve.ServeLab.placed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.host.HostPrograms;
import org.pingdialer.lab.stack.PortAllocator;

/**
 * docker/compose.yml as a user runs it, on a Docker engine (CI's Docker half: docker/ci-engine.sh):
 * {@code up --build} with no secret exported, the lab's leads seeded by the controller, calls
 * placed and dispositions filed by the lab agents, seen through the REST API with the generated
 * token; then {@code down -v} leaves no container and no volume of the project. Tagged "compose":
 * the rootfs half of the suite leaves it out (it needs an engine).
 */
@Tag("compose")
class ComposeStackIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("pingdialer.projectDir", ".")).toAbsolutePath();
  private static final Path COMPOSE_FILE = PROJECT.resolve("docker/compose.yml");
  private static final int LEADS = 40;

  private final String project = "pdcompose" + ProcessHandle.current().pid();
  private final Path logDir = PROJECT.resolve("target/compose-it");

  @Test
  void upDialsWithTheLabsOwnSecretsAndDownLeavesNothing() throws Exception {
    Files.createDirectories(logDir);
    var ports = PortAllocator.freeBlock();
    int apiPort = freeTcpPort();
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("PBX_SIP_PORT", String.valueOf(ports.pbxSip())),
            Map.entry("PBX_SIP_PORT_NOREASON", String.valueOf(ports.pbxSipNoReason())),
            Map.entry("PBX_HTTP_PORT", String.valueOf(ports.pbxHttp())),
            Map.entry("PBX_AMI_PORT", String.valueOf(ports.pbxAmi())),
            Map.entry("PBX_RTP_START", String.valueOf(ports.pbxRtpStart())),
            Map.entry("PBX_RTP_END", String.valueOf(ports.pbxRtpEnd())),
            Map.entry("PSTN_SIP_PORT", String.valueOf(ports.pstnSip())),
            Map.entry("PSTN_SIP_PORT_NOREASON", String.valueOf(ports.pstnSipNoReason())),
            Map.entry("PSTN_RTP_START", String.valueOf(ports.pstnRtpStart())),
            Map.entry("PSTN_RTP_END", String.valueOf(ports.pstnRtpEnd())),
            Map.entry("API_PORT", String.valueOf(apiPort)),
            Map.entry("LAB_LEADS", String.valueOf(LEADS)));
    try {
      long begin = System.nanoTime();
      compose(env, Duration.ofMinutes(20), "up", "-d", "--build");
      System.out.printf(
          "compose stack built and started in %d s%n",
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin));

      String token =
          compose(
                  env,
                  Duration.ofMinutes(1),
                  "exec",
                  "-T",
                  "controller",
                  "cat",
                  "/run/pingdialer-secrets/api-token")
              .strip();
      assertThat(token).hasSizeGreaterThanOrEqualTo(16);
      String url = "http://127.0.0.1:" + apiPort;
      var http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .until(() -> get(http, url + "/api/v1/agents", null).statusCode() == 401);

      // Seeded: the controller drew and imported the lab's leads at its first start.
      JsonNode report = report(http, url, token);
      assertThat(report.at("/leads/total").asInt()).isEqualTo(LEADS);

      // Dialing, and the lab agents work the calls: placed calls and filed dispositions.
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> placed(get(http, url + "/metrics", token).body()) >= 3);
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> dispositions(report(http, url, token)) >= 1);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
      System.out.printf(
          "compose stack: %s calls placed, %d dispositions, %d s after up%n",
          placed(get(http, url + "/metrics", token).body()),
          dispositions(report(http, url, token)),
          seconds);
    } finally {
      // Every service's output, for a look after a failure.
      Files.writeString(
          logDir.resolve(project + ".log"),
          compose(env, Duration.ofMinutes(1), "logs", "--no-color"));
      compose(env, Duration.ofMinutes(3), "down", "-v", "--timeout", "40");
    }
    String label = "label=com.docker.compose.project=" + project;
    assertThat(docker("ps", "-aq", "--filter", label)).as("containers left").isBlank();
    assertThat(docker("volume", "ls", "-q", "--filter", label)).as("volumes left").isBlank();
  }

  private static JsonNode report(HttpClient http, String url, String token) throws Exception {
    var response = get(http, url + "/api/v1/campaigns/lab-demo/report", token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  /** Dispositions filed, summed over the report's agents (each has a count per disposition). */
  private static int dispositions(JsonNode report) {
    int total = 0;
    for (JsonNode agent : report.get("agents")) {
      JsonNode filed = agent.get("dispositions");
      if (filed.isNumber()) {
        total += filed.asInt();
      } else {
        for (JsonNode count : filed) {
          total += count.asInt();
        }
      }
    }
    return total;
  }

  private static HttpResponse<String> get(HttpClient http, String url, String token)
      throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Compose v2 ({@code docker compose}) where the client has it, else v1 ({@code docker-compose}).
   */
  private String compose(Map<String, String> env, Duration timeout, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    if (run(List.of("docker", "compose", "version"), Map.of(), Duration.ofSeconds(20)).exit()
        == 0) {
      command.addAll(List.of("docker", "compose"));
    } else {
      command.add("docker-compose");
    }
    command.addAll(List.of("-p", project, "-f", COMPOSE_FILE.toString()));
    command.addAll(List.of(args));
    Result result = run(command, env, timeout);
    assertThat(result.exit()).as(String.join(" ", command) + ":\n" + result.output()).isZero();
    return result.output();
  }

  private static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Result result = run(command, Map.of(), Duration.ofSeconds(30));
    assertThat(result.exit()).as(result.output()).isZero();
    return result.output();
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, Map<String, String> env, Duration timeout)
      throws Exception {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = HostPrograms.listed().start(builder);
    // Read while it runs: a build prints more than a pipe holds.
    var output = process.getInputStream();
    var collected = new ByteArrayOutputStream();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    output.transferTo(collected);
                  } catch (IOException ignored) {
                    // the process was killed
                  }
                });
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      reader.join(5000);
      throw new AssertionError(
          String.join(" ", command)
              + " did not finish within "
              + timeout
              + ":\n"
              + collected.toString(StandardCharsets.UTF_8));
    }
    reader.join(5000);
    return new Result(process.exitValue(), collected.toString(StandardCharsets.UTF_8));
  }

  private static int freeTcpPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
