package org.pingdialer.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Writes audit rows inside the caller's transaction, so a change and its record commit together.
 */
final class AuditRows {
  private AuditRows() {}

  static void append(
      Connection connection, Instant at, String subject, String action, String detail)
      throws SQLException {
    try (var insert =
        connection.prepareStatement(
            "INSERT INTO audit_log (happened_at, subject, action, detail) VALUES (?, ?, ?, ?)")) {
      insert.setObject(1, at.atOffset(ZoneOffset.UTC));
      insert.setString(2, subject);
      insert.setString(3, action);
      insert.setString(4, detail.length() > 1000 ? detail.substring(0, 1000) : detail);
      insert.executeUpdate();
    }
  }
}
