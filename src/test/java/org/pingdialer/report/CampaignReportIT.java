package org.pingdialer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.lead.CsvReader;
import org.pingdialer.lead.CsvRecord;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcReportData;
import org.pingdialer.testing.LabRuns;

/**
 * A campaign report of a history written through the real stores (H2 here, PostgreSQL in the
 * subclass): the numbers, the abandon rate as the governor computes it, a call outside the window,
 * and the three renderings.
 */
class CampaignReportIT {
  private Database database;
  private ReportFixture fixture;
  private CampaignReports reports;

  protected Database openDatabase() {
    return LabRuns.database("h2-report-");
  }

  @BeforeEach
  void fill() {
    database = openDatabase();
    fixture = ReportFixture.fill(database);
    reports =
        new CampaignReports(
            new JdbcReportData(database), new JdbcAttemptStore(database), Persona.goats());
  }

  @AfterEach
  void close() {
    database.close();
  }

  private CampaignReport report() {
    return reports.build(ReportFixture.campaign(), Optional.empty(), ReportFixture.NOW);
  }

  @Test
  void outcomesLeadsAndAgentsAreCountedFromTheStore() {
    CampaignReport report = report();

    var outcomes = report.outcomes();
    assertThat(outcomes.calls()).isEqualTo(13);
    assertThat(outcomes.lineChecks()).isEqualTo(1);
    assertThat(outcomes.inFlight()).isEqualTo(1);
    assertThat(outcomes.connectedToAgent()).isEqualTo(3);
    assertThat(outcomes.byOutcome())
        .containsEntry(DialOutcome.ANSWERED, 3L)
        .containsEntry(DialOutcome.ABANDONED, 4L)
        .containsEntry(DialOutcome.MACHINE, 1L)
        .containsEntry(DialOutcome.BUSY, 1L)
        .containsEntry(DialOutcome.NO_ANSWER, 3L)
        .containsEntry(DialOutcome.FAILED, 0L)
        .hasSize(DialOutcome.values().length);
    assertThat(outcomes.lineChecksByOutcome()).containsEntry(DialOutcome.NO_ANSWER, 1L);

    assertThat(report.leads().total()).isEqualTo(16);
    assertThat(report.leads().byState())
        .containsEntry(LeadState.NEW, 13L)
        .containsEntry(LeadState.DONE, 2L)
        .containsEntry(LeadState.WAITING, 1L);
    assertThat(report.leads().doneByReason())
        .containsEntry(LeadEvent.DoneReason.SALE, 1L)
        .containsEntry(LeadEvent.DoneReason.REFUSED, 1L)
        .containsEntry(LeadEvent.DoneReason.DNC, 0L);

    assertThat(report.agents())
        .containsExactly(
            new CampaignReport.AgentLine(
                "agent1",
                2,
                Duration.ofSeconds(90),
                Duration.ofSeconds(15),
                Map.of("refused", 1L, "sale", 1L)),
            new CampaignReport.AgentLine(
                "agent2",
                1,
                Duration.ofSeconds(45),
                Duration.ofSeconds(20),
                Map.of("callback", 1L)));
  }

  @Test
  void theAbandonRateIsTheGovernorsOnBothWindows() {
    var abandon = report().compliance().abandonRate();
    AbandonGovernor governor = fixture.governor();

    assertThat(abandon.last24h().rate())
        .isEqualTo(governor.window(ReportFixture.NOW, AbandonGovernor.DAY).rate());
    assertThat(abandon.last30d().rate())
        .isEqualTo(governor.window(ReportFixture.NOW, AbandonGovernor.MONTH).rate());
    // 24 h: 3 answered, 3 abandoned (the one 10 days ago is out), the machine not counted as a
    // person (no AMD yet, so the UK share is 0); 30 days: 4 of 7.
    assertThat(abandon.last24h()).isEqualTo(new CampaignReport.Window(3, 3, 1, 0.5));
    assertThat(abandon.last30d().abandoned()).isEqualTo(4);
    assertThat(abandon.last30d().rate()).isCloseTo(4.0 / 7, within(1e-12));
    assertThat(abandon.cap()).contains(0.03);
    assertThat(abandon.machineShare()).isZero();
  }

  @Test
  void dropMessagesRingTimesAndCallingWindowsAreRecomputed() {
    var compliance = report().compliance();

    var drops = compliance.dropMessages();
    assertThat(drops.abandoned()).isEqualTo(4);
    assertThat(drops.played()).isEqualTo(3);
    assertThat(drops.silent()).isEqualTo(1);
    assertThat(drops.overDeadline()).isEqualTo(1);
    assertThat(drops.latency())
        .contains(
            new CampaignReport.Spread(
                Duration.ofMillis(900), Duration.ofMillis(2500), Duration.ofMillis(2500)));

    var rings = compliance.ringTimes();
    assertThat(rings.unanswered()).isEqualTo(4);
    assertThat(rings.belowMinimum()).isEqualTo(2);
    assertThat(rings.belowMinimumByOutcome()).containsEntry(DialOutcome.NO_ANSWER, 2L);
    assertThat(rings.histogramSeconds())
        .extracting(CampaignReport.Bucket::count)
        .containsExactly(1L, 0L, 0L, 1L, 1L, 1L, 0L);

    var windows = compliance.callingWindows();
    assertThat(windows.checked()).isEqualTo(14);
    assertThat(windows.outside()).isEqualTo(1);
    assertThat(windows.zoneUnknown()).isZero();
    assertThat(windows.outsideCalls()).hasSize(1);
    assertThat(windows.outsideCalls().getFirst().placedAt()).isEqualTo(ReportFixture.BEFORE_WINDOW);
    assertThat(windows.outsideCalls().getFirst().localTimes())
        .containsExactly("Europe/Berlin Fri 06:30:00");
  }

