package org.pingdialer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pingdialer calls}: the running controller's calls in flight, through its REST API. */
@Command(
    name = "calls",
    mixinStandardHelpOptions = true,
    description = "Calls in flight now (state, agent, timeline) and the last calls that ended.",
    footer = {
      "",
      "Example (while ./pingdialer demo or serve runs):",
      "  ./pingdialer calls --json"
    })
final class CallsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--api", description = "the controller's API (default: the running one)")
  String api;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return ApiCall.request(
        spec.commandLine(), api, json, "GET", "/api/v1/calls", null, CallsCommand::text);
  }

  private static String text(JsonNode calls) {
    StringBuilder text = new StringBuilder();
    text.append(calls.path("inFlight").size()).append(" calls in flight\n");
    for (JsonNode call : calls.path("inFlight")) {
      text.append(line(call));
    }
    text.append("recently ended:\n");
    for (JsonNode call : calls.path("recent")) {
      text.append(line(call));
    }
    return text.toString().stripTrailing();
  }

  private static String line(JsonNode call) {
    StringBuilder steps = new StringBuilder();
    for (JsonNode step : call.path("steps")) {
      steps.append(steps.isEmpty() ? "" : " → ").append(step.path("name").asText());
    }
    return String.format(
        Locale.ROOT,
        "  %-28s %-6s %-10s %-10s %s%n",
        call.path("id").asText(),
        call.path("number").asText(),
        call.path("outcome").isNull() || call.path("outcome").isMissingNode()
            ? call.path("state").asText()
            : call.path("outcome").asText(),
        call.path("agent").isNull() || call.path("agent").isMissingNode()
            ? "-"
            : call.path("agent").asText(),
        steps);
  }
}
