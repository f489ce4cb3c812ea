package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.Disposition;
import org.pingdialer.agent.DispositionStore;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.testing.LabRuns;

/** Filing dispositions on the embedded H2 database (PostgreSQL in the subclass). */
class JdbcDispositionStoreIT {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  private Database database;
  private JdbcLeadStore leads;
  private JdbcAttemptStore attempts;
  private JdbcDispositionStore dispositions;

  protected Database openDatabase() {
    return LabRuns.database("h2-");
  }

  private void open() {
    database = openDatabase();
    leads = new JdbcLeadStore(database);
    attempts = new JdbcAttemptStore(database);
    dispositions = new JdbcDispositionStore(database);
  }

  @AfterEach
  void close() {
    if (database != null) {
      database.close();
    }
  }

  /** A lead of {@code list} being called: imported, checked live, claimed, dialed. */
  private Lead dialing(String list, String number) {
    var parsed = ((PhoneNumbers.Parsed.Valid) new PhoneNumbers("DE").parse(number)).number();
    try (var session = leads.beginImport(list, "DE", "x.csv", T)) {
      session.add(List.of(new NewLead(2, parsed, Contact.none(), Map.of())));
      session.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
    }
    long id = leads.leadsOf(list, 1).getFirst().id();
    leads.apply(id, new LeadEvent.CheckStarted(), T);
    leads.apply(id, new LeadEvent.CheckedLive(), T);
    leads.apply(id, new LeadEvent.Claimed("c1", "dialer-1"), T);
    return leads.apply(id, new LeadEvent.DialStarted(), T);
  }

  private AttemptKey call(Lead lead) {
    return attempts.place("c1", lead.dialDigits(), Attempt.Kind.CALL, T).key();
  }

  @Test
  void aSaleEndsTheLeadIsStoredOnceAndAudited() {
    open();
    Lead lead = dialing("summer", "030 1000001");
    AttemptKey key = call(lead);
    var sale =
        new DispositionStore.Filing(
            key,
            lead.id(),
            "agent1",
            new Disposition.Sale(),
            new LeadEvent.Finished(LeadEvent.DoneReason.SALE),
            "global",
            T.plusSeconds(90));

    dispositions.file(sale);

    assertThat(dispositions.of(key)).contains(new Disposition.Sale());
    Lead done = leads.find(lead.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(LeadState.DONE);
    assertThat(done.doneReason()).contains(LeadEvent.DoneReason.SALE);
    assertThat(new JdbcAuditLog(database).entriesAbout("attempt:" + key.channelId()))
        .extracting(e -> e.action() + ": " + e.detail())
        .contains("disposition: sale by agent1 for lead " + lead.id());
    assertThatThrownBy(() -> dispositions.file(sale))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already filed as sale");
    assertThat(dispositions.codesBy("agent1")).containsExactly("sale");
  }

  @Test
  void aCallbackWaitsForItsTimeFirstInLine() {
    open();
    Lead lead = dialing("summer", "030 1000001");
    AttemptKey key = call(lead);
    Instant at = T.plusSeconds(86_400);
    var callback = new Disposition.Callback(at, Optional.of("agent1"));
    dispositions.file(
        new DispositionStore.Filing(
            key,
            lead.id(),
            "agent1",
            callback,
            new LeadEvent.Scheduled(LeadEvent.WaitReason.CALLBACK, at, Optional.of("agent1")),
            "global",
            T));
    Lead waiting = leads.find(lead.id()).orElseThrow();
    assertThat(waiting.state()).isEqualTo(LeadState.WAITING);
    assertThat(waiting.dueAt()).contains(at);
    assertThat(waiting.callbackAgent()).contains("agent1");
    assertThat(dispositions.of(key)).contains(callback);
  }

  @Test
  void aDoNotCallGoesOnTheListAtOnceAndAGlobalOneEndsTheNumbersOtherLeads() {
    open();
    Lead lead = dialing("summer", "030 1000001");
    // another list holds the number of the second call below
    var parsed = ((PhoneNumbers.Parsed.Valid) new PhoneNumbers("DE").parse("030 1000003")).number();
    try (var session = leads.beginImport("winter", "DE", "x.csv", T)) {
      session.add(List.of(new NewLead(2, parsed, Contact.none(), Map.of())));
      session.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
    }
    long other = leads.leadsOf("winter", 1).getFirst().id();

    dispositions.file(
        new DispositionStore.Filing(
            call(lead),
            lead.id(),
            "agent1",
            new Disposition.DoNotCall(),
            new LeadEvent.Finished(LeadEvent.DoneReason.DNC),
            "summer-dnc",
            T));
    assertThat(leads.dncListsHolding("+49301000001", List.of("summer-dnc")))
        .containsExactly("summer-dnc");
    assertThat(leads.find(other).orElseThrow().state()).isEqualTo(LeadState.NEW);

    Lead second = dialing("spring", "030 1000003");
    dispositions.file(
        new DispositionStore.Filing(
            call(second),
            second.id(),
            "agent2",
            new Disposition.DoNotCall(),
            new LeadEvent.Finished(LeadEvent.DoneReason.DNC),
            LeadStore.GLOBAL_DNC,
            T));
    assertThat(leads.dncListsHolding("+49301000003", List.of())).containsExactly("global");
    Lead ended = leads.find(other).orElseThrow();
    assertThat(ended.state()).isEqualTo(LeadState.DONE);
    assertThat(ended.doneReason()).contains(LeadEvent.DoneReason.DNC);
  }

  @Test
  void aFilingTheLeadCannotTakeStoresNothing() {
    open();
    Lead lead = dialing("summer", "030 1000001");
    AttemptKey key = call(lead);
    leads.apply(lead.id(), new LeadEvent.Finished(LeadEvent.DoneReason.REFUSED), T);
    assertThatThrownBy(
            () ->
                dispositions.file(
                    new DispositionStore.Filing(
                        key,
                        lead.id(),
                        "agent1",
                        new Disposition.Sale(),
                        new LeadEvent.Finished(LeadEvent.DoneReason.SALE),
                        "global",
                        T)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(dispositions.of(key)).isEmpty();
  }
}
