package org.pingdialer.api;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.pingdialer.campaign.CampaignLoop;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.campaign.Floor;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.campaign.spec.CampaignLibrary;
import org.pingdialer.compliance.WhyNot;
import org.pingdialer.report.ReportCatalog;
import org.pingdialer.store.JdbcCampaignStates;

/**
 * {@code /api/v1/campaigns}: the controller's campaigns with their live figures, and start, pause,
 * resume and stop. The campaigns share the controller's floor (one PBX, one Stasis app, one pool of
 * agents); a stored campaign the controller does not run yet is added to it by its start.
 *
 * @param floor the controller's floor and the campaigns on it
 * @param reports told of a campaign added at run time, so that its report can be asked for
 */
record CampaignRoutes(Floor floor, ReportCatalog reports, JdbcCampaignStates states) {
  CampaignRoutes(Floor floor, ReportCatalog reports) {
    this(floor, reports, new JdbcCampaignStates(floor.database()));
  }

  /** What the operator asked, kept so that a controller that restarts brings it back. */
  private void wanted(CampaignRun run, JdbcCampaignStates.Wanted state) {
    states.record(run.campaign().name(), state, Instant.now());
  }

  private static final long WAIT_SECONDS = 10;

  /** How long adding a campaign may take: its clean-up, line checker and loop start. */
  private static final Duration ADD_TIMEOUT = Duration.ofSeconds(30);

