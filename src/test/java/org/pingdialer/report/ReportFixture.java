package org.pingdialer.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.agent.Disposition;
import org.pingdialer.agent.DispositionStore;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Evidence;
import org.pingdialer.call.LineCheckResult;
import org.pingdialer.call.Timeline;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcDispositionStore;
import org.pingdialer.store.JdbcLeadStore;

/**
 * A strict campaign's history written through the real stores, with the numbers a report of it must
 * show: three calls to agents (two filed and finished, one callback), three abandons in the last 24
 * h (message after 0.8 s, message after 2.5 s, silent) and one ten days ago, a machine, a busy
 * number, unanswered calls ringing 20 s, 10 s and (outside the calling window) 16 s, a line check
 * released after 1 s, and a call still in flight.
 */
public final class ReportFixture {
  public static final String NAME = "report-it";

  /** Friday 2026-11-27 11:00 in Berlin. */
  public static final Instant T = Instant.parse("2026-11-27T10:00:00Z");

  /** When the report is made. */
  public static final Instant NOW = T.plus(Duration.ofHours(2));

  /** 06:30 in Berlin, before the window opens at 08:00. */
  public static final Instant BEFORE_WINDOW = Instant.parse("2026-11-27T05:30:00Z");

  public static final Instant TEN_DAYS_AGO = T.minus(Duration.ofDays(10));

  public static final String YAML =
      """
      name: report-it
      profile: strict
      lists: [bought]
      trunk: carrier
      default_region: DE
      caller_id: "+49 30 9990000000"
      calling_windows:
        mon-sat: 08:00-21:00
        sun: []
      attempt_caps:
        per_24h: 3
        lifetime: 6
      pacing:
        mode: progressive
        ring_timeout: 20s
      line_check: full
      drop_message:
        sound: vm-nobodyavail
        deadline: 2s
      agent_group: lab-agents
      wrap_up: 5s
      """;

  private final JdbcLeadStore leads;
  private final JdbcAttemptStore attempts;
  private final JdbcDispositionStore dispositions;
  private final List<Lead> bought = new ArrayList<>();
  private int next;

  /** What the governor is fed: the ended calls' outcomes and end times, as the loop feeds it. */
  private final List<Ended> ended = new ArrayList<>();

  /** An ended call as the governor hears of it. */
  private record Ended(DialOutcome outcome, Instant at) {}

  private ReportFixture(Database database) {
    leads = new JdbcLeadStore(database);
    attempts = new JdbcAttemptStore(database);
    dispositions = new JdbcDispositionStore(database);
  }

  public static Campaign campaign() {
    try {
      return CampaignFiles.parse(YAML, "report-it.yaml");
    } catch (CampaignFileException e) {
      throw new IllegalStateException(e.problems().toString(), e);
    }
  }

  /** Writes the campaign file into {@code dir} (for the CLI's --campaigns). */
  public static Path writeCampaignFile(Path dir) throws IOException {
    return Files.writeString(dir.resolve("report-it.yaml"), YAML);
  }

  /** Fills {@code database} with the history described in the class comment. */
  public static ReportFixture fill(Database database) {
    var fixture = new ReportFixture(database);
    fixture.write();
    return fixture;
  }

  private void write() {
    var parser = new PhoneNumbers("DE");
    try (var session =
        leads.beginImport("bought", "DE", "bought.csv", T.minus(Duration.ofDays(20)))) {
      List<NewLead> rows = new ArrayList<>();
      for (int i = 1; i <= 16; i++) {
        var number = ((PhoneNumbers.Parsed.Valid) parser.parse("030 10000" + (10 + i))).number();
        rows.add(new NewLead(i + 1L, number, Contact.none(), Map.of()));
      }
      session.add(rows);
      session.commit(new LeadStore.ImportCounts(16, 16, 0, 0, 0, 0));
    }
    bought.addAll(leads.leadsOf("bought", 100));

    // Three calls to agents: talk 60 s / 30 s / 45 s, filed 10 s / 5 s / 20 s after the end.
    var sale = agentCall(T, "agent1", 60);
    file(
        sale,
        "agent1",
        new Disposition.Sale(),
        new LeadEvent.Finished(LeadEvent.DoneReason.SALE),
        10);
    var refused = agentCall(T.plusSeconds(300), "agent1", 30);
    file(
        refused,
        "agent1",
        new Disposition.Refused(),
        new LeadEvent.Finished(LeadEvent.DoneReason.REFUSED),
        5);
    var callback = agentCall(T.plusSeconds(600), "agent2", 45);
    Instant at = T.plus(Duration.ofDays(1));
    file(
        callback,
        "agent2",
        new Disposition.Callback(at, Optional.empty()),
        new LeadEvent.Scheduled(LeadEvent.WaitReason.CALLBACK, at, Optional.empty()),
        20);

    // Abandons: the message 800 ms and 2.5 s after the answer, a silent one, and one 10 days ago.
    abandoned(T.plusSeconds(900), Optional.of(Duration.ofMillis(800)));
    abandoned(T.plusSeconds(960), Optional.of(Duration.ofMillis(2500)));
    abandoned(T.plusSeconds(1020), Optional.empty());
    abandoned(TEN_DAYS_AGO, Optional.of(Duration.ofMillis(900)));

    unanswered(T.plusSeconds(1200), Attempt.Kind.CALL, DialOutcome.MACHINE, 3, true);
    unanswered(T.plusSeconds(1300), Attempt.Kind.CALL, DialOutcome.BUSY, 0, false);
    unanswered(T.plusSeconds(1400), Attempt.Kind.CALL, DialOutcome.NO_ANSWER, 20, false);
    unanswered(T.plusSeconds(1500), Attempt.Kind.CALL, DialOutcome.NO_ANSWER, 10, false);
    unanswered(BEFORE_WINDOW, Attempt.Kind.CALL, DialOutcome.NO_ANSWER, 16, false);
    unanswered(T.plusSeconds(1600), Attempt.Kind.LINE_CHECK, DialOutcome.NO_ANSWER, 1, false);
    attempts.place(NAME, lead().dialDigits(), Attempt.Kind.CALL, T.plusSeconds(1700)); // in flight
  }

