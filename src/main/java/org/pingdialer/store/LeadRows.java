package org.pingdialer.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.pingdialer.lead.LeadStore;

/** What the lead store's queries and its imports share: visibility, column values, clean-up. */
final class LeadRows {
  private LeadRows() {}

  /** Leads of imports that are not finished are invisible to every query. */
  static final String VISIBLE =
      " l.import_id IN (SELECT i.id FROM lead_import i WHERE i.status = 'DONE')";

  static void setInstant(PreparedStatement statement, int index, Optional<Instant> at)
      throws SQLException {
    if (at.isPresent()) {
      statement.setObject(index, utc(at.get()));
    } else {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }

  static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  static long generatedKey(PreparedStatement insert) throws SQLException {
    try (ResultSet keys = insert.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("no generated key returned");
      }
      return keys.getLong(1);
    }
  }

  static List<String> withGlobal(Collection<String> dncLists) {
    var lists = new LinkedHashSet<String>();
    lists.add(LeadStore.GLOBAL_DNC);
    lists.addAll(dncLists);
    return List.copyOf(lists);
  }

  static String clip(Optional<String> value, int max) {
    return value.map(v -> clip(v, max)).orElse(null);
  }

  static String clip(String value, int max) {
    return value.length() > max ? value.substring(0, max) : value;
  }

  static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // Closing below discards the transaction anyway.
    }
    closeQuietly(connection);
  }

  static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Nothing left to do with a resource that failed to close.
    }
  }
}
