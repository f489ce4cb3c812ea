package org.pingdialer.store;

import org.pingdialer.testing.PostgresServer;

/** Filing dispositions on a real PostgreSQL. */
class JdbcDispositionStorePostgresIT extends JdbcDispositionStoreIT {
  @Override
  protected Database openDatabase() {
    return Database.connect(PostgresServer.freshDatabaseUrl(), "pingdialer", "");
  }
}
