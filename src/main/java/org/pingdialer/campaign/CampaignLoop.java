package org.pingdialer.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.Disposition;
import org.pingdialer.agent.DispositionRules;
import org.pingdialer.agent.DispositionStore;
import org.pingdialer.agent.DtmfCommands;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AriPressure;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.CallState;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.compliance.DialGate;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.pacing.Pacer;
import org.pingdialer.pacing.Pacers;
import org.pingdialer.schedule.Redials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialing loop of one campaign: claims leads from the hopper while agents are ready, checks
 * each at the gate, places the calls, hands answered callees to agents (through the call engine),
 * moves every lead on by its call's outcome, and files the agents' dispositions.
 *
 * <p>The agent desk tells it who is seated, held and gone ({@link AgentDesk.Dialer}); the engine
 * tells it which agent took which call ({@link CallEngine.AgentCalls}). No agent seated means no
 * call placed: the moment the last agent leaves, nothing new is dialed.
 *
 * <p>Threads: one owner thread ({@code campaign-<campaign>}) holds all state; store calls block and
 * run in order on a second thread, and report back.
 */
public final class CampaignLoop
    implements AgentDesk.Dialer, AgentPool.Listener, Redials.Due, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CampaignLoop.class);

  /**
   * How soon an empty hopper is asked again while agents wait. Redials and callbacks wake the loop
   * at their time (Quartz); this only catches leads that became dialable otherwise: imported by
   * another process, or a calling window that opened.
   */
  private static final Duration HOPPER_RETRY = Duration.ofSeconds(30);

  private final Campaign campaign;
  private final String claimer;
  private final LeadStore leads;
  private final DialGate gate;
  private final DispositionStore dispositions;
  private final AttemptStore attempts;
  private final Redials redials;
  private final CallEngine engine;

  /** The agents: one owner thread with this loop; reservations for leads are made here. */
  private final AgentPool agents;

  private final InstantSource clock;
  private final ScheduledExecutorService loop;
  private final ExecutorService store;

  // Owned by `loop`.
  private boolean running;

  /**
   * The hopper had nothing for the campaign at its last claim: its agents work the other campaigns
   * on the floor until a claim finds a lead again (at the hopper's retry, a redial due or an
   * import).
   */
  private boolean dry;

  private boolean claiming;
  private ScheduledFuture<?> hopperRetry;

  /**
   * What ARI's answers ask of the dialing (the engine tells each change): while it holds, no call
   * is placed; while it is slow, one at a time. Leads are not burned meanwhile: calls the PBX lost
   * are LOST, not their outcome.
   */
  private AriPressure ari = AriPressure.NONE;

  /** The end of the hold a pump is already scheduled for. */
  private Instant pumpAfterHold;

  /** The agents and calls the loop paces on; the pacing decision. */
  private final CampaignFloor floor;

  /** The predictive pacer's own wake-up, when it asked to decide again without an event. */
  private ScheduledFuture<?> askAgain;

  /** The leads of the loop's calls and the dispositions agents owe for them. */
  private final Filings filings = new Filings();

  private long placed;
  private long placedWithAgent;

  /** Callbacks and redials after an abandon placed (with their agent reserved). */
  private long agentRedials;

  /** Whether the pump's pacing places each call with its agent reserved (see {@link #pump}). */
  private boolean reserveEachCall;

  /** Empty for a lab campaign without an abandon cap. */
  private final Optional<AbandonGovernor> governor;

  private AbandonGovernor.Decision lastDecision;

  /** How many new calls the pacing asked for at its last decision (0: none now). */
  private int lastWanted;

  /**
   * The campaign's pacer ({@link Pacers#forCampaign}). A predictive one weighs a call that has rung
   * long without an answer less: the time since placing stands for the ring time (the network's
   * post-dial delay is small next to it).
   */
  private final Pacer pacer;

  private final Map<DialOutcome, Long> outcomes = new EnumMap<>(DialOutcome.class);
  private final Map<String, Long> filed = new HashMap<>();

  /** A lead an agent skipped in preview is offered again this much later, not at once. */
  static final Duration SKIPPED_COMES_BACK = Duration.ofHours(1);

  /** A preview campaign's agent reserved for a lead, and the timer that dials it by itself. */
  private record Previewing(Lead lead, ScheduledFuture<?> timer) {}

  /** Preview campaigns: what each reserved agent is looking at, until it is dialed or skipped. */
  private final Map<String, Previewing> previews = new HashMap<>();

  /**
   * On the threads given: {@code loop} owns the state and its timers (the owner thread the engine
   * and the agents share), {@code store} runs the blocking store calls in order. Tests give one
   * scheduler whose time they move for both.
   *
   * @param claimer this dialer instance's name in the hopper (its claims are given back at start
   *     and stop)
   * @param agents the agents, owned by {@code loop}
   */
  CampaignLoop(
      Campaign campaign,
      String claimer,
      LeadStore leads,
      DispositionStore dispositions,
      AttemptStore attempts,
      Redials redials,
      CallEngine engine,
      AgentPool agents,
      InstantSource clock,
      ScheduledExecutorService loop,
      ExecutorService store) {
    this.campaign = campaign;
    this.claimer = claimer;
    this.leads = leads;
    this.gate = new DialGate(leads);
    this.dispositions = dispositions;
    this.attempts = attempts;
    this.redials = redials;
    this.engine = engine;
    this.agents = agents;
    this.clock = clock;
    this.governor = AbandonGovernor.Limits.of(campaign).map(AbandonGovernor::new);
    this.pacer = Pacers.forCampaign(campaign);
    this.floor = new CampaignFloor(campaign.name(), campaign.pacing().channelLimit(), agents);
    this.loop = loop;
    this.store = store;
    agents.watch(this);
    engine.watchPressure(pressure -> loop.execute(() -> pressureChanged(pressure)));
    engine.watchCalls(
        (key, state) ->
            loop.execute(
                () -> {
                  // While ARI is slow the calls being created cap new ones: one made frees a place.
                  if (floor.creating(key, state instanceof CallState.Creating) && ari.slow()) {
                    pump();
                  }
                }));
  }

  /**
   * Starts dialing: claims left by an earlier run of this claimer are given back, and every waiting
   * lead of the campaign's lists gets its redial trigger, first.
   */
  public CompletableFuture<Void> start() {
    return CompletableFuture.runAsync(
            () -> {
              leads.releaseClaims(claimer, "dialer started", clock.instant());
              // The governor starts from the last 30 days of the attempts table.
              var ended =
                  attempts.endedSince(
                      campaign.name(), clock.instant().minus(AbandonGovernor.MONTH));
              loop.execute(
                  () -> {
                    governor.ifPresent(g -> ended.forEach(e -> g.record(e.lived(), e.at())));
                    // The pacer starts from the campaign's last calls, not from guesses alone.
                    learnFromHistory(pacer, ended);
                  });
              for (String list : campaign.lists()) {
                redials.rebuild(campaign.name(), leads.waiting(list));
              }
            },
            store)
        .thenRunAsync(
            () -> {
              running = true;
              wantAgents();
              log.info("campaign {} dialing ({})", campaign.name(), campaign.pacing());
              pump();
            },
            loop);
  }

  /**
   * Dials again after {@link #stop}: a pause's end. Unlike {@link #start} it does not seed the
   * governor again (it still holds every call it saw) nor rebuild the triggers (Quartz kept them).
   */
  public CompletableFuture<Void> resume() {
    return CompletableFuture.runAsync(
        () -> {
          if (!running) {
            running = true;
            wantAgents();
            log.info("campaign {} dialing again", campaign.name());
            pump();
          }
        },
        loop);
  }

  /** Stops placing calls; calls in flight go on. Leads claimed and not dialed are given back. */
  public CompletableFuture<Void> stop() {
    return CompletableFuture.runAsync(
            () -> {
              running = false;
              // Its agents go to the other campaigns on the floor, once its calls in flight have
              // theirs (wantAgents).
              wantAgents();
              cancelHopperRetry();
              askAgainLater(Optional.empty());
              // Leads in preview are claimed: the claims are given back below.
              var previewed = new ArrayList<>(previews.entrySet());
              previews.clear();
              previewed.forEach(
                  preview -> {
                    preview.getValue().timer().cancel(false);
                    agents.unreserve(preview.getKey(), "dialer stopped");
                  });
            },
            loop)
        .thenRunAsync(() -> leads.releaseClaims(claimer, "dialer stopped", clock.instant()), store);
  }

  /**
   * A line check ended: a person who answered a full check is a live call, and one dropped is an
   * abandoned call, so the abandon governor counts it as it counts the campaign's calls.
   */
  public void lineCheckEnded(AttemptResult result) {
    loop.execute(
        () -> {
          Instant endedAt =
              result.timeline().endedAt() != null ? result.timeline().endedAt() : clock.instant();
          governor.ifPresent(g -> g.record(result.lived(), endedAt));
        });
  }

  /** Told a fresh {@link Stats} on the loop's thread after it changed: hand over, never block. */
  @FunctionalInterface
  public interface Watcher {
    void changed(Stats stats);
  }

  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();

  /**
   * Adds a watcher, told after a call is placed, taken by an agent or ends, an agent is seated,
   * held, released or gone, a disposition is filed, or the abandon governor's decision changes
   * (when the loop next paces: the rates' windows also slide with time, which no event marks).
   */
  public void watch(Watcher watcher) {
    watchers.add(watcher);
  }

  /** On the loop. */
  private void tellWatchers() {
    if (watchers.isEmpty()) {
      return;
    }
    Stats now = statsNow();
    for (Watcher watcher : watchers) {
      try {
        watcher.changed(now);
      } catch (RuntimeException e) {
        log.warn("watcher of campaign {} failed", campaign.name(), e);
      }
    }
  }

  /** The abandon governor's target and cap; empty for a lab campaign without a cap. */
  public Optional<AbandonGovernor.Limits> abandonLimits() {
    return AbandonGovernor.Limits.of(campaign);
  }

  /**
   * A call a run that died left with an agent, which the engine has adopted: the agent is seated
   * and busy with it, the lead waits for the call's end and the agent's disposition, as if this run
   * had placed it. Call before the events socket connects.
   */
  public CompletableFuture<Void> adopt(AttemptKey key, Lead lead, AgentSeat seat) {
    return CompletableFuture.runAsync(
        () -> {
          String agentId = seat.agentId();
          floor.adopted(key);
          filings.adopted(key, lead, agentId);
          var unused =
              engine
                  .result(key)
                  .whenComplete(
                      (result, error) -> loop.execute(() -> ended(key, lead, result, error)));
          tellWatchers();
        },
        loop);
  }

  // --- the agents' side (AgentPool.Listener): told on this thread mid-change, so queued -------

  @Override
  public void seated(AgentSeat seat) {
    loop.execute(
        () -> {
          pump();
          tellWatchers();
        });
  }

  /**
   * An agent is no longer reserved while it previews a lead (paused, its phone unreachable): the
   * lead goes back. Every change may let the pacing place calls (an agent ready, a call ended).
   */
  @Override
  public void changed(String agentId, AgentState before, AgentState after) {
    loop.execute(
        () -> {
          AgentState now = agents.state(agentId); // this change may be stale by now
          if (now.status() != AgentState.Status.RESERVED) {
            dropPreview(
                agentId, now.canTakeCall() ? "agent no longer reserved" : "agent paused or gone");
          }
          pump();
          tellWatchers();
        });
  }

  /**
   * The agent's call and wrap-up are over: the pacer learns their lengths; a call the agent filed
   * nothing for is redialed later.
   */
  @Override
  public void workDone(String agentId, Duration talk, Duration wrapUp) {
    loop.execute(
        () -> {
          pacer.agentFreed(talk, wrapUp, clock.instant());
          settleUnfiled(agentId, "not filed");
          pump();
          tellWatchers();
        });
  }

  /** An agent ready now was given to this campaign (another one stopped or ran dry). */
  @Override
  public void given(String agentId, String campaignName) {
    if (campaign.name().equals(campaignName)) {
      loop.execute(
          () -> {
            pump();
            tellWatchers();
          });
    }
  }

  @Override
  public void left(AgentSeat seat) {
    String agentId = seat.agentId();
    loop.execute(
        () -> {
          dropPreview(agentId, "agent logged out");
          // Logged out before filing: nobody will file that call now.
          settleUnfiled(agentId, "agent logged out before filing");
          if (floor.seated() == 0) {
            log.info("campaign {}: no agent seated, no new calls", campaign.name());
          }
          tellWatchers();
        });
  }

  @Override
  public void agentKeyed(String agentId, DtmfCommands.Command command) {
    loop.execute(
        () -> {
          switch (command) {
            case DtmfCommands.Command.File file -> file(agentId, file.disposition());
            case DtmfCommands.Command.EndCall end -> {
              var unused = engine.endCallOf(agentId);
            }
            case DtmfCommands.Command.Ready ready -> {} // the desk ends the wrap-up
            case DtmfCommands.Command.DialPreview dial -> dialPreview(agentId, "agent dialed");
            case DtmfCommands.Command.SkipPreview skip -> skipPreview(agentId);
            case DtmfCommands.Command.Invalid invalid ->
                log.info("agent {} keyed {}: no such code", agentId, invalid.keys());
          }
        });
  }

  private void file(String agentId, Disposition disposition) {
    // The agent's last call, also after its wrap-up ended unfiled: a late filing still counts.
    Optional<Filings.Owed> owed = filings.owedBy(agentId);
    if (owed.isEmpty()) {
      log.warn("agent {} filed {} with no call to file it for", agentId, disposition.code());
      return;
    }
    AttemptKey call = owed.get().call();
    Lead lead = owed.get().lead();
    Instant now = clock.instant();
    var filing =
        new DispositionStore.Filing(
            call,
            lead.id(),
            agentId,
            disposition,
            DispositionRules.leadEvent(disposition, campaign, now),
            DispositionRules.dncListFor(campaign),
            now);
    store.execute(
        () -> {
          try {
            dispositions.file(filing);
            wakeWhenDue(lead.id(), filing.leadEvent());
            loop.execute(
                () -> {
                  filed.merge(disposition.code(), 1L, Long::sum);
                  filings.filed(call);
                  tellWatchers();
                });
            log.info("agent {} filed {} for {}", agentId, disposition.code(), call);
          } catch (RuntimeException e) {
            log.warn(
                "agent {}: filing {} for {} failed: {}",
                agentId,
                disposition,
                call,
                e.getMessage());
          }
        });
  }

  /**
   * Leads were added to the campaign's lists (an import through the API finished): the hopper is
   * asked now, not at its next retry ({@link #HOPPER_RETRY} after it ran dry).
   */
  public void leadsArrived() {
    loop.execute(this::pump);
  }

  /** Quartz: a redial or callback of this campaign is due; the hopper hands it out first. */
  @Override
  public void due(String campaignName, long leadId, LeadEvent.WaitReason reason, Instant at) {
    if (campaign.name().equals(campaignName)) {
      log.debug("lead {} due ({})", leadId, reason);
      loop.execute(this::pump);
    }
  }

  /** An answered call took the agent: it is no longer paced as dialing. */
  @Override
  public void reserved(String agentId, AttemptKey call) {
    loop.execute(
        () -> {
          floor.answeredFor(call);
          wantAgents(); // the last call of a stopped campaign has its agent: the rest may go
          tellWatchers();
        });
  }

  /** The agent talks with the callee of {@code call}: its disposition is for that call's lead. */
  @Override
  public void connected(String agentId, AttemptKey call) {
    loop.execute(() -> filings.connected(agentId, call));
  }

  // --- dialing -----------------------------------------------------------------------------------

  /** How many of the campaign's last calls a predictive pacer learns from when the loop starts. */
  static final int PACER_HISTORY = 500;

  /**
   * The pacer learns the live-answer rate, ring times and talk times from the campaign's last
   * {@link #PACER_HISTORY} calls (line checks are another population: pings and short checks).
   * Their abandons are not told: the pacer's correction is about how it paces now. Wrap-ups are not
   * in the attempts table; the pacer keeps the campaign's {@code wrap_up} for them until it sees
   * some.
   */
  static void learnFromHistory(Pacer pacer, List<AttemptStore.Ended> ended) {
    List<AttemptStore.Ended> calls =
        ended.stream().filter(e -> e.kind() == Attempt.Kind.CALL).toList();
    for (var call : calls.subList(Math.max(0, calls.size() - PACER_HISTORY), calls.size())) {
      switch (call.outcome()) {
        case ANSWERED, ABANDONED -> pacer.answered(call.ring().orElse(Duration.ZERO), call.at());
        default -> pacer.unanswered(call.at());
      }
      call.talk().ifPresent(talk -> pacer.talked(talk, call.at()));
    }
  }

  /** The pacer learns the live-answer rate and ring time from each call's end. */
  private static void learn(Pacer pacer, AttemptResult result, Instant endedAt) {
    switch (result.outcome()) {
      case ANSWERED, ABANDONED -> {
        var timeline = result.timeline();
        Duration ring =
            timeline.answeredAt() != null && timeline.ringingAt() != null
                ? Duration.between(timeline.ringingAt(), timeline.answeredAt())
                : Duration.ZERO;
        pacer.answered(ring, endedAt);
        if (result.outcome() == DialOutcome.ABANDONED) {
          pacer.abandoned(endedAt);
        }
      }
      default -> pacer.unanswered(endedAt);
    }
  }

  /** What the abandon governor allows now; logged when its reason changes. */
  private double allowedRatio() {
    if (governor.isEmpty()) {
      return Double.MAX_VALUE;
    }
    AbandonGovernor.Decision decision =
        governor
            .get()
            .allow(Pacers.wantedRatio(campaign.pacing()), floor.seated(), clock.instant());
    if (lastDecision == null || !lastDecision.why().equals(decision.why())) {
      log.info(
          "campaign {}: abandon rate {} (24 h), {} (30 d): {} calls per agent, {}",
          campaign.name(),
          String.format(Locale.ROOT, "%.2f %%", 100 * decision.rate24h()),
          String.format(Locale.ROOT, "%.2f %%", 100 * decision.rate30d()),
          String.format(Locale.ROOT, "%.2f", decision.allowedRatio()),
          decision.why());
    }
    boolean changed = !decision.equals(lastDecision); // rates or reason: watchers see it
    lastDecision = decision;
    if (changed) {
      tellWatchers();
    }
    return decision.allowedRatio();
  }

  /** A callback, or a redial after an abandon: dialed only with an agent reserved first. */
  private static boolean needsAgent(Lead lead) {
    return lead.waitReason()
        .filter(r -> r == LeadEvent.WaitReason.CALLBACK || r == LeadEvent.WaitReason.AGENT_REDIAL)
        .isPresent();
  }

  /**
   * Tells the pool whether the campaign wants agents now: while it dials and its hopper has leads,
   * and while calls it placed without an agent still ring (stopped, paused or dry, its callees
   * still need its agents when they answer: handed to another campaign at once, they were reserved
   * for that one's calls, and a stopped predictive campaign dropped 2 of its last calls). Otherwise
   * the agents who work it go to the floor's other campaigns. The pool ignores a repeat.
   */
  private void wantAgents() {
    agents.open(campaign.name(), (running && !dry) || floor.dialing() > 0);
  }

  /** Places as many calls as the pacing wants now; one hopper claim at a time. */
  private void pump() {
    if (!running || claiming || floor.seated() == 0) {
      return;
    }
    Instant now = clock.instant();
    Optional<Instant> hold = ari.holding(now);
    if (hold.isPresent()) {
      pumpAt(hold.get());
      return; // backing off; the hold's end pumps again
    }
    double ratio = allowedRatio();
    // Calls that may ring with no ready agent: as many as could all drop under the cap.
    int unattended = governor.isEmpty() ? Integer.MAX_VALUE : lastDecision.unattended();
    // One call per agent (progressive, or any campaign its governor holds at its cap): each call
    // is placed with its agent reserved, so an inbound caller or another campaign cannot take the
    // agent it was placed for while it rings, and its callee is never dropped for want of one.
    reserveEachCall = campaign.pacing() instanceof Campaign.Pacing.Progressive || ratio <= 1.0;
    CampaignFloor.Paced paced = floor.pace(pacer, ratio, unattended, ari, now);
    askAgainLater(pacer.askAgainIn());
    if (paced.wanted() != lastWanted) {
      lastWanted = paced.wanted();
      tellWatchers();
    }
    // A dry hopper is asked for one lead: the campaign's agents went to the other campaigns, so
    // its pacing sees none until a lead is found.
    int want = dry ? Math.max(1, paced.toPlace()) : paced.toPlace();
    if (want <= 0) {
      return;
    }
    Set<String> ready = floor.readyAgents();
    claiming = true;
    cancelHopperRetry();
    store.execute(
        () -> {
          // The time the claim runs, not the time it was asked for: the store thread may be busy.
          Instant claimAt = clock.instant();
          List<Lead> dialable = new ArrayList<>();
          try {
            for (Lead lead : leads.claim(campaign.claimRequest(claimer, claimAt, want, ready))) {
              Optional<String> refusal = gate.refusal(campaign, lead, claimAt);
              if (refusal.isPresent()) {
                leads.apply(lead.id(), new LeadEvent.Released(refusal.get()), claimAt);
              } else {
                dialable.add(lead);
              }
            }
          } catch (RuntimeException e) {
            log.warn("campaign {}: claiming leads failed", campaign.name(), e);
          }
          loop.execute(() -> dial(dialable));
        });
  }

  private void dial(List<Lead> claimed) {
    claiming = false;
    if (!running || floor.seated() == 0) {
      // Stopped, or the last agent left while the hopper answered: give them back.
      release(claimed, "no agent");
      return;
    }
    if (dry != claimed.isEmpty()) {
      dry = claimed.isEmpty();
      wantAgents(); // the pool gives agents out again at once: those below are who is ready now
      if (dry) {
        log.info(
            "campaign {}: nothing to dial; its agents work the floor's other campaigns",
            campaign.name());
      }
    }
    Set<String> free = floor.readyAgents();
    List<Lead> noAgent = new ArrayList<>();
    List<Lead> noChannel = new ArrayList<>();
    boolean preview = campaign.pacing() instanceof Campaign.Pacing.Preview;
    for (Lead lead : claimed) {
      if (!preview && floor.channelsLeft() <= 0) {
        noChannel.add(lead); // calls placed meanwhile (a callback, an agent redial) took them
        continue;
      }
      // A dry campaign's probe for one lead may find none of its agents ready (they work the
      // floor's other campaigns until it has a lead): that call is placed without one, as a paced
      // call; releasing it would hand the agents back and forth between the campaigns.
      if (preview || needsAgent(lead) || (reserveEachCall && !free.isEmpty())) {
        // Its own agent for an agent-only callback, else the agent ready longest (the hopper
        // handed out only callbacks whose agent was ready, but that may have changed since).
        Optional<String> agent =
            lead.callbackAgent().isPresent()
                ? lead.callbackAgent().filter(free::contains)
                : agents.readyInLine().stream().filter(free::contains).findFirst();
        if (agent.isEmpty()) {
          noAgent.add(lead);
          continue;
        }
        free.remove(agent.get());
        if (!agents.reserveFor(agent.get(), lead)) {
          noAgent.add(lead); // not ready any more (the pool is the judge)
          continue;
        }
        if (preview) {
          startPreview(agent.get(), lead);
        } else {
          floor.placing(true);
          store.execute(() -> place(lead, agent));
        }
      } else {
        floor.placing(false);
        store.execute(() -> place(lead, Optional.empty()));
      }
    }
    release(noAgent, "its agent is not ready");
    release(noChannel, "the campaign's channel limit is reached");
    if (claimed.isEmpty()) {
      hopperRetry = loop.schedule(this::pump, HOPPER_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  // --- preview ----------------------------------------------------------------------------------

  /** The agent is reserved and sees the lead; the call is placed when it asks or time is up. */
  private void startPreview(String agentId, Lead lead) {
    Duration time = ((Campaign.Pacing.Preview) campaign.pacing()).previewTime();
    ScheduledFuture<?> timer =
        loop.schedule(
            () -> dialPreview(agentId, "preview time up"), time.toMillis(), TimeUnit.MILLISECONDS);
    previews.put(agentId, new Previewing(lead, timer));
    agents.show(agentId, lead);
    log.info("agent {} previews lead {} ({} to dial it)", agentId, lead.id(), time);
  }

  private void dialPreview(String agentId, String why) {
    Previewing previewing = previews.remove(agentId);
    if (previewing == null) {
      log.info("agent {}: no lead in preview to dial", agentId);
      return;
    }
    previewing.timer().cancel(false);
    log.info("agent {}: lead {} dialed ({})", agentId, previewing.lead().id(), why);
    floor.placing(true);
    store.execute(() -> place(previewing.lead(), Optional.of(agentId)));
  }

  /** The agent passed on the lead: it comes back later, the agent gets the next one. */
  private void skipPreview(String agentId) {
    Previewing previewing = previews.remove(agentId);
    if (previewing == null) {
      log.info("agent {}: no lead in preview to skip", agentId);
      return;
    }
    previewing.timer().cancel(false);
    agents.unreserve(agentId, "lead skipped");
    Lead lead = previewing.lead();
    Instant now = clock.instant();
    // A callback or agent redial keeps its reason and agent; anything else simply waits.
    LeadEvent.WaitReason reason =
        lead.waitReason().filter(r -> r.priority() > 0).orElse(LeadEvent.WaitReason.RELEASED);
    Optional<String> itsAgent =
        reason == LeadEvent.WaitReason.RELEASED ? Optional.empty() : lead.callbackAgent();
    applyLater(
        lead,
        new LeadEvent.Scheduled(reason, now.plus(SKIPPED_COMES_BACK), itsAgent),
        now,
        "skipped in preview by " + agentId);
    log.info("agent {} skipped lead {}", agentId, lead.id());
    pump();
  }

  /** The agent can no longer take the previewed lead (paused, gone): it goes back at once. */
  private void dropPreview(String agentId, String why) {
    Previewing previewing = previews.remove(agentId);
    if (previewing != null) {
      previewing.timer().cancel(false);
      agents.unreserve(agentId, why); // if still reserved for it
      release(List.of(previewing.lead()), why);
    }
  }

  private void release(List<Lead> claimed, String why) {
    if (claimed.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    store.execute(
        () -> claimed.forEach(l -> leads.apply(l.id(), new LeadEvent.Released(why), now)));
  }

  /**
   * On the store thread: the lead is marked dialing, then the call is placed, with {@code agent}
   * reserved for it first if given.
   */
  private void place(Lead claimedLead, Optional<String> agent) {
    Instant now = clock.instant();
    Lead lead;
    try {
      // The last look, at the moment of dialing: a window may have closed since the claim.
      Optional<String> refusal = gate.refusal(campaign, claimedLead, now);
      if (refusal.isPresent()) {
        leads.apply(claimedLead.id(), new LeadEvent.Released(refusal.get()), now);
        loop.execute(() -> placeFailed(agent));
        return;
      }
      lead = leads.apply(claimedLead.id(), new LeadEvent.DialStarted(), now);
    } catch (RuntimeException e) {
      log.warn("lead {} could not be dialed: {}", claimedLead.id(), e.getMessage());
      loop.execute(() -> placeFailed(agent));
      return;
    }
    CompletableFuture<AttemptKey> call =
        agent.isPresent()
            ? engine.placeWithAgent(lead.dialDigits(), agent.get())
            : engine.place(lead.dialDigits(), Attempt.Kind.CALL);
    boolean redial = needsAgent(claimedLead);
    var unused =
        call.whenComplete(
            (key, failure) ->
                loop.execute(
                    () -> {
                      if (failure == null && redial) {
                        agentRedials++;
                      }
                      placedOrNot(lead, agent, key, failure);
                    }));
  }

  private void placedOrNot(Lead lead, Optional<String> agent, AttemptKey key, Throwable failure) {
    if (failure != null) {
      floor.notPlaced(agent.isPresent());
      wantAgents();
      log.warn("lead {}: placing the call failed: {}", lead.id(), failure.getMessage());
      agent.ifPresent(a -> agents.unreserve(a, "placing the call failed"));
      // No call was made (no attempt stored): back to waiting, due now, not counted; a callback
      // or agent redial keeps its reason and agent.
      Instant at = clock.instant();
      applyLater(lead, new LeadEvent.CallLost("placing the call failed"), at, "placing failed");
      return;
    }
    placed++;
    if (agent.isPresent()) {
      placedWithAgent++;
    }
    // A call with an agent reserved has its agent already: not paced.
    floor.placed(key, agent.isPresent(), clock.instant());
    filings.placed(key, lead);
    tellWatchers();
    var unusedWatch =
        engine
            .result(key)
            .whenComplete((result, error) -> loop.execute(() -> ended(key, lead, result, error)));
    pump();
  }

  private void placeFailed(Optional<String> agent) {
    floor.notPlaced(agent.isPresent());
    wantAgents();
    agent.ifPresent(a -> agents.unreserve(a, "the lead could not be dialed"));
    pump();
  }

  private void ended(AttemptKey key, Lead lead, AttemptResult result, Throwable error) {
    floor.ended(key);
    wantAgents();
    if (error != null) {
      log.warn("{}: no result stored", key, error);
      filings.forget(key);
      pump();
      return;
    }
    outcomes.merge(result.outcome(), 1L, Long::sum);
    Instant endedAt =
        result.timeline().endedAt() != null ? result.timeline().endedAt() : clock.instant();
    governor.ifPresent(g -> g.record(result.lived(), endedAt));
    learn(pacer, result, endedAt);
    tellWatchers();
    switch (filings.ended(key, result.outcome())) {
      case FILED_ALREADY -> {
        pump();
        return;
      }
      case AWAITS_FILING -> {
        // The agent left during the call (its phone hung up): nobody will file it.
        filings
            .agentOf(key)
            .filter(agent -> agents.seatOf(agent).isEmpty())
            .ifPresent(gone -> settleUnfiled(gone, "agent left during the call"));
        pump();
        return;
      }
      case APPLY_OUTCOME -> {}
    }
    Instant at = clock.instant();
    store.execute(
        () -> {
          try {
            LeadEvent next = OutcomeRules.after(result, lead, campaign, at, attempts);
            leads.apply(lead.id(), next, at);
            wakeWhenDue(lead.id(), next);
          } catch (RuntimeException e) {
            log.warn("lead {} after {}: {}", lead.id(), result.outcome(), e.getMessage());
          }
        });
    pump();
  }

  /** ARI's pressure changed (told by the engine): a hold's end pumps; its lifting pumps now. */
  private void pressureChanged(AriPressure pressure) {
    ari = pressure;
    ari.holding(clock.instant()).ifPresentOrElse(this::pumpAt, this::pump);
  }

  /**
   * Pumps once at {@code at}: the end of a hold (several pumps in a hold schedule one). The timer
   * may fire a hair early by the clock; its pump then schedules the next one.
   */
  private void pumpAt(Instant at) {
    if (at.equals(pumpAfterHold)) {
      return;
    }
    pumpAfterHold = at;
    long millis = Duration.between(clock.instant(), at).toMillis() + 1;
    var unused =
        loop.schedule(
            () -> {
              pumpAfterHold = null;
              pump();
            },
            Math.max(1, millis),
            TimeUnit.MILLISECONDS);
  }

  private void applyLater(Lead lead, LeadEvent event, Instant at, String why) {
    store.execute(
        () -> {
          try {
            leads.apply(lead.id(), event, at);
            wakeWhenDue(lead.id(), event);
          } catch (RuntimeException e) {
            log.warn("lead {} ({}): {} not applied: {}", lead.id(), why, event, e.getMessage());
          }
        });
  }

  /** On the store thread: a lead that now waits gets its Quartz trigger. */
  private void wakeWhenDue(long leadId, LeadEvent event) {
    if (event instanceof LeadEvent.Scheduled scheduled) {
      redials.schedule(campaign.name(), leadId, scheduled.reason(), scheduled.due());
    }
  }

  /** The agent's last call, if it ended and waits for a filing, is redialed later instead. */
  private void settleUnfiled(String agentId, String why) {
    filings
        .unfiled(agentId)
        .ifPresent(
            lead -> {
              Instant now = clock.instant();
              applyLater(lead, OutcomeRules.unfiled(lead, campaign, now), now, why);
            });
  }

  /**
   * The predictive pacer's estimates move with time alone (a busy agent nears the end of its call,
   * a ringing call grows less likely to be a person): when it asks, it is asked again then, unless
   * an event asks it first. One wake-up at a time; a newer answer replaces it.
   */
  private void askAgainLater(Optional<Duration> in) {
    if (askAgain != null) {
      askAgain.cancel(false);
      askAgain = null;
    }
    if (in.isPresent() && running) {
      askAgain = loop.schedule(this::pump, in.get().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void cancelHopperRetry() {
    if (hopperRetry != null) {
      hopperRetry.cancel(false);
      hopperRetry = null;
    }
  }

  /** What the loop has done so far. */
  public CompletableFuture<Stats> stats() {
    return CompletableFuture.supplyAsync(this::statsNow, loop);
  }

  /** On the loop. */
  private Stats statsNow() {
    return new Stats(
        running,
        floor.seated(),
        floor.readyAgents().size(),
        floor.dialing(),
        placed,
        placedWithAgent,
        agentRedials,
        Map.copyOf(outcomes),
        Map.copyOf(filed),
        filings.awaitingFiling(),
        Optional.ofNullable(lastDecision),
        lastWanted,
        floor.talking(),
        floor.wrappingUp());
  }

  /**
   * A snapshot of the loop.
   *
   * @param dialing calls placed and not yet answered for an agent or ended
   * @param placedWithAgent calls placed with an agent reserved first (callbacks, agent redials, and
   *     every call of a campaign dialing one call per agent)
   * @param agentRedials of those, callbacks and redials after an abandon (dialed only with their
   *     agent)
   * @param awaitingFiling connected calls that ended without a disposition yet
   * @param governor the abandon governor's last decision (none for a lab campaign without a cap)
   * @param pacerWanted how many new calls the pacing (predictive pacer, or power/progressive
   *     arithmetic) asked for at its last decision
   * @param agentsTalking agents on a call (the predictive pacer expects them back after the rest of
   *     the call and a wrap-up)
   * @param agentsWrappingUp agents whose call ended and who are in wrap-up (expected back within
   *     the rest of the wrap-up)
   */
  public record Stats(
      boolean running,
      int seatedAgents,
      int readyAgents,
      int dialing,
      long placed,
      long placedWithAgent,
      long agentRedials,
      Map<DialOutcome, Long> outcomes,
      Map<String, Long> filed,
      int awaitingFiling,
      Optional<AbandonGovernor.Decision> governor,
      int pacerWanted,
      int agentsTalking,
      int agentsWrappingUp) {}

  /** Stops the store worker; the owner thread is shared and is its creator's to stop. */
  @Override
  public void close() {
    store.shutdownNow();
  }
}