  /** The running campaigns with their figures, then the stored definitions not running. */
  void list(Context ctx, Optional<CampaignLibrary> library) throws Exception {
    List<Map<String, Object>> campaigns = new ArrayList<>();
    for (CampaignRun run : floor.runs()) {
      campaigns.add(view(run));
    }
    for (String name : storedNotRunning(library)) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", name);
      one.put("state", "stored");
      campaigns.add(one);
    }
    ctx.json(campaigns);
  }

  /** The stored campaigns the controller does not run, by name: a start adds each to the floor. */
  List<String> storedNotRunning(Optional<CampaignLibrary> library) {
    return library
        .map(stored -> stored.names().stream().filter(name -> floor.run(name).isEmpty()).toList())
        .orElse(List.of());
  }

  void one(Context ctx) throws Exception {
    ctx.json(view(known(ctx)));
  }

  /**
   * Dials the campaign again after a stop or a pause (202), or says it already dials (200). A
   * stored campaign the controller does not run is added to its floor and dials beside the others
   * (201).
   */
  void start(Context ctx, Optional<CampaignLibrary> library) throws Exception {
    String name = ctx.pathParam("name");
    Optional<CampaignRun> running = floor.run(name);
    if (running.isEmpty()) {
      Optional<String> yaml = library.flatMap(l -> l.read(name));
      if (yaml.isEmpty()) {
        throw notFound(name);
      }
      Campaign campaign;
      try {
        campaign = CampaignFiles.parse(yaml.get(), name + ".yaml");
      } catch (CampaignFileException e) {
        throw Problem.conflict(
            "the stored campaign "
                + name
                + " cannot be dialed: "
                + String.join("; ", e.problems())
                + " (fix it with PUT /api/v1/campaigns/"
                + name
                + "/definition)");
      }
      CampaignRun added;
      try {
        added = floor.add(campaign, ADD_TIMEOUT);
      } catch (IllegalArgumentException e) {
        throw Problem.conflict(e.getMessage());
      }
      reports.add(campaign);
      wanted(added, JdbcCampaignStates.Wanted.DIALING);
      ctx.status(201).json(view(added));
      return;
    }
    CampaignRun run = running.get();
    boolean wasDialing = run.state() == CampaignRun.State.DIALING;
    run.startAgain();
    wanted(run, JdbcCampaignStates.Wanted.DIALING);
    ctx.status(wasDialing ? 200 : 202).json(view(run));
  }

  void pause(Context ctx) throws Exception {
    CampaignRun run = known(ctx);
    if (!run.pause()) {
      throw stopped(run);
    }
    wanted(run, JdbcCampaignStates.Wanted.PAUSED);
    ctx.status(202).json(view(run));
  }

  void resume(Context ctx) throws Exception {
    CampaignRun run = known(ctx);
    if (!run.resume()) {
      throw stopped(run);
    }
    wanted(run, JdbcCampaignStates.Wanted.DIALING);
    ctx.status(202).json(view(run));
  }

  /**
   * "Why is nothing dialing?": the campaign's leads counted by what holds them now, how many are
   * dialable, the next redial or callback due, and why the loop itself may not dial (paused,
   * stopped, no agent seated or ready).
   */
  void why(Context ctx) throws Exception {
    CampaignRun run = known(ctx);
    var now = Instant.now();
    var summary = new WhyNot(run.leads()).campaign(run.campaign(), now);
    CampaignLoop.Stats stats = run.loop().stats().get(WAIT_SECONDS, TimeUnit.SECONDS);
    List<String> loop = new ArrayList<>();
    switch (run.state()) {
      case PAUSED -> loop.add("the campaign is paused (POST .../resume)");
      case STOPPED -> loop.add("the campaign is stopped (POST .../start)");
      case DIALING -> {}
    }
    if (stats.seatedAgents() == 0) {
      loop.add("no agent is logged in for this campaign: no call is placed without one");
    } else if (stats.readyAgents() == 0) {
      loop.add(
          "no agent is ready for this campaign (all on calls, in wrap-up, paused, reserved, or"
              + " working a campaign of higher priority)");
    }
    Map<String, Object> why = new LinkedHashMap<>();
    why.put("campaign", run.campaign().name());
    why.put("leads", summary.leads());
    why.put("dialable", summary.dialable());
    why.put("blocked", summary.blocked());
    why.put("nextDue", summary.nextDue().map(Object::toString).orElse(null));
    why.put("loop", loop);
    ctx.json(why);
  }

  /** No new calls until started again (not resumed: that ends a pause); calls in flight go on. */
  void stop(Context ctx) throws Exception {
    CampaignRun run = known(ctx);
    run.stop();
    wanted(run, JdbcCampaignStates.Wanted.STOPPED);
    ctx.status(202).json(view(run));
  }

  private CampaignRun known(Context ctx) {
    String name = ctx.pathParam("name");
    return floor.run(name).orElseThrow(() -> notFound(name));
  }

  private Problem.Raised notFound(String name) {
    List<String> names = floor.runs().stream().map(r -> r.campaign().name()).toList();
    return Problem.notFound(
        "this controller runs "
            + (names.isEmpty() ? "no campaign" : "campaigns " + String.join(", ", names))
            + ", not "
            + name
            + "; store it with PUT /api/v1/campaigns/"
            + name
            + "/definition, then POST .../start; see GET /api/v1/campaigns");
  }

  private static Problem.Raised stopped(CampaignRun run) {
    String name = run.campaign().name();
    return Problem.conflict(
        "campaign "
            + name
            + " is stopped; start it again: POST /api/v1/campaigns/"
            + name
            + "/start (pingdialer campaign start "
            + name
            + ")");
  }

  private static Map<String, Object> view(CampaignRun run) throws Exception {
    Campaign campaign = run.campaign();
    CampaignLoop.Stats stats = run.loop().stats().get(WAIT_SECONDS, TimeUnit.SECONDS);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", campaign.name());
    view.put("profile", campaign.profile().name().toLowerCase(Locale.ROOT));
    view.put("state", run.state().name().toLowerCase(Locale.ROOT));
    view.put("pacing", mode(campaign.pacing()));
    view.put("lists", campaign.lists());
    view.put("priority", campaign.share().priority());
    view.put("weight", campaign.share().weight());
    view.put("agents", campaign.share().agents().isEmpty() ? "all" : campaign.share().agents());
    view.put("seatedAgents", stats.seatedAgents());
    view.put("readyAgents", stats.readyAgents());
    // What the predictive pacer counts on: agents still talking, and those in wrap-up (soon free).
    view.put("agentsTalking", stats.agentsTalking());
    view.put("agentsWrappingUp", stats.agentsWrappingUp());
    view.put("dialing", stats.dialing());
    view.put("placed", stats.placed());
    view.put("placedWithAgent", stats.placedWithAgent());
    Map<String, Long> outcomes = new TreeMap<>();
    stats.outcomes().forEach((o, n) -> outcomes.put(o.name().toLowerCase(Locale.ROOT), n));
    view.put("outcomes", outcomes);
    view.put("dispositions", new TreeMap<>(stats.filed()));
    view.put("awaitingFiling", stats.awaitingFiling());
    stats
        .governor()
        .ifPresent(
            g -> {
              Map<String, Object> governor = new LinkedHashMap<>();
              governor.put("abandonRate24h", g.rate24h());
              governor.put("abandonRate30d", g.rate30d());
              governor.put("allowedRatio", g.allowedRatio());
              governor.put("unattended", g.unattended());
              governor.put("why", g.why());
              view.put("governor", governor);
            });
    return view;
  }

  private static String mode(Campaign.Pacing pacing) {
    return switch (pacing) {
      case Campaign.Pacing.Preview p -> "preview";
      case Campaign.Pacing.Progressive p -> "progressive";
      case Campaign.Pacing.Power p -> "power";
      case Campaign.Pacing.Predictive p -> "predictive";
    };
  }
}