  @Test
  void aNumberOnNoListIsCheckedInTheZoneOfItsNumber() {
    // Sunday 13:00 in Berlin: the campaign does not call on Sundays.
    new JdbcAttemptStore(database)
        .place(
            ReportFixture.NAME,
            "493012345678",
            Attempt.Kind.CALL,
            Instant.parse("2026-11-29T12:00:00Z"));
    var windows = report().compliance().callingWindows();
    assertThat(windows.checked()).isEqualTo(15);
    assertThat(windows.outside()).isEqualTo(2);
    assertThat(windows.outsideCalls().get(1).localTimes())
        .containsExactly("Europe/Berlin Sun 13:00:00");
  }

  @Test
  void sinceLeavesOutOlderAttemptsButNotTheAbandonWindows() {
    var report =
        reports.build(
            ReportFixture.campaign(),
            Optional.of(ReportFixture.T.minus(Duration.ofHours(1))),
            ReportFixture.NOW);
    assertThat(report.outcomes().calls()).isEqualTo(11);
    assertThat(report.compliance().callingWindows().outside()).isZero();
    assertThat(report.compliance().dropMessages().abandoned()).isEqualTo(3);
    assertThat(report.compliance().abandonRate().last30d().abandoned()).isEqualTo(4);
  }

  @Test
  void jsonHasTheDocumentedKeysAndNumbers() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(report()));
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "campaign",
            "profile",
            "generatedAt",
            "since",
            "outcomes",
            "leads",
            "agents",
            "compliance",
            "notRecorded");
    assertThat(json.at("/outcomes/byOutcome/ABANDONED").asLong()).isEqualTo(4);
    assertThat(json.at("/agents/0/talkSeconds").asDouble()).isEqualTo(90.0);
    assertThat(json.at("/compliance/abandonRate/last24h/rate").asDouble()).isEqualTo(0.5);
    assertThat(json.at("/compliance/abandonRate/last24h/overCap").asBoolean()).isTrue();
    assertThat(json.at("/compliance/dropMessages/latencyMs/p50Ms").asLong()).isEqualTo(900);
    assertThat(json.at("/compliance/ringTimes/belowMinimum").asLong()).isEqualTo(2);
    assertThat(json.at("/compliance/callingWindows/outside").asLong()).isEqualTo(1);
    assertThat(json.at("/compliance/goatHold/recorded").asBoolean()).isTrue();
    assertThat(json.at("/compliance/goatHold/calls").asLong()).isZero(); // no goat number here
    assertThat(json.at("/since").isNull()).isTrue();
  }

  @Test
  void csvParsesBackToTheSameNumbers() throws Exception {
    String csv = ReportFormat.CSV.render(report());
    Map<String, String> values = new HashMap<>();
    try (var reader = new CsvReader(new StringReader(csv), ',', "report.csv")) {
      CsvRecord header = reader.next().orElseThrow();
      assertThat(header.fields()).containsExactly("section", "item", "measure", "value");
      for (Optional<CsvRecord> row = reader.next(); row.isPresent(); row = reader.next()) {
        List<String> f = row.get().fields();
        assertThat(f).hasSize(4);
        assertThat(values.put(f.get(0) + "/" + f.get(1) + "/" + f.get(2), f.get(3)))
            .as("one row per section/item/measure")
            .isNull();
      }
    }
    assertThat(values)
        .containsEntry("outcome/ABANDONED/calls", "4")
        .containsEntry("outcome/all/calls", "13")
        .containsEntry("lead_state/NEW/leads", "13")
        .containsEntry("agent/agent1/talk_seconds", "90.0")
        .containsEntry("agent/agent1/disposition_sale", "1")
        .containsEntry("abandon/24h/rate", "0.5")
        .containsEntry("drop_message/all/over_deadline", "1")
        .containsEntry("ring_time/all/below_minimum", "2")
        .containsEntry("ring_seconds/0-2/unanswered", "1")
        .containsEntry("calling_window/all/outside", "1")
        .containsEntry(
            "outside_window/" + outsideAttempt() + "/placed_at",
            ReportFixture.BEFORE_WINDOW.toString());
  }

  private long outsideAttempt() {
    return report().compliance().callingWindows().outsideCalls().getFirst().attempt();
  }

  @Test
  void htmlIsOneSelfContainedPageWithItsCharts() {
    String html = ReportFormat.HTML.render(report());
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "src=");
    assertThat(html)
        .contains(
            "aria-label=\"Abandon rate (%) against the cap\"",
            "aria-label=\"Ring time of unanswered attempts (s)\"",
            "aria-label=\"Drop message latency after the answer (ms)\"",
            "aria-label=\"Calls by outcome\"",
            "aria-label=\"Leads by state\"",
            "aria-label=\"Talk and wrap time per agent (s)\"");
    assertThat(html.split("<svg", -1)).hasSize(1 + 8);
    assertThat(html).contains("Calls outside the calling windows: <span class=\"bad\">1</span>");
  }
}
