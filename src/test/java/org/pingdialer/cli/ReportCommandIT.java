package org.pingdialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pingdialer.report.ReportFixture;
import org.pingdialer.store.Database;

/** {@code pingdialer report} on an embedded database filled through the real stores. */
class ReportCommandIT {
  @TempDir Path dataDir;
  @TempDir Path campaigns;
  @TempDir Path outDir;

  @BeforeEach
  void fill() throws Exception {
    try (var database = Database.embedded(dataDir)) {
      ReportFixture.fill(database);
    }
    ReportFixture.writeCampaignFile(campaigns);
  }

  private CliRun run(String... args) {
    return CliRun.withDataDir(dataDir, args);
  }

  @Test
  void aCampaignFoundByNameIsReportedAsJsonOnStdout() throws Exception {
    CliRun run = run("report", "report-it", "--campaigns", campaigns.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("campaign").asText()).isEqualTo("report-it");
    assertThat(json.at("/outcomes/calls").asLong()).isEqualTo(13);
    assertThat(json.at("/compliance/callingWindows/outside").asLong()).isEqualTo(1);
  }

  @Test
  void csvAndHtmlAreWrittenToTheOutFileFromACampaignFile() throws Exception {
    Path csv = outDir.resolve("r/report.csv");
    CliRun run =
        run(
            "report",
            campaigns.resolve("report-it.yaml").toString(),
            "--format",
            "csv",
            "--out",
            csv.toString(),
            "--since",
            "2026-11-27T09:00:00Z");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote the csv report of campaign report-it to " + csv);
    assertThat(Files.readString(csv))
        .startsWith("section,item,measure,value\r\n")
        .contains("outcome/all/calls".replace('/', ',') + ",11\r\n")
        .contains("calling_window,all,outside,0\r\n");

    Path html = outDir.resolve("report.html");
    CliRun page =
        run(
            "report",
            "report-it",
            "--campaigns",
            campaigns.toString(),
            "--format",
            "HTML",
            "--out",
            html.toString());
    assertThat(page.exit()).as(page.err()).isZero();
    assertThat(Files.readString(html)).contains("<svg").doesNotContain("http://", "https://");
  }

  @Test
  void anUnknownCampaignListsTheKnownOnes() {
    CliRun run = run("report", "summer", "--campaigns", campaigns.toString());
    assertThat(run.exit()).isEqualTo(PingdialerCommand.EXIT_REJECTED);
    assertThat(run.err())
        .contains("no campaign 'summer'")
        .contains("report-it  report-it.yaml")
        .contains("campaigns with attempts in this database: report-it");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    CliRun format =
        run("report", "report-it", "--campaigns", campaigns.toString(), "--format", "pdf");
    assertThat(format.exit()).isEqualTo(2);
    assertThat(format.err()).contains("--format must be json, csv or html, was 'pdf'");

    CliRun since =
        run("report", "report-it", "--campaigns", campaigns.toString(), "--since", "yesterday");
    assertThat(since.exit()).isEqualTo(2);
    assertThat(since.err()).contains("--since must be an instant", "was 'yesterday'");
  }
}
