package org.pingdialer.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 4: the tables of Quartz's JDBC job store (redials and callbacks), from the scripts
 * Quartz ships in its jar for each database, so they always match the Quartz version we run.
 *
 * <p>Adapted as they are read: the PostgreSQL script starts by dropping the tables (never wanted in
 * a migration), and the H2 script uses the type {@code IMAGE}, which H2 2.x only knows in MS SQL
 * Server mode; it becomes {@code BLOB}. Its own {@code COMMIT} is left to Flyway.
 */
public final class QuartzTables extends NumberedMigration {
  private static final String SCRIPTS = "/org/quartz/impl/jdbcjobstore/";

  public QuartzTables() {
    // No checksum: the scripts come with the Quartz jar, which Maven pins.
    super(4, "quartz job store tables", null);
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    String script =
        switch (product) {
          case "h2" -> "tables_h2.sql";
          case "postgresql" -> "tables_postgres.sql";
          default ->
              throw new SQLException(
                  "no Quartz tables for database '" + product + "' (H2 or PostgreSQL only)");
        };
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements(read(script))) {
        statement.execute(sql);
      }
    }
  }

  /** The script's statements, adapted (see the class comment). */
  static List<String> statements(String script) {
    StringBuilder withoutComments = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        withoutComments.append(line).append('\n');
      }
    }
    List<String> statements = new ArrayList<>();
    for (String part : withoutComments.toString().split(";")) {
      String sql = part.strip();
      String upper = sql.toUpperCase(Locale.ROOT);
      if (sql.isEmpty() || upper.startsWith("DROP ") || upper.equals("COMMIT")) {
        continue;
      }
      statements.add(sql.replaceAll("\\bIMAGE\\b", "BLOB"));
    }
    return statements;
  }

  private static String read(String script) {
    try (InputStream in = QuartzTables.class.getResourceAsStream(SCRIPTS + script)) {
      if (in == null) {
        throw new IllegalStateException("Quartz's " + script + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
