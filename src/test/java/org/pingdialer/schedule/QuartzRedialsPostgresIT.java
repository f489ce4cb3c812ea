package org.pingdialer.schedule;

import org.pingdialer.store.Database;
import org.pingdialer.testing.PostgresServer;

/** The same redial triggers on PostgreSQL (a throwaway server, see docker/test-postgres.sh). */
class QuartzRedialsPostgresIT extends QuartzRedialsIT {
  @Override
  protected Database openDatabase() {
    return Database.connect(PostgresServer.freshDatabaseUrl(), "pingdialer", "");
  }
}
