package org.pingdialer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadEvent.WaitReason;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.LabRuns;

/** Redial triggers in Quartz's JDBC job store on the embedded H2 database (PostgreSQL below). */
class QuartzRedialsIT {
  private Database database;
  private QuartzRedials redials;
  private final List<String> fired = new CopyOnWriteArrayList<>();

  protected Database openDatabase() {
    return LabRuns.database("h2-quartz-");
  }

  private QuartzRedials start() {
    return QuartzRedials.start(
        database,
        (campaign, lead, reason, at) -> fired.add(campaign + " lead " + lead + " " + reason));
  }

  @AfterEach
  void close() {
    if (redials != null) {
      redials.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aRedialFiresOnceAtItsTimeWithItsIds() throws Exception {
    database = openDatabase();
    redials = start();
    redials.schedule("summer", 42, WaitReason.REDIAL, Instant.now().plusSeconds(1));
    assertThat(redials.pending("summer")).extracting(QuartzRedials.Pending::leadId).contains(42L);

    await().atMost(Duration.ofSeconds(10)).until(() -> !fired.isEmpty());
    Thread.sleep(1_500);
    assertThat(fired).containsExactly("summer lead 42 REDIAL");
    assertThat(redials.pending("summer")).isEmpty();
  }

  @Test
  void twoCampaignsSchedulersOnOneDatabaseFireOnlyTheirOwnTriggers() throws Exception {
    database = openDatabase();
    List<String> winterFired = new CopyOnWriteArrayList<>();
    redials =
        QuartzRedials.forCampaign(
            database, "summer", (c, lead, reason, at) -> fired.add(c + " lead " + lead));
    try (var winter =
        QuartzRedials.forCampaign(
            database, "winter", (c, lead, reason, at) -> winterFired.add(c + " lead " + lead))) {
      redials.schedule("summer", 1, WaitReason.REDIAL, Instant.now().plusSeconds(1));
      winter.schedule("winter", 2, WaitReason.REDIAL, Instant.now().plusSeconds(1));
      assertThat(redials.pending("winter")).isEmpty(); // not its scheduler's
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !fired.isEmpty() && !winterFired.isEmpty());
      Thread.sleep(1_500);
      assertThat(fired).containsExactly("summer lead 1");
      assertThat(winterFired).containsExactly("winter lead 2");
    }
  }

  @Test
  void aTriggerSurvivesARestartOfTheControllerAndFiresOnce() throws Exception {
    database = openDatabase();
    redials = start();
    redials.schedule("summer", 7, WaitReason.CALLBACK, Instant.now().plusSeconds(2));
    redials.close(); // the controller stops before the callback is due
    redials = null;
    Thread.sleep(3_000);
    assertThat(fired).isEmpty();

    redials = start(); // a new scheduler on the same database
    await().atMost(Duration.ofSeconds(10)).until(() -> !fired.isEmpty());
    Thread.sleep(1_500);
    assertThat(fired).containsExactly("summer lead 7 CALLBACK");
  }

  @Test
  void schedulingALeadAgainMovesItsTriggerAndCancelDropsIt() throws Exception {
    database = openDatabase();
    redials = start();
    Instant later = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    redials.schedule("summer", 1, WaitReason.REDIAL, Instant.now().plus(Duration.ofHours(1)));
    redials.schedule("summer", 1, WaitReason.AGENT_REDIAL, later);
    redials.schedule("summer", 2, WaitReason.REDIAL, Instant.now().plus(Duration.ofHours(3)));
    assertThat(redials.pending("summer"))
        .containsExactly(
            new QuartzRedials.Pending("summer", 1, WaitReason.AGENT_REDIAL, later),
            new QuartzRedials.Pending(
                "summer", 2, WaitReason.REDIAL, redials.pending("summer").get(1).at()));
    redials.cancel("summer", 2);
    assertThat(redials.pending("summer"))
        .extracting(QuartzRedials.Pending::leadId)
        .containsExactly(1L);
    assertThat(redials.pending("autumn")).isEmpty();
  }

  @Test
  void rebuildGivesEveryWaitingLeadItsTriggerFromTheLeadTable() {
    database = openDatabase();
    var leads = new JdbcLeadStore(database);
    Instant t = Instant.now();
    var parser = new PhoneNumbers("DE");
    try (var session = leads.beginImport("summer", "DE", "x.csv", t)) {
      session.add(
          List.of(
              new NewLead(
                  2,
                  ((PhoneNumbers.Parsed.Valid) parser.parse("030 1000001")).number(),
                  Contact.none(),
                  Map.of()),
              new NewLead(
                  3,
                  ((PhoneNumbers.Parsed.Valid) parser.parse("030 1000002")).number(),
                  Contact.none(),
                  Map.of())));
      session.commit(new LeadStore.ImportCounts(2, 2, 0, 0, 0, 0));
    }
    Instant due = t.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    Lead first = leads.leadsOf("summer", 1).getFirst();
    leads.apply(first.id(), new LeadEvent.Claimed("summer", "d1"), t);
    leads.apply(first.id(), new LeadEvent.DialStarted(), t);
    leads.apply(first.id(), new LeadEvent.Scheduled(WaitReason.REDIAL, due, Optional.empty()), t);

    redials = start();
    assertThat(redials.rebuild("summer", leads.waiting("summer"))).isEqualTo(1);
    assertThat(redials.pending("summer"))
        .containsExactly(new QuartzRedials.Pending("summer", first.id(), WaitReason.REDIAL, due));
    assertThat(redials.rebuild("summer", leads.waiting("summer"))).isZero();
  }
}
