package org.pingdialer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pingdialer queues}: the running controller's inbound queues, through its REST API. */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    description =
        "Inbound queues: callers waiting now, calls offered and their outcomes, the service level"
            + " reached, average speed of answer.",
    footer = {
      "",
      "Example (while ./pingdialer serve runs with queues):",
      "  ./pingdialer queues --since 8h --json"
    })
final class QueuesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--api", description = "the controller's API (default: the running one)")
  String api;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = "figures from this ISO instant or this long ago (e.g. 8h); default 24h")
  String since;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    String path =
        "/api/v1/queues"
            + (since == null ? "" : "?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
    return ApiCall.request(spec.commandLine(), api, json, "GET", path, null, QueuesCommand::text);
  }

  private static String text(JsonNode answer) {
    StringBuilder text = new StringBuilder();
    text.append("since ").append(answer.path("since").asText()).append('\n');
    text.append(
        String.format(
            Locale.ROOT,
            "  %-16s %7s %7s %8s %9s %9s %12s %8s%n",
            "queue",
            "waiting",
            "offered",
            "answered",
            "abandoned",
            "overflow",
            "service lvl",
            "ASA s"));
    for (JsonNode queue : answer.path("queues")) {
      JsonNode outcomes = queue.path("outcomes");
      long overflow =
          outcomes.path("voicemail").asLong()
              + outcomes.path("callback").asLong()
              + outcomes.path("overflowed").asLong();
      JsonNode level = queue.path("serviceLevel");
      text.append(
          String.format(
              Locale.ROOT,
              "  %-16s %7d %7d %8d %9d %9d %5.1f%% <%2ds %8.1f%n",
              queue.path("name").asText(),
              queue.path("waiting").asInt(),
              queue.path("offered").asLong(),
              outcomes.path("answered").asLong(),
              outcomes.path("abandoned").asLong(),
              overflow,
              100 * level.path("reached").asDouble(),
              level.path("answeredWithinSeconds").asInt(),
              queue.path("averageSpeedOfAnswerSeconds").asDouble()));
    }
    return text.toString().stripTrailing();
  }
}
