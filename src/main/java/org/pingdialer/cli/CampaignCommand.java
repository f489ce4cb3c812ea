package org.pingdialer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.compliance.WhyNot;
import org.pingdialer.store.JdbcLeadStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pingdialer campaign validate|why}: check a campaign file before it runs; ask why a lead,
 * or why nothing, is being dialed.
 */
@Command(
    name = "campaign",
    mixinStandardHelpOptions = true,
    description =
        "Campaign files (YAML): validate them, ask why leads are not dialed; the running"
            + " campaign: start, status, pause, resume, stop.")
final class CampaignCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand PingdialerCommand root;

  @Option(
      names = "--api",
      description = "the controller's API, e.g. http://127.0.0.1:8080 (default: the running one)",
      scope = CommandLine.ScopeType.INHERIT)
  String api;

  @Command(
      name = "status",
      description =
          "The running controller's campaign: state, agents, calls, outcomes, abandon rates.")
  int status(@Option(names = "--json", description = "print JSON") boolean json) throws Exception {
    return ApiCall.request(
        spec.commandLine(), api, json, "GET", "/api/v1/campaigns", null, CampaignCommand::table);
  }

  @Command(
      name = "start",
      description = {
        "Start a campaign. With --config, or when no controller answers: runs the controller (as",
        "serve) with this campaign, a file or the name of one stored over the API in the data",
        "directory, until SIGTERM or Ctrl-C. Otherwise asks the running controller to start",
        "campaign NAME: dial it again after a stop or a pause, or add a campaign stored over the",
        "API beside the ones it dials (they share its agents by priority and weight)."
      },
      footer = {
        "",
        "Examples:",
        "  ./pingdialer campaign start asterisk-config/campaigns/lab-demo.yaml \\",
        "      --config docker/controller-local.yaml",
        "  ./pingdialer campaign stop lab-demo && ./pingdialer campaign start lab-demo"
      })
  int start(
      @Parameters(paramLabel = "CAMPAIGN", description = "a campaign file, or a stored name")
          String campaign,
      @Option(names = "--config", paramLabel = "FILE", description = "the controller's config")
          Path config,
      @Option(names = "--check", description = "validate, then exit") boolean check,
      @Option(names = "--json", description = "print JSON (when asking a running controller)")
          boolean json)
      throws Exception {
    boolean file = Files.exists(Path.of(campaign));
    if (config == null && !check && !file && ApiCall.controllerAnswers(api)) {
      return control(campaign, "start", json);
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PINGDIALER_CAMPAIGN", campaign);
    return ServeCommand.run(spec.commandLine(), config, check, env);
  }

  @Command(name = "pause", description = "No new calls for now (calls in flight go on).")
  int pause(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    return control(name, "pause", json);
  }

  @Command(name = "resume", description = "Dial again after a pause.")
  int resume(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    return control(name, "resume", json);
  }

  @Command(
      name = "stop",
      description =
          "Stop dialing until started again (calls in flight go on); the controller keeps serving.")
  int stop(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    return control(name, "stop", json);
  }

  private int control(String name, String action, boolean json) throws Exception {
    return ApiCall.request(
        spec.commandLine(),
        api,
        json,
        "POST",
        "/api/v1/campaigns/" + name + "/" + action,
        null,
        CampaignCommand::table);
  }

  /** A campaign (or the list of them) as lines for a terminal. */
  private static String table(JsonNode answer) {
    StringBuilder text = new StringBuilder();
    for (var c : answer.isArray() ? answer : List.of(answer)) {
      text.append(
          String.format(
              Locale.ROOT,
              "%s (%s, %s): %s; agents %d seated, %d ready; %d dialing, %d placed; outcomes %s;"
                  + " dispositions %s%s%n",
              c.path("name").asText(),
              c.path("profile").asText(),
              c.path("pacing").asText(),
              c.path("state").asText(),
              c.path("seatedAgents").asInt(),
              c.path("readyAgents").asInt(),
              c.path("dialing").asInt(),
              c.path("placed").asLong(),
              c.path("outcomes"),
              c.path("dispositions"),
              c.has("governor")
                  ? String.format(
                      Locale.ROOT,
                      "; abandon rate %.2f %% (24 h), %.2f %% (30 d)",
                      100 * c.at("/governor/abandonRate24h").asDouble(),
                      100 * c.at("/governor/abandonRate30d").asDouble())
                  : ""));
    }
    return text.toString().stripTrailing();
  }

  @Command(
      name = "why",
      description = {
        "Why is nothing (or this lead) being dialed? Without --lead: the campaign's leads counted",
        "by what holds them now (done, waiting for a redial, outside the calling window, DNC,",
        "caps, ...), how many are dialable, and the next redial or callback due. With --lead:",
        "every reason that lead is not dialed now, or that it is dialable."
      },
      footer = {
        "",
        "Examples:",
        "  ./pingdialer campaign why asterisk-config/campaigns/lab-demo.yaml",
        "  ./pingdialer campaign why asterisk-config/campaigns/lab-demo.yaml --lead 42 --json",
        "",
        "Exit codes: 0 answered, 4 the campaign file or the lead id is wrong."
      })
  int why(
      @Parameters(paramLabel = "FILE", description = "the campaign file") Path file,
      @Option(names = "--lead", paramLabel = "ID", description = "one lead's id") Long leadId,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    return why(
        spec.commandLine().getOut(),
        spec.commandLine().getErr(),
        root.dataDir(),
        file,
        leadId,
        json);
  }

  /** {@code campaign why} and {@code why}: the campaign's summary, or one lead's reasons. */
  static int why(
      PrintWriter out, PrintWriter err, Path dataDir, Path file, Long leadId, boolean json)
      throws Exception {
    Campaign campaign;
    try {
      campaign = CampaignFiles.load(file);
    } catch (CampaignFileException e) {
      e.problems().forEach(err::println);
      return PingdialerCommand.EXIT_REJECTED;
    }
    Instant now = Clock.systemUTC().instant();
    try (var database = DataOptions.open(dataDir)) {
      var leads = new JdbcLeadStore(database);
      var why = new WhyNot(leads);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("campaign", campaign.name());
      if (leadId != null) {
        var lead = leads.find(leadId);
        if (lead.isEmpty()) {
          err.println("no lead " + leadId + " in " + dataDir + ": see ./pingdialer leads count");
          return PingdialerCommand.EXIT_REJECTED;
        }
        List<String> reasons = why.lead(campaign, lead.get(), now);
        report.put("lead", leadId);
        report.put("number", lead.get().e164());
        report.put("state", lead.get().state().name());
        report.put("dialable", reasons.isEmpty());
        report.put("reasons", reasons);
        if (json) {
          out.println(JSON.writeValueAsString(report));
        } else if (reasons.isEmpty()) {
          out.println("lead " + leadId + " (" + lead.get().e164() + ") is dialable now");
        } else {
          out.println("lead " + leadId + " (" + lead.get().e164() + ") is not dialed now:");
          reasons.forEach(reason -> out.println("  - " + reason));
        }
        return 0;
      }
      var summary = why.campaign(campaign, now);
      report.put("leads", summary.leads());
      report.put("dialable", summary.dialable());
      report.put("blocked", summary.blocked());
      report.put("nextDue", summary.nextDue().map(Object::toString).orElse(null));
      if (json) {
        out.println(JSON.writeValueAsString(report));
      } else {
        out.printf(
            "campaign %s: %d leads, %d dialable now%n",
            campaign.name(), summary.leads(), summary.dialable());
        summary.blocked().forEach((reason, count) -> out.printf("  %6d  %s%n", count, reason));
        summary.nextDue().ifPresent(due -> out.println("next redial or callback due " + due));
      }
      return 0;
    }
  }

  @Command(
      name = "validate",
      description = {
        "Check a campaign file against its profile's rules. Every problem is listed with its",
        "place in the file and the fix; values are rejected, never clamped."
      },
      footer = {
        "",
        "Example:",
        "  ./pingdialer campaign validate asterisk-config/campaigns/example-strict.yaml",
        "",
        "Exit codes: 0 valid, 4 problems found."
      })
  int validate(
      @Parameters(paramLabel = "FILE", description = "the campaign file") Path file,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("file", file.toString());
    try {
      Campaign campaign = CampaignFiles.load(file);
      report.put("valid", true);
      report.put("name", campaign.name());
      report.put("profile", campaign.profile().name().toLowerCase(Locale.ROOT));
      report.put("lists", campaign.lists());
      report.put("problems", List.of());
      if (json) {
        out.println(JSON.writeValueAsString(report));
      } else {
        out.println(
            file
                + ": valid, campaign "
                + campaign.name()
                + " (profile "
                + report.get("profile")
                + "), dials "
                + String.join(", ", campaign.lists()));
      }
      return 0;
    } catch (CampaignFileException e) {
      report.put("valid", false);
      report.put("problems", e.problems());
      if (json) {
        out.println(JSON.writeValueAsString(report));
      } else {
        e.problems().forEach(spec.commandLine().getErr()::println);
      }
      return PingdialerCommand.EXIT_REJECTED;
    }
  }
}
