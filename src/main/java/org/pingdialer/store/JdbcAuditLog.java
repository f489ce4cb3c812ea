package org.pingdialer.store;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.pingdialer.compliance.AuditLog;

/** Reads the audit trail from the database. */
public final class JdbcAuditLog implements AuditLog {
  private final Database database;

  public JdbcAuditLog(Database database) {
    this.database = database;
  }

  @Override
  public List<AuditEntry> entriesAbout(String subject) {
    return database.inTransaction(
        "reading the audit log of " + subject,
        connection -> {
          try (var query =
              connection.prepareStatement(
                  "SELECT happened_at, subject, action, detail FROM audit_log"
                      + " WHERE subject = ? ORDER BY id")) {
            query.setString(1, subject);
            List<AuditEntry> entries = new ArrayList<>();
            try (var rows = query.executeQuery()) {
              while (rows.next()) {
                entries.add(
                    new AuditEntry(
                        rows.getObject(1, OffsetDateTime.class).toInstant(),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4)));
              }
            }
            return entries;
          }
        });
  }
}
