package org.pingdialer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.Durations;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.report.CampaignDirectory;
import org.pingdialer.report.CampaignReports;
import org.pingdialer.report.ReportFormat;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcReportData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pingdialer report CAMPAIGN}: one campaign's report from the database. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "A campaign's report from the database: outcomes, leads, agents, and",
      "compliance (abandon rate on the 24 h and 30-day windows as the governor",
      "computes it, drop messages and their latency, ring times of unanswered",
      "calls against the 15 s minimum, calls outside the calling windows, which",
      "must be 0). CAMPAIGN is a campaign file, or the name of one in --campaigns."
    },
    footer = {
      "",
      "Examples:",
      "  ./pingdialer report lab-demo --format html --out lab-demo.html",
      "  ./pingdialer report asterisk-config/campaigns/demo-strict.yaml --since 24h",
      "  ./pingdialer --data-dir ~/.local/state/pingdialer/demo/RUN/data \\",
      "      report lab-demo",
      "",
      "Exit codes: 0 written, 1 error, 2 bad usage, 4 unknown campaign or",
      "invalid campaign file."
    })
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand PingdialerCommand root;

  @Parameters(paramLabel = "CAMPAIGN", description = "a campaign name or campaign file")
  String campaign;

  @Option(
      names = "--format",
      defaultValue = "json",
      paramLabel = "json|csv|html",
      description = "json (default), csv or html")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "write here instead of stdout")
  Path out;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description = {
        "only attempts placed since: an instant",
        "(2026-11-28T08:00:00Z), a day (2026-11-28, from",
        "midnight UTC) or a time back from now (24h, 7d)"
      })
  String since;

  @Option(
      names = "--campaigns",
      paramLabel = "DIR",
      description = "where campaign files are found by name (default asterisk-config/campaigns)")
  Path campaigns;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    ReportFormat chosen =
        ReportFormat.named(format)
            .orElseThrow(
                () ->
                    new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--format must be json, csv or html, was '" + format + "'"));
    Instant now = Clock.systemUTC().instant();
    Optional<Instant> from = since == null ? Optional.empty() : Optional.of(since(since, now));
    Path dir =
        campaigns != null
            ? campaigns
            : PingdialerCommand.projectDir().resolve("asterisk-config/campaigns");
    try (Database database = DataOptions.open(root.dataDir())) {
      var reports =
          new CampaignReports(
              new JdbcReportData(database), new JdbcAttemptStore(database), Persona.goats());
      Campaign chosenCampaign;
      try {
        Optional<Campaign> found = CampaignDirectory.find(campaign, dir);
        if (found.isEmpty()) {
          err.println(unknown(campaign, dir, reports.campaignsWithAttempts()));
          return PingdialerCommand.EXIT_REJECTED;
        }
        chosenCampaign = found.get();
      } catch (CampaignFileException e) {
        e.problems().forEach(err::println);
        return PingdialerCommand.EXIT_REJECTED;
      }
      String text = chosen.render(reports.build(chosenCampaign, from, now));
      if (out == null) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      } else {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(out, text, StandardCharsets.UTF_8);
        spec.commandLine()
            .getOut()
            .println(
                "wrote the "
                    + chosen
                    + " report of campaign "
                    + chosenCampaign.name()
                    + " to "
                    + out);
      }
      return 0;
    }
  }

  /** What the user can ask for instead: the campaign files found and the names in the database. */
  private static String unknown(String asked, Path dir, List<String> withAttempts) {
    List<CampaignDirectory.Entry> files = CampaignDirectory.list(dir);
    var message = new StringBuilder("pingdialer report: no campaign '" + asked + "'");
    message.append(" (neither a campaign file nor the name of one in ").append(dir).append(")");
    if (files.isEmpty()) {
      message.append("\n  no campaign files in ").append(dir);
    } else {
      message.append("\n  campaign files in ").append(dir).append(":");
      for (var entry : files) {
        message
            .append("\n    ")
            .append(entry.name().orElse("(invalid)"))
            .append("  ")
            .append(entry.file().getFileName());
      }
    }
    message
        .append("\n  campaigns with attempts in this database: ")
        .append(withAttempts.isEmpty() ? "none" : String.join(", ", withAttempts));
    message.append(
        "\n  give one of these names, a campaign file's path, or --campaigns DIR where its file is");
    return message.toString();
  }

  private Instant since(String text, Instant now) {
    Optional<Duration> back = Durations.parse(text);
    if (back.isPresent()) {
      return now.minus(back.get());
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDay) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--since must be an instant (2026-11-28T08:00:00Z), a day (2026-11-28) or a time back"
                + " from now ("
                + Durations.EXAMPLES
                + "), was '"
                + text
                + "'");
      }
    }
  }
}
