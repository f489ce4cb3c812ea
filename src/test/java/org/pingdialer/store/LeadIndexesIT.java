package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Migrations 5 and 6 on a database that already holds leads (an upgrade, not a fresh install): the
 * leads stay, a number is still unique within its list, the foreign keys still hold, lead has the
 * indexes the queries and the keys need and no more, and the store works on the result.
 */
class LeadIndexesIT {
  protected String freshDatabaseUrl() throws IOException {
    Path dir = Files.createTempDirectory(Path.of("target"), "h2-upgrade-");
    return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("pingdialer");
  }

  protected String user() {
    return "sa";
  }

  /** The names of lead's indexes, upper case. */
  protected Set<String> leadIndexes(Connection connection) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (var statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT index_name FROM information_schema.indexes WHERE table_name = 'LEAD'")) {
      while (rows.next()) {
        names.add(rows.getString(1).toUpperCase(Locale.ROOT));
      }
    }
    return names;
  }

  @Test
  void upgradingKeepsTheLeadsAndTheUniqueNumberPerList() throws Exception {
    String url = freshDatabaseUrl();
    flyway(url).target("4").load().migrate();
    try (Connection connection = DriverManager.getConnection(url, user(), "");
        var statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO lead_list (name, default_region, created_at)"
              + " VALUES ('summer', 'DE', CURRENT_TIMESTAMP)");
      statement.execute(
          "INSERT INTO lead_import (list_id, file_name, imported_at, status, heartbeat_at,"
              + " total_rows, imported, duplicates, invalid, premium, dnc)"
              + " VALUES (1, 'a.csv', CURRENT_TIMESTAMP, 'DONE', CURRENT_TIMESTAMP, 1, 1, 0, 0, 0,"
              + " 0)");
      statement.execute(insertLead("+49301111111"));
    }

    // Only 5 and 6 here; Database.connect below brings the rest, as an upgrade would.
    assertThat(flyway(url).target("6").load().migrate().migrationsExecuted).isEqualTo(2);

    try (Connection connection = DriverManager.getConnection(url, user(), "");
        var statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute(insertLead("+49301111111")))
          .isInstanceOf(SQLException.class);
      // The foreign keys hold: no lead in a list or import that does not exist, and no list
      // removed while it has leads (what a failed import's clean-up relies on).
      assertThatThrownBy(
              () ->
                  statement.execute(
                      insertLead("+49302222222").replace("VALUES (1, 1,", "VALUES (9, 1,")))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(
              () ->
                  statement.execute(
                      insertLead("+49302222222").replace("VALUES (1, 1,", "VALUES (1, 9,")))
          .isInstanceOf(SQLException.class);
      // ... nor in an import of another list.
      statement.execute(
          "INSERT INTO lead_list (name, default_region, created_at)"
              + " VALUES ('autumn', 'DE', CURRENT_TIMESTAMP)");
      assertThatThrownBy(
              () ->
                  statement.execute(
                      insertLead("+49302222222").replace("VALUES (1, 1,", "VALUES (2, 1,")))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> statement.execute("DELETE FROM lead_list WHERE id = 1"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> statement.execute("DELETE FROM lead_import WHERE id = 1"))
          .isInstanceOf(SQLException.class);
      // Four index maps per lead: the primary key, the unique (phone, list_id), lead_dialable for
      // the hopper and lookups by list, and lead_of_import for the foreign key.
      assertThat(leadIndexes(connection))
          .hasSize(4)
          .contains("LEAD_DIALABLE", "LEAD_OF_IMPORT")
          .anyMatch(name -> name.startsWith("LEAD_PHONE_LIST"));
    }
    try (Database database = Database.connect(url, user(), "")) {
      var store = new JdbcLeadStore(database);
      assertThat(store.leadsOf("summer", 10))
          .extracting(lead -> lead.e164())
          .containsExactly("+49301111111");
      assertThat(
              store.search(Optional.empty(), Optional.empty(), Optional.of("+49301111111"), 0, 10))
          .hasSize(1);
    }
  }

  private FluentConfiguration flyway(String url) {
    return Flyway.configure()
        .dataSource(url, user(), "")
        .locations("classpath:db/migration")
        .javaMigrations(new QuartzTables(), new LeadIndexes(), new LeadImportKey());
  }

  private static String insertLead(String e164) {
    return "INSERT INTO lead (list_id, import_id, source_line, phone, number_type, region,"
        + " timezones, state, state_since, priority, attempts) VALUES (1, 1, 2, '"
        + e164
        + "', 'FIXED_LINE', 'DE', 'Europe/Berlin', 'NEW', CURRENT_TIMESTAMP, 0, 0)";
  }
}
