package org.pingdialer.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.inbound.InboundCallStore;

/**
 * The campaigns a server can report on, by name, and the reports of them. Thread-safe: campaigns
 * are only added, and the reports read the database.
 */
public final class ReportCatalog {
  private static final ReportCatalog NONE = new ReportCatalog(null, List.of());

  /** Null only in {@link #none()}, which has no campaign to build a report of. */
  private final CampaignReports reports;

  private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();

  /** A catalog without campaigns: every name is unknown. */
  public static ReportCatalog none() {
    return NONE;
  }

  public ReportCatalog(CampaignReports reports, List<Campaign> campaigns) {
    this.reports = reports;
    campaigns.forEach(c -> this.campaigns.putIfAbsent(c.name(), c));
  }

  /**
   * A campaign added to the running controller: reported from now on (a name reported already keeps
   * its campaign).
   */
  public void add(Campaign campaign) {
    if (reports != null) {
      campaigns.putIfAbsent(campaign.name(), campaign);
    }
  }

  /** The report of the campaign named {@code name}, empty when the catalog has no such campaign. */
  public Optional<CampaignReport> report(String name, Optional<Instant> since, Instant now) {
    Campaign campaign = campaigns.get(name);
    return campaign == null ? Optional.empty() : Optional.of(reports.build(campaign, since, now));
  }

  /**
   * Every agent's work since {@code since} across the catalog's campaigns and {@code inbound}
   * calls; none for a catalog without campaigns.
   */
  public AgentReport agents(List<InboundCallStore.Row> inbound, Instant since) {
    if (reports == null) {
      return new AgentReport(since, List.of());
    }
    List<Campaign> all = new ArrayList<>(campaigns.values());
    all.sort(Comparator.comparing(Campaign::name));
    return reports.agents(all, inbound, since);
  }

  /** The names that can be asked for, sorted. */
  public List<String> names() {
    return List.copyOf(new TreeSet<>(campaigns.keySet()));
  }
}
