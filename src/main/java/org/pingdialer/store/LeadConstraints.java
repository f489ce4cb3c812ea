package org.pingdialer.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The unique and foreign-key constraints of table {@code lead}, by name, for the Java migrations
 * that change them: V2 left them unnamed, and the generated names differ between H2 and PostgreSQL,
 * so they are looked up in the standard {@code information_schema}.
 */
final class LeadConstraints {
  private record Constraint(String type, List<String> columns) {}

  private final Map<String, Constraint> byName;
  private final int migration;

  private LeadConstraints(Map<String, Constraint> byName, int migration) {
    this.byName = byName;
    this.migration = migration;
  }

  /**
   * @param migration the migration asking, for its error message
   */
  static LeadConstraints of(Connection connection, int migration) throws SQLException {
    Map<String, Constraint> constraints = new LinkedHashMap<>();
    try (var select =
        connection.prepareStatement(
            "SELECT tc.constraint_name, tc.constraint_type, kcu.column_name"
                + " FROM information_schema.table_constraints tc"
                + " JOIN information_schema.key_column_usage kcu"
                + " ON kcu.constraint_schema = tc.constraint_schema"
                + " AND kcu.constraint_name = tc.constraint_name"
                + " WHERE LOWER(tc.table_name) = 'lead' AND LOWER(tc.table_schema) = LOWER(?)"
                + " AND tc.constraint_type IN ('UNIQUE', 'FOREIGN KEY')"
                + " ORDER BY tc.constraint_name, kcu.ordinal_position")) {
      select.setString(1, connection.getSchema());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String type = rows.getString(2);
          constraints
              .computeIfAbsent(rows.getString(1), name -> new Constraint(type, new ArrayList<>()))
              .columns()
              .add(rows.getString(3).toLowerCase(Locale.ROOT));
        }
      }
    }
    return new LeadConstraints(constraints, migration);
  }

  /**
   * The quoted name of the {@code type} constraint on exactly {@code columns}, in their order.
   *
   * @throws SQLException when there is none: the schema is not what the migration expects
   */
  String named(String type, List<String> columns) throws SQLException {
    for (var entry : byName.entrySet()) {
      if (entry.getValue().type().equals(type) && entry.getValue().columns().equals(columns)) {
        // Quoted: H2 keeps generated names in upper case, PostgreSQL in lower case.
        return '"' + entry.getKey() + '"';
      }
    }
    throw new SQLException(
        "migration "
            + migration
            + " found no "
            + type
            + " constraint on lead "
            + columns
            + " (found "
            + byName
            + "); was an earlier migration changed?");
  }
}
