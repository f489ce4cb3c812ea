package org.pingdialer.api;

import io.javalin.http.Context;
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
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignLibrary;
import org.pingdialer.compliance.WhyNot;

/**
 * {@code /api/v1/campaigns}: the controller's campaign with its live figures, and start, pause,
 * resume and stop. One campaign per controller (the desk, the engine and the PBX's Stasis app are
 * the campaign's own): another stored campaign is dialed by a controller started with it.
 */
record CampaignRoutes(CampaignRun run) {
  private static final long WAIT_SECONDS = 10;

  /** The running campaign with its figures, then the stored definitions not running. */
  void list(Context ctx, Optional<CampaignLibrary> library) throws Exception {
    List<Map<String, Object>> campaigns = new ArrayList<>();
    campaigns.add(view());
    library.ifPresent(
        stored ->
            stored.names().stream()
                .filter(name -> !name.equals(run.campaign().name()))
                .forEach(
                    name -> {
                      Map<String, Object> one = new LinkedHashMap<>();
                      one.put("name", name);
                      one.put("state", "stored");
                      campaigns.add(one);
                    }));
    ctx.json(campaigns);
  }

  void one(Context ctx) throws Exception {
    known(ctx);
    ctx.json(view());
  }

  /**
   * Dials the campaign again after a stop or a pause (202), or says it already dials (200). A
   * stored campaign this controller does not run is a conflict naming the way to start it.
   */
  void start(Context ctx, Optional<CampaignLibrary> library) throws Exception {
    String name = ctx.pathParam("name");
    boolean stored = library.map(l -> l.names().contains(name)).orElse(false);
    if (!name.equals(run.campaign().name()) && stored) {
      throw Problem.conflict(
          "this controller dials campaign "
              + run.campaign().name()
              + " (one campaign per controller and PBX): stop it, end the controller, then start "
              + name
              + " with: pingdialer campaign start "
              + name
              + " --config <the controller's config>");
    }
    known(ctx);
    boolean wasDialing = run.state() == CampaignRun.State.DIALING;
    run.startAgain();
    ctx.status(wasDialing ? 200 : 202).json(view());
  }

  void pause(Context ctx) throws Exception {
    known(ctx);
    if (!run.pause()) {
      throw stopped();
    }
    ctx.status(202).json(view());
  }

  void resume(Context ctx) throws Exception {
    known(ctx);
    if (!run.resume()) {
      throw stopped();
    }
    ctx.status(202).json(view());
  }

  /**
   * "Why is nothing dialing?": the campaign's leads counted by what holds them now, how many are
   * dialable, the next redial or callback due, and why the loop itself may not dial (paused,
   * stopped, no agent seated or ready).
   */
  void why(Context ctx) throws Exception {
    known(ctx);
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
      loop.add("no agent is logged in: no call is placed without one");
    } else if (stats.readyAgents() == 0) {
      loop.add("no agent is ready (all on calls, in wrap-up, paused or reserved)");
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
    known(ctx);
    run.stop();
    ctx.status(202).json(view());
  }

  private void known(Context ctx) {
    String name = ctx.pathParam("name");
    if (!name.equals(run.campaign().name())) {
      throw Problem.notFound(
          "this controller runs campaign "
              + run.campaign().name()
              + ", not "
              + name
              + "; see GET /api/v1/campaigns");
    }
  }

  private Problem.Raised stopped() {
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

  private Map<String, Object> view() throws Exception {
    Campaign campaign = run.campaign();
    CampaignLoop.Stats stats = run.loop().stats().get(WAIT_SECONDS, TimeUnit.SECONDS);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", campaign.name());
    view.put("profile", campaign.profile().name().toLowerCase(Locale.ROOT));
    view.put("state", run.state().name().toLowerCase(Locale.ROOT));
    view.put("pacing", mode(campaign.pacing()));
    view.put("lists", campaign.lists());
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
