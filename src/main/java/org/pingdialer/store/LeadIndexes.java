package org.pingdialer.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 5: one index map per lead fewer, so that importing a million leads does less work per
 * row (bench/RESULTS.md, fourth round), without losing an index any query uses. On H2 every index
 * is a B-tree that each inserted row is added to and that the commit then visits again, row by row,
 * to mark the row committed.
 *
 * <ul>
 *   <li>The unique key becomes {@code (phone, list_id)} instead of {@code (list_id, phone)}: its
 *       prefix serves every lookup by number (global DNC, the hopper's "same number elsewhere",
 *       search by number, the report's zones), so the separate index {@code lead_phone} goes.
 *       Lookups by list use {@code lead_dialable (list_id, state, priority)}.
 *   <li>The foreign keys {@code lead.list_id → lead_list} and {@code lead.import_id → lead_import}
 *       stay, although on H2 each costs an index map per row (about 0.2× of the import's time,
 *       measured): a failed import deletes the list it created, and without the key a second import
 *       adding leads to that list at the same moment would leave them orphaned; with it that delete
 *       fails and the list stays. The list key is dropped and added again around the unique key's
 *       change (H2 may hold it on the old unique index).
 * </ul>
 *
 * <p>A Java migration because V2 left the constraints unnamed: their names differ between H2 and
 * PostgreSQL and are looked up ({@link LeadConstraints}). Migration 6 ({@link LeadImportKey})
 * replaces both foreign keys by one.
 */
public final class LeadIndexes extends NumberedMigration {

  public LeadIndexes() {
    // Checksum revision 2: it keeps the foreign keys the first one dropped.
    super(5, "lead unique key by phone first, no separate phone index", 502);
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    var constraints = LeadConstraints.of(connection, 5);
    String uniqueByList = constraints.named("UNIQUE", List.of("list_id", "phone"));
    String listForeignKey = constraints.named("FOREIGN KEY", List.of("list_id"));
    try (Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE lead DROP CONSTRAINT " + listForeignKey);
      statement.execute("ALTER TABLE lead DROP CONSTRAINT " + uniqueByList);
      statement.execute("DROP INDEX lead_phone");
      statement.execute("ALTER TABLE lead ADD CONSTRAINT lead_phone_list UNIQUE (phone, list_id)");
      statement.execute(
          "ALTER TABLE lead ADD CONSTRAINT lead_list_ref FOREIGN KEY (list_id)"
              + " REFERENCES lead_list (id)");
    }
  }
}
