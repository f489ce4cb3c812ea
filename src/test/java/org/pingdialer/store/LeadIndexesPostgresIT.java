package org.pingdialer.store;

import org.pingdialer.testing.PostgresServer;

/** Migration 5 as an upgrade, on a real PostgreSQL. */
class LeadIndexesPostgresIT extends LeadIndexesIT {
  @Override
  protected String freshDatabaseUrl() {
    return PostgresServer.freshDatabaseUrl();
  }

  @Override
  protected String user() {
    return "pingdialer";
  }
}
