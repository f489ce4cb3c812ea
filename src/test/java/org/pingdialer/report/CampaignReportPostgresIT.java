package org.pingdialer.report;

import org.pingdialer.store.Database;
import org.pingdialer.testing.PostgresServer;

/** The campaign report on a real PostgreSQL. */
class CampaignReportPostgresIT extends CampaignReportIT {
  @Override
  protected Database openDatabase() {
    return Database.connect(PostgresServer.freshDatabaseUrl(), "pingdialer", "");
  }
}
