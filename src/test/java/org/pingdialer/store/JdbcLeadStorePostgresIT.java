package org.pingdialer.store;

import org.pingdialer.testing.PostgresServer;

/** The lead store contract, the hopper's concurrent claims included, on a real PostgreSQL. */
class JdbcLeadStorePostgresIT extends JdbcLeadStoreIT {
  @Override
  protected Database openDatabase() {
    return Database.connect(PostgresServer.freshDatabaseUrl(), "pingdialer", "");
  }
}
