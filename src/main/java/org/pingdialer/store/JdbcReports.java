package org.pingdialer.store;

import java.util.List;
import org.pingdialer.call.KnownBots;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.report.CampaignReports;
import org.pingdialer.report.ReportCatalog;

/** Reports read from the database: the report package asks through its own interfaces only. */
public final class JdbcReports {
  private JdbcReports() {}

  /**
   * The reports of {@code campaigns} from what {@code database} holds.
   *
   * @param bots numbers whose calls count as bot holds
   */
  public static ReportCatalog catalog(Database database, List<Campaign> campaigns, KnownBots bots) {
    return new ReportCatalog(
        new CampaignReports(new JdbcReportData(database), new JdbcAttemptStore(database), bots),
        campaigns);
  }
}