  private Lead lead() {
    return bought.get(next++);
  }

  private record Placed(Attempt attempt, Lead lead, Instant ended) {}

  private Placed agentCall(Instant placed, String agent, int talkSeconds) {
    Lead lead = lead();
    leads.apply(lead.id(), new LeadEvent.CheckStarted(), placed);
    leads.apply(lead.id(), new LeadEvent.CheckedLive(), placed);
    leads.apply(lead.id(), new LeadEvent.Claimed(NAME, "dialer-1"), placed);
    leads.apply(lead.id(), new LeadEvent.DialStarted(), placed);
    Attempt attempt = attempts.place(NAME, lead.dialDigits(), Attempt.Kind.CALL, placed);
    Instant answered = placed.plusSeconds(5);
    Instant bridged = answered.plusMillis(100);
    Instant ended = bridged.plusSeconds(talkSeconds);
    result(
        attempt,
        DialOutcome.ANSWERED,
        new Timeline(placed, placed, placed.plusSeconds(1), null, answered, bridged, null, ended),
        Optional.of(agent));
    return new Placed(attempt, lead, ended);
  }

  private void file(
      Placed call, String agent, Disposition disposition, LeadEvent event, int afterSeconds) {
    dispositions.file(
        new DispositionStore.Filing(
            call.attempt().key(),
            call.lead().id(),
            agent,
            disposition,
            event,
            LeadStore.GLOBAL_DNC,
            call.ended().plusSeconds(afterSeconds)));
  }

  private void abandoned(Instant placed, Optional<Duration> message) {
    Attempt attempt = attempts.place(NAME, lead().dialDigits(), Attempt.Kind.CALL, placed);
    Instant answered = placed.plusSeconds(4);
    result(
        attempt,
        DialOutcome.ABANDONED,
        new Timeline(
            placed,
            placed,
            placed.plusSeconds(1),
            null,
            answered,
            null,
            message.map(answered::plus).orElse(null),
            answered.plusSeconds(8)),
        Optional.empty());
  }

  private void unanswered(
      Instant placed, Attempt.Kind kind, DialOutcome outcome, int ringSeconds, boolean answered) {
    Attempt attempt = attempts.place(NAME, lead().dialDigits(), kind, placed);
    Instant ringing = ringSeconds == 0 ? null : placed.plusSeconds(1);
    Instant end = placed.plusSeconds(1 + ringSeconds);
    result(
        attempt,
        outcome,
        new Timeline(
            placed, placed, ringing, null, answered ? end : null, null, null, end.plusMillis(10)),
        Optional.empty());
  }

  private void result(
      Attempt attempt, DialOutcome outcome, Timeline timeline, Optional<String> agent) {
    attempts.recordResult(
        new AttemptResult(
            attempt,
            outcome,
            16,
            null,
            attempt.kind() == Attempt.Kind.LINE_CHECK
                ? Optional.of(LineCheckResult.LIVE)
                : Optional.empty(),
            timeline,
            agent,
            List.of(new Evidence("ChannelDestroyed", timeline.endedAt(), "cause 16")),
            false));
    if (attempt.kind() == Attempt.Kind.CALL) {
      ended.add(new Ended(outcome, timeline.endedAt()));
    }
  }

  /** The governor fed by hand with what this fixture wrote, with the campaign's limits. */
  public AbandonGovernor governor() {
    var governor = new AbandonGovernor(AbandonGovernor.Limits.of(campaign()).orElseThrow());
    ended.forEach(e -> governor.record(e.outcome(), e.at()));
    return governor;
  }
}
