package org.pingdialer.compliance;

import java.time.Instant;
import java.util.List;

/**
 * The append-only record of every state change (attempt placed, attempt ended, ...). Rows are
 * written by the stores in the same transaction as the change they describe; this interface reads
 * them. Thread-safe; calls block.
 */
public interface AuditLog {

  /** The entries about {@code subject} (e.g. {@code attempt:pd-c1-000000000001}), oldest first. */
  List<AuditEntry> entriesAbout(String subject);

  /** One audited change. */
  record AuditEntry(Instant at, String subject, String action, String detail) {}
}
