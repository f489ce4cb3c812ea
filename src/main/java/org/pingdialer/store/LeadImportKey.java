package org.pingdialer.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 6: a lead's two foreign keys ({@code list_id → lead_list}, {@code import_id →
 * lead_import}) become one, {@code (list_id, import_id) → lead_import (list_id, id)}, so that H2
 * keeps one index map per lead fewer (it gives every foreign key an index of exactly its columns;
 * each inserted lead goes into each map, and the commit visits each again). An import of a million
 * leads does that much less work (bench/RESULTS.md, fifth round).
 *
 * <p>Nothing is given up: a lead still cannot name a list or an import that does not exist, and it
 * cannot name an import of another list. An import row cannot go while its leads are there, and a
 * list cannot go while an import of it is there ({@code lead_import.list_id → lead_list}). That
 * chain is what a failed import's clean-up relies on: it deletes its leads, its import row, and the
 * list if it created it; when a second import is filling that list at the same moment, the list
 * delete fails on the second import's row and nothing is orphaned.
 *
 * <p>The key's index {@code lead_of_import (list_id, import_id)} is created by name on both
 * databases (PostgreSQL creates none for a foreign key) and serves the clean-up's delete.
 */
public final class LeadImportKey extends NumberedMigration {

  public LeadImportKey() {
    super(6, "one foreign key from lead to its import and list", 601);
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    var constraints = LeadConstraints.of(connection, 6);
    String importForeignKey = constraints.named("FOREIGN KEY", List.of("import_id"));
    String listForeignKey = constraints.named("FOREIGN KEY", List.of("list_id"));
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "ALTER TABLE lead_import ADD CONSTRAINT lead_import_of_list UNIQUE (list_id, id)");
      statement.execute("ALTER TABLE lead DROP CONSTRAINT " + importForeignKey);
      statement.execute("ALTER TABLE lead DROP CONSTRAINT " + listForeignKey);
      statement.execute("CREATE INDEX lead_of_import ON lead (list_id, import_id)");
      statement.execute(
          "ALTER TABLE lead ADD CONSTRAINT lead_import_ref FOREIGN KEY (list_id, import_id)"
              + " REFERENCES lead_import (list_id, id)");
    }
  }
}
