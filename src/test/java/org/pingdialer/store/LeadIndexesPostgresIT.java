package org.pingdialer.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.pingdialer.testing.PostgresServer;

/** Migrations 5 and 6 as an upgrade, on a real PostgreSQL. */
class LeadIndexesPostgresIT extends LeadIndexesIT {
  @Override
  protected String freshDatabaseUrl() {
    return PostgresServer.freshDatabaseUrl();
  }

  @Override
  protected Set<String> leadIndexes(Connection connection) throws SQLException {
    Set<String> names = new TreeSet<>();
    try (var statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'lead'"
                    + " AND schemaname = current_schema()")) {
      while (rows.next()) {
        names.add(rows.getString(1).toUpperCase(Locale.ROOT));
      }
    }
    return names;
  }

  @Override
  protected String user() {
    return "pingdialer";
  }
}
