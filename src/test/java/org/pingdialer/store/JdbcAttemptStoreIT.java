package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.AttemptStoreContract;
import org.pingdialer.call.DialOutcome;

/** The attempt store on the embedded H2 file database, through the real migrations. */
class JdbcAttemptStoreIT extends AttemptStoreContract {
  private final List<Database> opened = new ArrayList<>();

  @Override
  protected AttemptStore newStore() {
    return new JdbcAttemptStore(open());
  }

  private Database open() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "h2-");
      Database database = Database.embedded(dir);
      opened.add(database);
      return database;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterEach
  void closeDatabases() {
    opened.forEach(Database::close);
  }

  @Test
  void placedAndEndedAreAuditedWithTheChange() {
    Database database = open();
    var store = new JdbcAttemptStore(database);
    store.recordPlaced(attempt(1), T);
    store.recordResult(result(attempt(1), DialOutcome.BUSY));

    assertThat(new JdbcAuditLog(database).entriesAbout("attempt:pd-c1-000000000001"))
        .extracting(e -> e.action() + ": " + e.detail())
        .containsExactly("placed: CALL to 4930999100001", "ended: BUSY cause 17 sip 486");
  }

  @Test
  void aRefusedResultLeavesNoEvidenceAndNoAuditRowBehind() {
    Database database = open();
    var store = new JdbcAttemptStore(database);
    store.recordPlaced(attempt(1), T);
    store.recordResult(result(attempt(1), DialOutcome.BUSY));

    assertThatThrownBy(() -> store.recordResult(result(attempt(1), DialOutcome.ANSWERED)))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.find(attempt(1).key()).orElseThrow().result().orElseThrow().evidence())
        .hasSize(1);
    assertThat(new JdbcAuditLog(database).entriesAbout("attempt:pd-c1-000000000001")).hasSize(2);
  }

  @Test
  void evidenceStoredARowPerEventBeforeVersion7IsStillRead() throws Exception {
    Database database = open();
    var store = new JdbcAttemptStore(database);
    store.recordPlaced(attempt(1), T);
    store.recordResult(result(attempt(1), DialOutcome.BUSY));
    // As a controller before V7 stored it: no evidence column, a row per event.
    try (var connection = database.dataSource().getConnection();
        var statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE attempt SET evidence = NULL");
      statement.executeUpdate(
          "INSERT INTO attempt_evidence (campaign, attempt_no, seq, event, happened_at, detail)"
              + " VALUES ('c1', 1, 1, 'ChannelDestroyed', TIMESTAMP WITH TIME ZONE"
              + " '2026-01-05 09:00:03+00', 'cause 17'), ('c1', 1, 0, 'Dial',"
              + " TIMESTAMP WITH TIME ZONE '2026-01-05 09:00:01+00', 'BUSY')");
    }

    assertThat(store.find(attempt(1).key()).orElseThrow().result().orElseThrow().evidence())
        .extracting(e -> e.event() + " " + e.detail())
        .containsExactly("Dial BUSY", "ChannelDestroyed cause 17");
  }

  @Test
  void anEvidenceColumnEditedByHandIsAnErrorNamingTheAttempt() throws Exception {
    Database database = open();
    var store = new JdbcAttemptStore(database);
    store.recordPlaced(attempt(1), T);
    store.recordResult(result(attempt(1), DialOutcome.BUSY));
    try (var connection = database.dataSource().getConnection();
        var statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE attempt SET evidence = 'busy, I think'");
    }

    assertThatThrownBy(() -> store.find(attempt(1).key()))
        .hasMessageContaining("attempt " + attempt(1).key())
        .hasMessageContaining("JSON array");
  }

  @Test
  void aCampaignsAttemptsAreCountedForItsReport() {
    var store = new JdbcAttemptStore(open());
    Attempt check = store.place("c1", "4930999300001", Attempt.Kind.LINE_CHECK, T);
    Attempt answered = store.place("c1", "4930999100001", Attempt.Kind.CALL, T);
    Attempt dropped = store.place("c1", "4930999100002", Attempt.Kind.CALL, T);
    Attempt busy = store.place("c1", "4930999200001", Attempt.Kind.CALL, T);
    store.place("c1", "4930999200002", Attempt.Kind.CALL, T); // still in flight
    store.place("c2", "4930999200003", Attempt.Kind.CALL, T); // another campaign
    store.recordResult(result(check, DialOutcome.NO_ANSWER));
    AttemptResult toAgent = result(answered, DialOutcome.ANSWERED);
    store.recordResult(
        new AttemptResult(
            toAgent.attempt(),
            toAgent.outcome(),
            16,
            null,
            Optional.empty(),
            toAgent.timeline(),
            Optional.of("agent1"),
            toAgent.evidence(),
            false));
    store.recordResult(result(dropped, DialOutcome.ABANDONED));
    store.recordResult(result(busy, DialOutcome.BUSY));

    JdbcAttemptStore.Counts counts = store.countsOf("c1");
    assertThat(counts.lineChecks()).isEqualTo(1);
    assertThat(counts.calls()).isEqualTo(4);
    assertThat(counts.byOutcome())
        .containsOnly(
            Map.entry(DialOutcome.ANSWERED, 1L),
            Map.entry(DialOutcome.ABANDONED, 1L),
            Map.entry(DialOutcome.BUSY, 1L));
    assertThat(counts.connectedToAgent()).isEqualTo(1);
    assertThat(counts.abandonRate()).isEqualTo(0.5);
  }

  @Test
  void aDatabaseThatCannotBeOpenedNamesItsUrl() {
    assertThatThrownBy(() -> Database.connect("jdbc:postgresql://127.0.0.1:9/none", "u", "p"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("jdbc:postgresql://127.0.0.1:9/none");
  }
}
