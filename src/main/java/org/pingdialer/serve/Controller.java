package org.pingdialer.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pingdialer.api.ApiServer;
import org.pingdialer.call.ami.AmiEndpoint;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.campaign.Campaign;
import org.pingdialer.dialer.CampaignRun;
import org.pingdialer.lab.LabAgent;
import org.pingdialer.lab.LabAgents;
import org.pingdialer.metrics.DialerMetrics;
import org.pingdialer.stack.StackSettings;
import org.pingdialer.store.Database;
import org.pingdialer.web.Dashboard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running controller ({@code pingdialer serve}): one campaign dialing on a PBX it does not
 * own, the REST API with /metrics, and optionally lab agents on baresip. Runs until stopped; a stop
 * places no new call, lets calls in flight end for a while, logs the lab agents out and closes.
 */
public final class Controller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  /**
   * Where Asterisk is and, for lab agents, its SIP port and agent accounts.
   *
   * @param accounts lab agents' accounts (the first {@code labAgents} are used)
   */
  public record Pbx(
      AriEndpoint ari, AmiEndpoint ami, int sipPort, List<StackSettings.AgentAccount> accounts) {
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
  private final Optional<LabAgents> agents;
  private boolean stopped;

  private Controller(
      CampaignRun run, ApiServer api, List<AutoCloseable> served, Optional<LabAgents> agents) {
    this.run = run;
    this.api = api;
    this.served = served;
    this.agents = agents;
  }

  /**
   * Starts the campaign, the API and the lab agents; on any failure, closes what started.
   *
   * @param claimer this controller's name in the hopper (its leftover claims are given back)
   * @param workDir the data directory: lab agents' phone logs, stored campaign files
   */
  public static Controller start(
      Campaign campaign,
      Pbx pbx,
      Database database,
      String apiHost,
      int apiPort,
      Set<String> apiTokens,
      int labAgents,
      java.time.ZoneId zone,
      String claimer,
      Path workDir)
      throws Exception {
    var settings =
        new CampaignRun.Settings(pbx.ari(), Optional.of(pbx.ami()), database, claimer, zone, 5);
    CampaignRun run =
        CampaignRun.start(campaign, settings, InstantSource.system(), Duration.ofSeconds(30));
    ApiServer api = null;
    DialerMetrics metrics = null;
    Dashboard dashboard = null;
    try {
      metrics = new DialerMetrics(run);
      dashboard = Dashboard.watch(run, InstantSource.system());
      api =
          ApiServer.forRun(
              apiHost,
              apiPort,
              apiTokens,
              run,
              ApiServer.Extras.none()
                  .withMetrics(metrics::scrape)
                  .withDashboard(dashboard)
                  .withReports(org.pingdialer.report.ReportCatalog.of(database, List.of(campaign)))
                  // The data directory keeps the campaign files stored over the API.
                  .withLibrary(
                      new org.pingdialer.campaign.CampaignLibrary(workDir.resolve("campaigns"))));
      Optional<LabAgents> agents = Optional.empty();
      if (labAgents > 0) {
        agents =
            Optional.of(
                LabAgents.start(
                    pbx.accounts(),
                    pbx.sipPort(),
                    run.desk(),
                    labAgents,
                    // Back in after a PBX restart, as real agents would dial in again.
                    LabAgent.Behaviour.defaults().withRelogin(Duration.ofSeconds(3)),
                    System.nanoTime(),
                    zone,
                    workDir.resolve("agents")));
      }
      log.info(
          "controller: campaign {} on {}, API on {}:{}, {} lab agents",
          campaign.name(),
          pbx,
          apiHost,
          api.port(),
          labAgents);
      return new Controller(run, api, List.of(api, dashboard, metrics), agents);
    } catch (Exception | Error e) {
      for (AutoCloseable part : java.util.Arrays.asList(api, dashboard, metrics)) {
        if (part != null) {
          part.close();
        }
      }
      run.close();
      throw e;
    }
  }

  public int apiPort() {
    return api.port();
  }

  public CampaignRun run() {
    return run;
  }

  /**
   * Places no new call, gives calls in flight up to {@code grace} to end by themselves and hangs up
   * what is left, then logs the lab agents out. Idempotent.
   */
  public synchronized void stop(Duration grace) throws Exception {
    if (stopped) {
      return;
    }
    stopped = true;
    run.stop();
    run.drain(grace);
    agents.ifPresent(LabAgents::close);
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
