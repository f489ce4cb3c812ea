package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.Attempt;
import org.pingdialer.lead.ClaimRequest;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.LeadStoreContract;

/** The lead store on the embedded H2 file database, through the real migrations. */
class JdbcLeadStoreIT extends LeadStoreContract {
  private final List<Database> opened = new ArrayList<>();
  private final IdentityHashMap<LeadStore, Database> databases = new IdentityHashMap<>();

  protected Database openDatabase() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "h2-");
      return Database.embedded(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected LeadStore newStore() {
    Database database = openDatabase();
    opened.add(database);
    var store = new JdbcLeadStore(database);
    databases.put(store, database);
    return store;
  }

  @Override
  protected void recordCall(LeadStore store, String e164, Instant at) {
    new JdbcAttemptStore(databases.get(store))
        .place("c1", e164.substring(1), Attempt.Kind.CALL, at);
  }

  @AfterEach
  void closeDatabases() {
    opened.forEach(Database::close);
  }

  @Test
  void everyLeadChangeIsAuditedWithIt() {
    LeadStore store = newStore();
    long id = importInto(store, "summer", lead(2, "030 1111111")).getFirst();
    store.apply(id, new LeadEvent.CheckStarted(), T);
    store.apply(id, new LeadEvent.FoundDead("UNALLOCATED"), T);

    var audit = new JdbcAuditLog(databases.get(store));
    assertThat(audit.entriesAbout("lead:" + id))
        .extracting(e -> e.action() + ": " + e.detail())
        .containsExactly(
            "state: NEW -> CHECKING: CheckStarted[]",
            "state: CHECKING -> DEAD: FoundDead[why=UNALLOCATED]");
    assertThat(audit.entriesAbout("list:summer"))
        .extracting(e -> e.detail())
        .containsExactly(
            "import 1 from test.csv: 1 of 1 rows (duplicates 0, invalid 0, premium 0, dnc 0)");
  }

  @Test
  void leadsOfAnImportInProgressAreInvisibleAndAnAbandonedImportIsCleanedUp() {
    LeadStore store = newStore();
    Database database = databases.get(store);
    LeadStore.ImportSession crashed = store.beginImport("summer", "DE", "crashed.csv", T);
    crashed.add(List.of(lead(2, "030 1111111"), lead(3, "030 2222222")));
    // Stored in chunks, but not visible before the import is done.
    assertThat(store.leadsOf("summer", 10)).isEmpty();
    assertThat(store.countByState("summer")).isEmpty();
    assertThat(
            store.claim(
                new ClaimRequest.Builder("c1", "d", List.of("summer"), T, local -> true)
                    .includeUnchecked()
                    .max(10)
                    .build()))
        .isEmpty();

    // The process "dies": no close, and the heartbeat goes stale.
    database.inTransaction(
        "ageing the import",
        connection -> {
          try (var age = connection.prepareStatement("UPDATE lead_import SET heartbeat_at = ?")) {
            age.setObject(
                1,
                OffsetDateTime.now(ZoneOffset.UTC)
                    .minus(JdbcImportSession.STALE_IMPORT)
                    .minusSeconds(1));
            return age.executeUpdate();
          }
        });

    importInto(store, "summer", lead(2, "030 1111111"));
    assertThat(store.leadsOf("summer", 10))
        .extracting(l -> l.e164())
        .containsExactly("+49301111111");
    assertThat(new JdbcAuditLog(database).entriesAbout("import:1"))
        .extracting(e -> e.action())
        .containsExactly("removed");
    crashed.close(); // late close of the dead session changes nothing visible
    assertThat(store.leadsOf("summer", 10)).hasSize(1);
  }

  @Test
  void twoImportsCannotAddTheSameNumberToOneListButToTwoLists() {
    // The database's own guard (unique phone + list, migration 5): each import dedupes against the
    // list as it was when it started, so two imports at once could otherwise both add a number.
    LeadStore store = newStore();
    try (LeadStore.ImportSession first = store.beginImport("summer", "DE", "a.csv", T);
        LeadStore.ImportSession second = store.beginImport("summer", "DE", "b.csv", T);
        LeadStore.ImportSession other = store.beginImport("winter", "DE", "c.csv", T)) {
      first.add(List.of(lead(2, "030 1111111")));
      assertThatThrownBy(() -> second.add(List.of(lead(2, "+49 30 1111111"))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("storing leads from lines 2–2");
      other.add(List.of(lead(2, "030 1111111")));
      first.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
      other.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
    }
    assertThat(store.leadsOf("summer", 10))
        .extracting(l -> l.e164())
        .containsExactly("+49301111111");
    assertThat(store.leadsOf("winter", 10))
        .extracting(l -> l.e164())
        .containsExactly("+49301111111");
  }
}
