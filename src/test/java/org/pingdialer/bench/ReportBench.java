package org.pingdialer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Timeline;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.report.CampaignReport;
import org.pingdialer.report.CampaignReports;
import org.pingdialer.report.ReportFormat;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.store.JdbcReportData;

/**
 * How long a campaign report takes on the embedded H2 database with many leads and attempts. Run by
 * {@code bench/report.sh LEADS ATTEMPTS}; fills a fresh database through the real stores (seeded),
 * then times the report's build and each rendering, three times, and prints a Markdown row.
 */
public final class ReportBench {
  private ReportBench() {}

  public static void main(String[] args) throws Exception {
    int leadCount = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int attemptCount = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    // A third argument reuses a database an earlier run filled (its directory).
    boolean reuse = args.length > 2;
    Path dir =
        reuse ? Path.of(args[2]) : Files.createTempDirectory(Path.of("target"), "bench-report-");
    System.err.println("database in " + dir);
    Campaign campaign =
        CampaignFiles.parse(
            """
            name: bench
            profile: lab
            lists: [bought]
            trunk: carrier
            default_region: DE
            agent_group: lab
            calling_windows:
              mon-sun: 08:00-21:00
            pacing: {mode: progressive, ring_timeout: 20s}
            line_check: off
            """,
            "bench.yaml");
    try (Database database = Database.embedded(dir)) {
      var leads = new JdbcLeadStore(database);
      var attempts = new JdbcAttemptStore(database);
      var parser = new PhoneNumbers("DE");
      List<String> digits = new ArrayList<>();
      long fill = System.nanoTime();
      if (!reuse) {
        try (var session = leads.beginImport("bought", "DE", "bench.csv", Instant.now())) {
          List<NewLead> chunk = new ArrayList<>();
          for (int i = 0; i < leadCount; i++) {
            var number =
                ((PhoneNumbers.Parsed.Valid) parser.parse("030 " + (20_000_000 + i))).number();
            digits.add(number.e164().substring(1));
            chunk.add(new NewLead(i + 2L, number, Contact.none(), Map.of()));
            if (chunk.size() == 5000) {
              session.add(chunk);
              chunk.clear();
            }
          }
          session.add(chunk);
          session.commit(new LeadStore.ImportCounts(leadCount, leadCount, 0, 0, 0, 0));
        }
        var random = new Random(1);
        Instant start = Instant.now().minus(Duration.ofDays(20));
        DialOutcome[] outcomes = {
          DialOutcome.ANSWERED, DialOutcome.ABANDONED, DialOutcome.NO_ANSWER, DialOutcome.BUSY
        };
        for (int i = 0; i < attemptCount; i++) {
          Instant placed = start.plusSeconds(i * 60L);
          Attempt attempt =
              attempts.place(
                  "bench", digits.get(random.nextInt(digits.size())), Attempt.Kind.CALL, placed);
          DialOutcome outcome = outcomes[random.nextInt(outcomes.length)];
          Instant ringing = placed.plusSeconds(1);
          Instant answered =
              outcome == DialOutcome.ANSWERED || outcome == DialOutcome.ABANDONED
                  ? ringing.plusSeconds(random.nextInt(15))
                  : null;
          Instant bridged = outcome == DialOutcome.ANSWERED ? answered.plusMillis(100) : null;
          Instant drop = outcome == DialOutcome.ABANDONED ? answered.plusMillis(800) : null;
          Instant end = placed.plusSeconds(30);
          attempts.recordResult(
              new AttemptResult(
                  attempt,
                  outcome,
                  16,
                  null,
                  Optional.empty(),
                  new Timeline(placed, placed, ringing, null, answered, bridged, drop, end),
                  bridged == null ? Optional.empty() : Optional.of("agent" + random.nextInt(20)),
                  List.of(),
                  false));
        }
      }
      System.err.printf(
          "filled (or reused) %,d leads and %,d attempts in %d s%n",
          leadCount, attemptCount, Duration.ofNanos(System.nanoTime() - fill).toSeconds());
      var data = new JdbcReportData(database);
      long t = System.nanoTime();
      int rows = data.calls("bench", campaign.lists(), Instant.EPOCH).size();
      System.err.printf("calls: %d rows in %d ms%n", rows, (System.nanoTime() - t) / 1_000_000);
      t = System.nanoTime();
      rows = data.calls("bench", List.of(), Instant.EPOCH).size();
      System.err.printf(
          "calls without zones: %d rows in %d ms%n", rows, (System.nanoTime() - t) / 1_000_000);
      t = System.nanoTime();
      data.leads(campaign.lists());
      System.err.printf("lead counts in %d ms%n", (System.nanoTime() - t) / 1_000_000);
      t = System.nanoTime();
      rows = attempts.endedSince("bench", Instant.now().minus(Duration.ofDays(30))).size();
      System.err.printf("ended: %d rows in %d ms%n", rows, (System.nanoTime() - t) / 1_000_000);
      var reports = new CampaignReports(data, attempts, Persona.goats());
      long build = Long.MAX_VALUE;
      long[] render = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
      int[] sizes = new int[3];
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        CampaignReport report = reports.build(campaign, Optional.empty(), Instant.now());
        build = Math.min(build, System.nanoTime() - t0);
        ReportFormat[] formats = ReportFormat.values();
        for (int f = 0; f < formats.length; f++) {
          long t1 = System.nanoTime();
          sizes[f] = formats[f].render(report).length();
          render[f] = Math.min(render[f], System.nanoTime() - t1);
        }
      }
      System.out.printf(
          "| %,d | %,d | %d | %d / %d / %d | %,d / %,d / %,d |%n",
          leadCount,
          attemptCount,
          build / 1_000_000,
          render[0] / 1_000_000,
          render[1] / 1_000_000,
          render[2] / 1_000_000,
          sizes[0],
          sizes[1],
          sizes[2]);
    }
  }
}
