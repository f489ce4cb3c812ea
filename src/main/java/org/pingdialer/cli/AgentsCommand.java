package org.pingdialer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pingdialer agents …}: the agents of a running controller (the demo), through its REST API.
 * The API's address and token come from {@code --api}/{@code PINGDIALER_API_URL} and {@code
 * PINGDIALER_API_TOKEN}, else from the file the running demo writes ({@code api.json} in the state
 * directory, owner-only).
 */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description = "Agents of the running controller: list, pause, resume, end a call, file it.",
    footer = {
      "",
      "Examples (while ./pingdialer demo runs):",
      "  ./pingdialer agents list",
      "  ./pingdialer agents pause agent1 --reason break",
      "  ./pingdialer agents file agent1 callback --at 2026-11-29T10:00:00Z --agent-only",
      "",
      "Exit codes: 0 done, 1 no controller reachable, 4 refused (the message says why)."
    })
final class AgentsCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--api",
      description = "the controller's API, e.g. http://127.0.0.1:8080 (default: the running demo)",
      scope = CommandLine.ScopeType.INHERIT)
  String api;

  @Option(names = "--json", description = "print JSON", scope = CommandLine.ScopeType.INHERIT)
  boolean json;

  @Command(name = "list", description = "Every agent with its state and statistics.")
  int list() throws Exception {
    return request("GET", "/api/v1/agents", null);
  }

  @Command(
      name = "report",
      description =
          "Every agent's calls, talk, wrap-up and dispositions across the campaigns and inbound"
              + " queues.")
  int report(
      @Option(
              names = "--since",
              paramLabel = "WHEN",
              description = "from this ISO instant or this long ago (e.g. 8h); default 24h")
          String since)
      throws Exception {
    String path =
        "/api/v1/agents/report"
            + (since == null ? "" : "?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
    return ApiCall.request(
        spec.commandLine(), api, json, "GET", path, null, AgentsCommand::reportTable);
  }

  private static String reportTable(JsonNode report) {
    StringBuilder text = new StringBuilder("since " + report.path("since").asText() + "\n");
    for (JsonNode agent : report.path("agents")) {
      text.append(
          String.format(
              Locale.ROOT,
              "%-10s calls %3d  talk %5d s  wrap %4d s  %s%n",
              agent.path("agent").asText(),
              agent.path("calls").asInt(),
              agent.path("talkSeconds").asLong(),
              agent.path("wrapSeconds").asLong(),
              agent.path("dispositions")));
      for (JsonNode part : agent.path("parts")) {
        text.append(
            String.format(
                Locale.ROOT,
                "  %-16s %-8s calls %3d  talk %5d s  %s%n",
                part.path("name").asText(),
                part.path("kind").asText(),
                part.path("calls").asInt(),
                part.path("talkSeconds").asLong(),
                part.path("dispositions")));
      }
    }
    return text.toString().stripTrailing();
  }

  @Command(name = "pause", description = "Pause an agent (after its call, if on one).")
  int pause(
      @Parameters(paramLabel = "AGENT") String agent,
      @Option(
              names = "--reason",
              defaultValue = "break",
              description = "pause code (default break)")
          String reason)
      throws Exception {
    return request("POST", "/api/v1/agents/" + agent + "/pause", Map.of("reason", reason));
  }

  @Command(name = "resume", description = "Resume a paused agent.")
  int resume(@Parameters(paramLabel = "AGENT") String agent) throws Exception {
    return request("POST", "/api/v1/agents/" + agent + "/resume", null);
  }

  @Command(name = "logout", description = "Log an agent out (its phone is hung up).")
  int logout(@Parameters(paramLabel = "AGENT") String agent) throws Exception {
    return request("POST", "/api/v1/agents/" + agent + "/logout", null);
  }

  @Command(name = "end-call", description = "End the agent's customer call; it stays logged in.")
  int endCall(@Parameters(paramLabel = "AGENT") String agent) throws Exception {
    return request("POST", "/api/v1/agents/" + agent + "/end-call", null);
  }

  @Command(name = "dial", description = "Preview campaigns: call the lead the agent sees now.")
  int dial(@Parameters(paramLabel = "AGENT") String agent) throws Exception {
    return request("POST", "/api/v1/agents/" + agent + "/preview/dial", null);
  }

  @Command(
      name = "skip",
      description =
          "Preview campaigns: pass on the lead the agent sees (it comes back in an hour).")
  int skip(@Parameters(paramLabel = "AGENT") String agent) throws Exception {
    return request("POST", "/api/v1/agents/" + agent + "/preview/skip", null);
  }

  @Command(name = "ready", description = "End the agent's wrap-up now.")
  int ready(@Parameters(paramLabel = "AGENT") String agent) throws Exception {
    return request("POST", "/api/v1/agents/" + agent + "/ready", null);
  }

  @Command(
      name = "file",
      description =
          "File the agent's last call: refused, callback, sale, dnc, wrong_number, machine.")
  int file(
      @Parameters(paramLabel = "AGENT") String agent,
      @Parameters(paramLabel = "CODE") String code,
      @Option(names = "--at", description = "callback time, ISO-8601, e.g. 2026-11-29T10:00:00Z")
          String at,
      @Option(names = "--agent-only", description = "only this agent takes the callback")
          boolean agentOnly)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    if (at != null) {
      body.put("at", at);
    }
    if (agentOnly) {
      body.put("agentOnly", true);
    }
    return request("POST", "/api/v1/agents/" + agent + "/disposition", body);
  }

  private int request(String method, String path, Map<String, Object> body) throws Exception {
    return ApiCall.request(spec.commandLine(), api, json, method, path, body, AgentsCommand::table);
  }

  private static String table(JsonNode agents) {
    if (!agents.isArray()) {
      return agents.toPrettyString(); // what a command did: the answer as it is
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode agent : agents) {
      text.append(
          String.format(
              Locale.ROOT,
              "%-10s %-10s calls %3d  talk %5d s  wrap %4d s  pause %4d s  %s%n",
              agent.path("id").asText(),
              agent.path("state").asText()
                  + (agent.has("pause") ? "(" + agent.path("pause").asText() + ")" : ""),
              agent.path("calls").asInt(),
              agent.path("talkSeconds").asLong(),
              agent.path("wrapSeconds").asLong(),
              agent.path("pauseSeconds").asLong(),
              agent.path("dispositions")));
    }
    return text.toString().stripTrailing();
  }
}
