package org.pingdialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Evidence;
import org.pingdialer.call.Timeline;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcLeadStore;

/**
 * {@code pingdialer leads …} and {@code dnc …} as a user runs them: the command contract of the
 * issue (flags, JSON keys, exit codes) against the embedded H2 database in a data directory.
 */
class LeadsCommandIT {

  @TempDir Path dir;

  private CliRun run(String... args) {
    return CliRun.withDataDir(dir.resolve("data"), args);
  }

  private Path file(String name, String text, Charset charset) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, text.getBytes(charset));
    return file;
  }

  @Test
  void importPrintsTheReportAsJsonAndARepeatFindsOnlyDuplicates() throws Exception {
    Path csv =
        file(
            "bought.csv",
            String.join(
                "\r\n",
                "\uFEFFTelefon;Vorname;Nachname;Quelle",
                "030 1234567;Jörg;Müller;Messe",
                "0151 23456789;Anna;\"Größe; Dr.\";Web",
                "030/123 45 67;Doppelt;;Web",
                ""),
            StandardCharsets.UTF_8);

    CliRun first = run("leads", "import", csv.toString(), "--list", "summer", "--json");

    assertThat(first.exit()).as(first.err()).isZero();
    JsonNode report = first.json();
    assertThat(report.get("rows").asLong()).isEqualTo(3);
    assertThat(report.get("imported").asLong()).isEqualTo(2);
    assertThat(report.get("duplicates").asLong()).isEqualTo(1);
    assertThat(report.get("invalid").asLong()).isZero();
    assertThat(report.get("premium").asLong()).isZero();
    assertThat(report.get("dnc").asLong()).isZero();
    assertThat(report.get("errors")).isEmpty();
    assertThat(report.get("delimiter").asText()).isEqualTo(";");
    assertThat(report.get("bom").asBoolean()).isTrue();

    CliRun again = run("leads", "import", csv.toString(), "--list", "summer", "--json");
    assertThat(again.exit()).isZero();
    assertThat(again.json().get("imported").asLong()).isZero();
    assertThat(again.json().get("duplicates").asLong()).isEqualTo(3);

    CliRun count = run("leads", "count", "--list", "summer", "--json");
    assertThat(count.json().get("new").asLong()).isEqualTo(2);
    assertThat(count.json().get("total").asLong()).isEqualTo(2);
  }

  @Test
  void aFileWithBadRowsIsRejectedWithExit4AndChangesNothing() throws Exception {
    run(
        "leads",
        "import",
        file("ok.csv", "phone\n030 1111111\n", StandardCharsets.UTF_8).toString(),
        "--list",
        "summer");
    Path broken =
        file(
            "broken.csv",
            "phone,name\n030 2222222,Gut\n0900 1234567,Premium\nkaputt,Invalid\n030 3333333,Gut\n",
            StandardCharsets.UTF_8);

    CliRun rejected = run("leads", "import", broken.toString(), "--list", "summer", "--json");

    assertThat(rejected.exit()).isEqualTo(4);
    JsonNode report = rejected.json();
    assertThat(report.get("failed").asBoolean()).isTrue();
    assertThat(report.get("imported").asLong()).isZero();
    assertThat(report.get("premium").asLong()).isEqualTo(1);
    assertThat(report.get("invalid").asLong()).isEqualTo(1);
    assertThat(report.get("errors").get(0).get("line").asLong()).isEqualTo(3);
    assertThat(report.get("errors").get(1).get("line").asLong()).isEqualTo(4);
    assertThat(run("leads", "count", "--list", "summer", "--json").json().get("total").asLong())
        .isEqualTo(1);

    CliRun skipped =
        run("leads", "import", broken.toString(), "--list", "summer", "--skip-invalid");
    assertThat(skipped.exit()).isZero();
    assertThat(skipped.out())
        .contains("Imported 2 leads into list 'summer'", "line 3: phone '0900 1234567'");
    assertThat(run("leads", "count", "--list", "summer", "--json").json().get("total").asLong())
        .isEqualTo(3);
  }

  @Test
  void anUnreadableFileIsRejectedWithAMessageThatSaysWhatToDo() throws Exception {
    Path xlsx = dir.resolve("leads.xlsx");
    Files.write(xlsx, new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0, 0, 0});
    CliRun binary = run("leads", "import", xlsx.toString(), "--list", "summer");
    assertThat(binary.exit()).isEqualTo(4);
    assertThat(binary.err()).contains("not a text CSV file");

    CliRun json = run("leads", "import", xlsx.toString(), "--list", "summer", "--json");
    assertThat(json.json().get("error").asText()).contains("not a text CSV file");
    assertThat(json.json().get("imported").asLong()).isZero();

    CliRun noPhone =
        run(
            "leads",
            "import",
            file("x.csv", "name;city\nA;B\n", StandardCharsets.UTF_8).toString(),
            "--list",
            "s");
    assertThat(noPhone.exit()).isEqualTo(4);
    assertThat(noPhone.err()).contains("line 1", "no phone column", "--map");

    CliRun region = run("leads", "import", xlsx.toString(), "--list", "summer", "--region", "XX");
    assertThat(region.exit()).isEqualTo(2);
    assertThat(region.err()).contains("--region 'XX': not a region code such as DE");

    CliRun missing = run("leads", "import", dir.resolve("nope.csv").toString(), "--list", "summer");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");
  }

  @Test
  void givenDelimiterEncodingAndMappingAreUsed() throws Exception {
    Path csv =
        file(
            "crm.csv",
            "Rufnr|Kunde|Ort\n030 1234567|Müller|Köln\n",
            Charset.forName("windows-1252"));
    CliRun run =
        run(
            "leads",
            "import",
            csv.toString(),
            "--list",
            "crm",
            "--delimiter",
            "|",
            "--encoding",
            "windows-1252",
            "--map",
            "Rufnr=phone",
            "--map",
            "Kunde=last_name",
            "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.json().get("imported").asLong()).isEqualTo(1);
    assertThat(run.json().get("encoding").asText()).isEqualTo("windows-1252");

    CliRun badMap =
        run("leads", "import", csv.toString(), "--list", "crm", "--map", "Rufnr=telefon");
    assertThat(badMap.exit()).isEqualTo(2);
    assertThat(badMap.err()).contains("--map 'Rufnr=telefon': write HEADER=FIELD");
  }

  @Test
  void importForACampaignUsesItsListRegionAndDncLists() throws Exception {
    String campaign =
        """
        name: vienna-sales
        profile: lab
        trunk: carrier
        default_region: AT
        agent_group: lab
        calling_windows:
          mon-sun: 00:00-24:00
        lists: [vienna]
        dnc_lists: [vienna-dnc]
        pacing:
          mode: progressive
        """;
    // Stored as the API stores it, in the data directory's campaigns/.
    Path stored = dir.resolve("data").resolve("campaigns");
    Files.createDirectories(stored);
    Files.writeString(stored.resolve("vienna-sales.yaml"), campaign);
    assertThat(run("dnc", "add", "+43 1 5123456", "--list", "vienna-dnc").exit()).isZero();
    // "01 5123457" is Vienna read as Austrian, and no valid number read as German.
    Path leads = file("wien.csv", "phone\n01 5123457\n+43 1 5123456\n", StandardCharsets.UTF_8);

    CliRun imported =
        run("leads", "import", leads.toString(), "--campaign", "vienna-sales", "--json");
    assertThat(imported.exit()).as(imported.err() + imported.out()).isZero();
    assertThat(imported.json().get("imported").asInt()).isEqualTo(1);
    assertThat(imported.json().get("dnc").asInt()).isEqualTo(1);
    assertThat(run("leads", "count", "--list", "vienna", "--json").json().get("total").asLong())
        .isEqualTo(1);
    // Without the campaign the same file is read as German and rejected whole.
    assertThat(run("leads", "import", leads.toString(), "--list", "other").exit()).isEqualTo(4);

    Path twoLists =
        file(
            "two.yaml",
            campaign.replace("lists: [vienna]", "lists: [vienna, graz]"),
            StandardCharsets.UTF_8);
    CliRun which = run("leads", "import", leads.toString(), "--campaign", twoLists.toString());
    assertThat(which.exit()).isEqualTo(2);
    assertThat(which.err())
        .contains("--campaign " + twoLists + " dials lists [vienna, graz]: name the one");
    CliRun notItsList =
        run(
            "leads",
            "import",
            leads.toString(),
            "--campaign",
            twoLists.toString(),
            "--list",
            "linz");
    assertThat(notItsList.exit()).isEqualTo(2);
    assertThat(notItsList.err())
        .contains("--list 'linz': campaign vienna-sales dials [vienna, graz]");
    CliRun unknown = run("leads", "import", leads.toString(), "--campaign", "winter");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("--campaign 'winter': no such file, and no campaign of that name stored in");
    CliRun neither = run("leads", "import", leads.toString());
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).contains("give the lead list: --list NAME (or --campaign CAMPAIGN)");
  }

  @Test
  void dncEntriesScrubImportsAndCanBeChecked() throws Exception {
    CliRun added = run("dnc", "add", "030 1111111", "+49 30 2222222", "--list", "global", "--json");
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.json().get("added").asInt()).isEqualTo(2);
    Path optouts =
        file("optouts.txt", "030 3333333\r\n0303333333\r\nnonsense\r\n", StandardCharsets.UTF_8);
    CliRun imported = run("dnc", "import", optouts.toString(), "--list", "summer-dnc", "--json");
    assertThat(imported.exit()).isZero();
    assertThat(imported.json().get("added").asInt()).isEqualTo(1);
    assertThat(imported.json().get("invalid").asInt()).isEqualTo(1);
    assertThat(imported.json().get("errors").get(0).get("line").asInt()).isEqualTo(3);

    Path leads =
        file("leads.csv", "phone\n030 1111111\n030 3333333\n030 4444444\n", StandardCharsets.UTF_8);
    CliRun scrubbed =
        run(
            "leads",
            "import",
            leads.toString(),
            "--list",
            "summer",
            "--dnc",
            "summer-dnc",
            "--json");
    assertThat(scrubbed.json().get("dnc").asInt()).isEqualTo(2);
    assertThat(scrubbed.json().get("imported").asInt()).isEqualTo(1);

    CliRun check = run("dnc", "check", "0303333333", "--list", "summer-dnc", "--json");
    assertThat(check.json().get("dnc").asBoolean()).isTrue();
    assertThat(check.json().get("lists").get(0).asText()).isEqualTo("summer-dnc");
  }

  @Test
  void campaignValidateAcceptsTheExamplesAndListsEveryProblemOfABrokenFile() throws Exception {
    CliRun example =
        run("campaign", "validate", "asterisk-config/campaigns/example-strict.yaml", "--json");
    assertThat(example.exit()).as(example.err()).isZero();
    assertThat(example.json().get("valid").asBoolean()).isTrue();

    Path broken =
        file(
            "summer.yaml",
            Files.readString(Path.of("asterisk-config/campaigns/example-strict.yaml"))
                .replace("ring_timeout: 25s", "ring_timeout: 10s")
                .replace("max_abandon_rate: 0.02", "max_abandon_rate: 0.05"),
            StandardCharsets.UTF_8);
    CliRun rejected = run("campaign", "validate", broken.toString());
    assertThat(rejected.exit()).isEqualTo(4);
    assertThat(rejected.err())
        .contains(
            broken + ": pacing.max_abandon_rate: must be ≤ 0.03 in profile strict, was 0.05",
            broken + ": pacing.ring_timeout: must be ≥ 15s in profile strict");
  }

  @Test
  void aGeneratedLabListImportsCleanlyWithEveryPersonaAsAnAttribute() throws Exception {
    Path csv = dir.resolve("bought.csv");
    CliRun generated =
        run(
            "leads",
            "generate",
            "--mix",
            "asterisk-config/personas/demo-mix.yaml",
            "--leads",
            "200",
            "--seed",
            "5",
            "--out",
            csv.toString(),
            "--json");
    assertThat(generated.exit()).as(generated.err()).isZero();
    assertThat(generated.json().get("leads").asInt()).isEqualTo(200);
    assertThat(generated.json().get("personas").get("person").asInt()).isEqualTo(50);

    CliRun imported = run("leads", "import", csv.toString(), "--list", "lab-numbers", "--json");
    assertThat(imported.exit()).as(imported.err()).isZero();
    JsonNode report = imported.json();
    assertThat(report.get("imported").asLong()).isEqualTo(200);
    assertThat(report.get("invalid").asLong()).isZero();
    assertThat(report.get("duplicates").asLong()).isZero();

    CliRun badMix =
        run("leads", "generate", "--mix", csv.toString(), "--out", dir.resolve("x").toString());
    assertThat(badMix.exit()).isEqualTo(4);
    assertThat(badMix.err()).contains("personas");
  }

  @Test
  void campaignWhyCountsTheLeadsByWhatHoldsThemAndExplainsOneLead() throws Exception {
    Path csv = file("why.csv", "phone\n4930999100001\n4930999100002\n", StandardCharsets.UTF_8);
    assertThat(run("leads", "import", csv.toString(), "--list", "lab-numbers").exit()).isZero();
    assertThat(run("dnc", "add", "+4930999100002", "--list", "global").exit()).isZero();
    Path campaign = Path.of("asterisk-config/campaigns/lab-demo.yaml");

    CliRun summary = run("campaign", "why", campaign.toString(), "--json");
    assertThat(summary.exit()).as(summary.err()).isZero();
    JsonNode report = summary.json();
    assertThat(report.get("campaign").asText()).isEqualTo("lab-demo");
    assertThat(report.get("leads").asLong()).isEqualTo(2);
    // The global DNC entry ended one lead; the other waits for its line check (line_check: ping).
    assertThat(report.get("dialable").asLong()).isZero();
    assertThat(report.get("blocked").get("done: DNC").asLong()).isEqualTo(1);
    assertThat(report.get("blocked").get("not line-checked yet").asLong()).isEqualTo(1);

    CliRun one = run("campaign", "why", campaign.toString(), "--lead", "1");
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(one.out()).contains("lead 1 (+4930999100001) is not dialed now:");
    assertThat(one.out()).contains("not line-checked yet (line_check: PING)");

    CliRun missing = run("campaign", "why", campaign.toString(), "--lead", "99");
    assertThat(missing.exit()).isEqualTo(4);
    assertThat(missing.err()).contains("no lead 99");
  }

  @Test
  void whyAndLeadsShowTellOneLeadsStoryWithEveryCallAndItsEvidence() throws Exception {
    Path csv = file("show.csv", "phone\n4930999100003\n", StandardCharsets.UTF_8);
    assertThat(run("leads", "import", csv.toString(), "--list", "lab-numbers").exit()).isZero();
    // A busy call to its number, stored as the engine stores it.
    try (var database = Database.embedded(dir.resolve("data"))) {
      var attempts = new JdbcAttemptStore(database);
      var t = Instant.parse("2026-11-28T10:00:00Z");
      var attempt = attempts.place("lab-demo", "4930999100003", Attempt.Kind.CALL, t);
      attempts.recordResult(
          new AttemptResult(
              attempt,
              DialOutcome.BUSY,
              17,
              486,
              Optional.empty(),
              new Timeline(t, null, null, null, null, null, null, t.plusSeconds(3)),
              Optional.empty(),
              List.of(new Evidence("ChannelDestroyed", t.plusSeconds(3), "cause 17")),
              false));
      // Its line check, as the line checker records it: two audited state changes.
      var leads = new JdbcLeadStore(database);
      leads.apply(1, new LeadEvent.CheckStarted(), t);
      leads.apply(1, new LeadEvent.CheckedLive(), t.plusSeconds(4));
    }

    CliRun show = run("leads", "show", "1", "--json");
    assertThat(show.exit()).as(show.err()).isZero();
    JsonNode lead = show.json();
    assertThat(lead.get("number").asText()).isEqualTo("+4930999100003");
    assertThat(lead.get("state").asText()).isEqualTo("live");
    assertThat(lead.get("history")).hasSize(2);
    assertThat(lead.at("/history/1/detail").asText()).startsWith("CHECKING -> LIVE");
    JsonNode call = lead.get("calls").get(0);
    assertThat(call.get("id").asText()).isEqualTo("pd-lab-demo-000000000001");
    assertThat(call.get("outcome").asText()).isEqualTo("busy");
    assertThat(call.get("cause").asInt()).isEqualTo(17);
    assertThat(call.at("/timeline/ended").asText()).isEqualTo("2026-11-28T10:00:03Z");
    assertThat(call.at("/evidence/0/event").asText()).isEqualTo("ChannelDestroyed");
    CliRun text = run("leads", "show", "1");
    assertThat(text.out()).contains("call pd-lab-demo-000000000001 (call)", ": busy, cause 17");
    assertThat(run("leads", "show", "7").exit()).isEqualTo(4);

    CliRun why = run("why", "1", "--campaign", "asterisk-config/campaigns/lab-demo.yaml", "--json");
    assertThat(why.exit()).as(why.err()).isZero();
    assertThat(why.json().get("dialable").asBoolean()).as(why.out()).isTrue();
    assertThat(why.json().get("reasons")).isEmpty();
  }
}
