package org.pingdialer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pingdialer.campaign.Campaign;
import org.pingdialer.campaign.CampaignFileException;
import org.pingdialer.campaign.CampaignFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pingdialer campaign validate}: check a campaign file before it runs. */
@Command(
    name = "campaign",
    mixinStandardHelpOptions = true,
    description = "Campaign files (YAML): validate them.")
final class CampaignCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
      report.put("profile", campaign.profile().name().toLowerCase(java.util.Locale.ROOT));
      report.put("lists", campaign.lists());
      report.put("problems", java.util.List.of());
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
