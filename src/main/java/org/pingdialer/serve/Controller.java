package org.pingdialer.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.api.ApiServer;
import org.pingdialer.call.KnownBots;
import org.pingdialer.call.ami.AmiEndpoint;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.campaign.spec.AgentGroups;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.campaign.spec.CampaignLibrary;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.metrics.DialerMetrics;
import org.pingdialer.report.ReportCatalog;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcCampaignStates;
import org.pingdialer.store.JdbcReports;
import org.pingdialer.web.Dashboard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running controller ({@code pingdialer serve}): one campaign dialing on a PBX it does not
 * own, the REST API with /metrics, and optionally a companion started with the run (the lab's
 * agents on baresip, which the command line brings: this package knows no lab). Runs until stopped;
 * a stop places no new call, lets calls in flight end for a while, closes the companion (the lab
 * agents log out) and closes.
 */
public final class Controller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  /**
   * Where Asterisk is and, for softphones of agents the controller starts itself, its SIP port and
   * agent accounts.
   */
  public record Pbx(AriEndpoint ari, AmiEndpoint ami, int sipPort, List<AgentAccount> accounts) {
    public Pbx {
      accounts = List.copyOf(accounts);
    }

    @Override
    public String toString() {
      return "Pbx[" + ari + ", " + ami + ", sip " + sipPort + ", " + accounts.size() + " accounts]";
    }
  }

  private final CampaignRun run;

  /** The API, the dashboard and the metrics it serves, closed in this order. */
  private final List<AutoCloseable> served;

  private final ApiServer api;
  private final AutoCloseable companion;
  private boolean stopped;

  /** Started with the run, closed after the run's calls ended (the lab's agents). */
  @FunctionalInterface
  public interface Companion {
    AutoCloseable start(CampaignRun run) throws Exception;

    /** Nothing beside the run. */
    static Companion none() {
      return run -> () -> {};
    }
  }

  private Controller(
      CampaignRun run, ApiServer api, List<AutoCloseable> served, AutoCloseable companion) {
    this.run = run;
    this.api = api;
    this.served = served;
    this.companion = companion;
  }

  /**
   * Starts the campaign, the API and the companion; on any failure, closes what started.
   *
   * @param bots numbers whose calls the dashboard and reports count as bot holds
   * @param claimer this controller's name in the hopper (its leftover claims are given back)
   * @param workDir the data directory: stored campaign files
   */
  public static Controller start(
      Campaign campaign,
      List<InboundQueue> queues,
      AgentGroups groups,
      Pbx pbx,
      Database database,
      String apiHost,
      int apiPort,
      Set<String> apiTokens,
      Companion companion,
      KnownBots bots,
      ZoneId zone,
      String claimer,
      Path workDir)
      throws Exception {
    var settings =
        new CampaignRun.Settings(
            pbx.ari(), Optional.of(pbx.ami()), database, claimer, zone, 5, groups);
    CampaignRun run =
        CampaignRun.start(
            campaign, queues, settings, InstantSource.system(), Duration.ofSeconds(30));
    ApiServer api = null;
    DialerMetrics metrics = null;
    Dashboard dashboard = null;
    try {
      ReportCatalog reports = JdbcReports.catalog(database, List.of(campaign), bots);
      restore(
          run,
          new JdbcCampaignStates(database),
          new CampaignLibrary(workDir.resolve("campaigns")),
          reports);
      metrics = new DialerMetrics(run);
      dashboard = Dashboard.watch(run, InstantSource.system(), bots);
      api =
          ApiServer.forRun(
              apiHost,
              apiPort,
              apiTokens,
              run,
              ApiServer.Extras.none()
                  .withMetrics(metrics::scrape)
                  .withDashboard(dashboard)
                  .withReports(reports)
                  // The data directory keeps the campaign files stored over the API.
                  .withLibrary(new CampaignLibrary(workDir.resolve("campaigns"))));
      AutoCloseable started = companion.start(run);
      log.info(
          "controller: campaign {} on {}, API on {}:{}", campaign.name(), pbx, apiHost, api.port());
      return new Controller(run, api, List.of(api, dashboard, metrics), started);
    } catch (Exception | Error e) {
      for (AutoCloseable part : Arrays.asList(api, dashboard, metrics)) {
        if (part != null) {
          part.close();
        }
      }
      run.close();
      throw e;
    }
  }

  /**
   * Brings back what an operator last asked of the floor's campaigns before this controller
   * started: its own campaign stays paused if it was paused; every stored campaign that was dialing
   * or paused is added again, in that state. A stopped one stays out. A campaign that cannot be
   * brought back is logged and left out: the controller runs without it.
   */
  private static void restore(
      CampaignRun run, JdbcCampaignStates states, CampaignLibrary library, ReportCatalog reports)
      throws Exception {
    Map<String, JdbcCampaignStates.Wanted> wanted = states.all();
    String own = run.campaign().name();
    if (wanted.get(own) == JdbcCampaignStates.Wanted.PAUSED) {
      run.pause();
      log.info("campaign {} was paused by an operator: it stays paused", own);
    }
    wanted.forEach(
        (name, state) -> {
          if (name.equals(own) || state == JdbcCampaignStates.Wanted.STOPPED) {
            return;
          }
          Optional<String> yaml = library.read(name);
          if (yaml.isEmpty()) {
            log.warn("campaign {} was {} but is no longer stored: left out", name, state);
            return;
          }
          try {
            Campaign campaign = CampaignFiles.parse(yaml.get(), name + ".yaml");
            CampaignRun added = run.floor().add(campaign, Duration.ofSeconds(30));
            reports.add(campaign);
            if (state == JdbcCampaignStates.Wanted.PAUSED) {
              added.pause();
            }
            log.info("campaign {} is back as an operator left it: {}", name, state);
          } catch (Exception e) {
            log.warn("campaign {} could not be brought back: {}", name, e.getMessage());
          }
        });
  }

  public int apiPort() {
    return api.port();
  }

  public CampaignRun run() {
    return run;
  }

  /**
   * Places no new call in any of its campaigns, gives calls in flight up to {@code grace} to end by
   * themselves and hangs up what is left, then logs the lab agents out. Idempotent.
   */
  public synchronized void stop(Duration grace) throws Exception {
    if (stopped) {
      return;
    }
    stopped = true;
    // Every campaign on the controller's floor: the one it started with and those added over the
    // API. None places a new call from here on; all share the grace time.
    List<CampaignRun> runs = run.floor().runs();
    for (CampaignRun each : runs) {
      each.stop();
    }
    // Callers still waiting hear that all agents are busy; those with agents talk on.
    run.floor().inbound().stop();
    long deadline = System.nanoTime() + grace.toNanos();
    for (CampaignRun each : runs) {
      each.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    while (run.floor().inbound().active().get(5, TimeUnit.SECONDS) > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    companion.close();
  }

  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("stopping the campaign failed; closing anyway", e);
    } finally {
      for (AutoCloseable part : served) {
        try {
          part.close();
        } catch (Exception e) {
          log.warn("closing {} failed", part.getClass().getSimpleName(), e);
        }
      }
      run.close();
    }
  }
}
