package org.pingdialer.agent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.Agents;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lead.Lead;
import org.pingdialer.pacing.AgentShares;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every agent's state, in one place: seated or not (its phone in its bridge), ready, reserved (for
 * which call or lead), on a call, wrapping up or paused, since when, and its statistics. "Is agent
 * X free?" is asked here and nowhere else.
 *
 * <p>Threads: owned by one thread, the run's owner thread, which the call engine, the campaign loop
 * and the agent desk share. They call the pool directly on it; nothing here blocks or waits. The
 * pool's own timers (wrap-up) run on that thread too. {@link Listener}s are told on it, at once and
 * in order: a listener that acts on another part's state hands the work over (queues it on the same
 * thread) rather than calling back into the pool mid-change.
 *
 * <p>Who tells the pool what: the desk (the ARI and AMI side of agents) that a phone sat down or
 * left, a pause, a key; the engine ({@link Agents}) that an answered call took an agent, reached it
 * and let it go; the campaign loop that it reserved an agent for a lead (a callback, a redial after
 * an abandon, a preview) and that a reservation ended without a call.
 */
public final class AgentPool implements Agents {
  private static final Logger log = LoggerFactory.getLogger(AgentPool.class);

  private final ScheduledExecutorService owner;
  private final InstantSource clock;

  /** How long an agent has after a call before the next one (the campaign's wrap_up). */
  private final Duration wrapUp;

  // Owned by `owner`.
  private final Map<String, Agent> agents = new HashMap<>();

  /**
   * The campaigns working the pool, by name; none: every ready agent is anyone's (one campaign).
   */
  private final Map<String, Membership> campaigns = new TreeMap<>();

  /** The campaigns that dial now and want agents. */
  private final Set<String> open = new HashSet<>();

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<AgentSeat>> leaving = new CopyOnWriteArrayList<>();

  /** One agent, from its first login on. */
  private static final class Agent {
    final String id;
    final AgentStats stats;
    AgentState state = AgentState.LOGGED_OUT;

    /** Its phone in its bridge while logged in; null when logged out. */
    AgentSeat seat;

    /** Since when it is ready: who waited longest gets the next answered call. */
    Instant readySince;

    /** The call it is reserved for or talking on; null when none (or reserved for a lead only). */
    AttemptKey call;

    /**
     * The campaign it works for now: the one it was given to while ready, its call's while
     * reserved, talking and wrapping up. Null when no campaign takes it.
     */
    String campaign;

    /** The lead a preview campaign shows it, while reserved for that lead. */
    Optional<Lead> preview = Optional.empty();

    /** When its current or last call was connected, and when that call ended (wrap-up from). */
    Instant talkFrom;

    Instant wrapFrom;

    /** Counts wrap-ups, so that a wrap-up timer that fires late finds it is not its own. */
    long wrapUps;

    ScheduledFuture<?> wrapTimer;

    Agent(String id, Instant now) {
      this.id = id;
      this.stats = new AgentStats(now);
    }
  }

  /**
   * Told on the owner thread, in order, after each change. Hand work over (queue it), never block,
   * never call back into the pool from here.
   */
  public interface Listener {
    /** The agent's state changed. */
    default void changed(String agentId, AgentState before, AgentState after) {}

    /**
     * A ready agent was given to {@code campaign} without a change of its state: another campaign
     * stopped, paused, ran out of leads or joined. The campaign's loop may place calls for it.
     */
    default void given(String agentId, String campaign) {}

    /** The agent's phone sits in its bridge (a login, or a login again). */
    default void seated(AgentSeat seat) {}

    /** The agent's phone left (hung up, logged out, gone in an events gap). */
    default void left(AgentSeat seat) {}

    /** The agent was taken for {@code call}: an answered call, or a call placed for it. */
    default void reserved(String agentId, AttemptKey call) {}

    /** The customer of {@code call} is in the agent's bridge. */
    default void connected(String agentId, AttemptKey call) {}

    /**
     * The agent's call and wrap-up are over (it is ready or paused now): how long it talked and
     * wrapped up. A call whose end was not seen counts as talk to the last.
     */
    default void workDone(String agentId, Duration talk, Duration wrapUp) {}
  }

  /** The pool's clock (the desk's too). */
  InstantSource clock() {
    return clock;
  }

  /**
   * @param owner the one thread that owns the pool (and its wrap-up timers)
   * @param wrapUp the campaign's wrap-up time after each call
   */
  public AgentPool(ScheduledExecutorService owner, InstantSource clock, Duration wrapUp) {
    this.owner = owner;
    this.clock = clock;
    this.wrapUp = wrapUp;
  }

  /** Adds a listener (before agents log in). */
  public void watch(Listener listener) {
    listeners.add(listener);
  }

  // --- campaigns sharing the pool ---------------------------------------------------------------

  /**
   * A campaign (or an inbound queue) working the pool: which agents work it, its priority and
   * weight among the others ({@link AgentShares}), the wrap-up its calls leave an agent, and how
   * many agents it keeps even while it does not dial ({@code reserve}: an inbound queue's agents
   * for callers expected but not there yet; 0 for a campaign).
   */
  public record Membership(String campaign, Campaign.Share share, Duration wrapUp, int reserve) {
    public Membership {
      if (reserve < 0) {
        throw new IllegalArgumentException("a reserve cannot be negative: " + reserve);
      }
    }

    /** A campaign: it keeps no agent while it does not dial. */
    public Membership(String campaign, Campaign.Share share, Duration wrapUp) {
      this(campaign, share, wrapUp, 0);
    }
  }

  /**
   * A campaign starts working the pool (closed until {@link #open}): ready agents are given out
   * again. With no campaign joined every ready agent is anyone's.
   */
  public void join(Membership membership) {
    campaigns.put(membership.campaign(), membership);
    allotReady();
  }

  /** The campaign no longer works the pool (its run closed). */
  public void part(String campaign) {
    campaigns.remove(campaign);
    open.remove(campaign);
    allotReady();
  }

  /**
   * Whether the campaign dials and wants agents now (not paused, stopped, or out of leads and
   * calling time): ready agents are given out again when this changes.
   */
  public void open(String campaign, boolean dials) {
    boolean changed = dials ? open.add(campaign) : open.remove(campaign);
    if (changed) {
      allotReady();
    }
  }

  /** The campaign the agent works for now, if any (its call's, or the one it is ready for). */
  public Optional<String> campaignOf(String agentId) {
    return Optional.ofNullable(agents.get(agentId)).map(a -> a.campaign);
  }

  /** Gives every ready agent out again, who waited longest first. */
  private void allotReady() {
    List<Agent> ready =
        agents.values().stream().filter(AgentPool::isReady).sorted(IN_LINE).toList();
    Map<Agent, String> before = new HashMap<>();
    ready.forEach(
        agent -> {
          before.put(agent, agent.campaign);
          agent.campaign = null;
        });
    ready.forEach(this::allot);
    for (Agent agent : ready) {
      String now = agent.campaign;
      if (now != null && !now.equals(before.get(agent))) {
        tell(l -> l.given(agent.id, now));
      }
    }
  }

  /** A ready agent goes to one of its campaigns by priority and weight; none when none is open. */
  private void allot(Agent agent) {
    List<AgentShares.Claim> claims = new ArrayList<>();
    for (Membership m : campaigns.values()) {
      if (m.share().takes(agent.id)) {
        claims.add(
            new AgentShares.Claim(
                m.campaign(),
                m.share().priority(),
                m.share().weight(),
                wants(m, agent),
                holding(m.campaign(), agent)));
      }
    }
    agent.campaign = AgentShares.choose(claims).orElse(null);
  }

  /** It dials now, or keeps a reserve it does not have yet (not counting {@code agent}). */
  private boolean wants(Membership m, Agent agent) {
    return open.contains(m.campaign())
        || (m.reserve() > 0 && holding(m.campaign(), agent) < m.reserve());
  }

  /** Agents working for the campaign now (ready for it or busy with its calls), but {@code not}. */
  private int holding(String campaign, Agent not) {
    int holding = 0;
    for (Agent agent : agents.values()) {
      if (agent != not && agent.seat != null && campaign.equals(agent.campaign)) {
        AgentState.Status status = agent.state.status();
        if (status == AgentState.Status.READY
            || status == AgentState.Status.RESERVED
            || status == AgentState.Status.ON_CALL
            || status == AgentState.Status.WRAP_UP) {
          holding++;
        }
      }
    }
    return holding;
  }

  /** The campaign's priority; 0 (below any) for none or one that left. */
  private int priorityOf(String campaign) {
    Membership m = campaign == null ? null : campaigns.get(campaign);
    return m == null ? 0 : m.share().priority();
  }

  // --- the desk's side: phones ------------------------------------------------------------------

  /**
   * The agent's phone sits in its bridge: it is ready (or keeps the pause it chose). A login on a
   * new phone replaces the old one: a call with the old phone goes on without it, as if it had hung
   * up (the desk hangs it up).
   */
  public void seat(AgentSeat seat) {
    Agent agent = agents.computeIfAbsent(seat.agentId(), id -> new Agent(id, clock.instant()));
    AgentSeat older = agent.seat;
    agent.seat = seat;
    agent.call = null;
    cancelWrapTimer(agent);
    if (older != null && !older.equals(seat)) {
      leaving.forEach(l -> l.accept(older));
    }
    change(agent, new AgentEvent.LoggedIn());
    tell(l -> l.seated(seat));
  }

  /**
   * A run that died left the agent's phone in its bridge with a customer, and this run adopted the
   * call: the agent is seated and on that call since now.
   */
  public void adopt(AgentSeat seat, AttemptKey call) {
    Agent agent = agents.computeIfAbsent(seat.agentId(), id -> new Agent(id, clock.instant()));
    agent.seat = seat;
    change(agent, new AgentEvent.LoggedIn());
    change(agent, new AgentEvent.Reserved(call.channelId()));
    agent.call = call;
    agent.campaign = call.campaign();
    agent.talkFrom = clock.instant();
    agent.wrapFrom = null;
    change(agent, new AgentEvent.Connected(call.channelId()));
  }

  /** The agent's phone left: logged out; a call it was on or reserved for goes on without it. */
  public void leave(String agentId, String why) {
    Agent agent = agents.get(agentId);
    if (agent == null || agent.seat == null) {
      return;
    }
    AgentSeat seat = agent.seat;
    agent.seat = null;
    agent.call = null;
    cancelWrapTimer(agent);
    change(agent, new AgentEvent.LoggedOut(why));
    leaving.forEach(l -> l.accept(seat));
    tell(l -> l.left(seat));
  }

  /** Pauses the agent; during a call (or reserved for one) the pause starts when it ends. */
  public AgentState pause(String agentId, AgentState.PauseReason reason) {
    Agent agent = agents.get(agentId);
    if (agent == null) {
      return AgentState.LOGGED_OUT;
    }
    endPreviewReservation(agent, "agent paused");
    change(agent, new AgentEvent.PauseRequested(reason));
    return agent.state;
  }

  /** Resumes an agent the agent (or a supervisor) paused; a system pause stays. */
  public AgentState resume(String agentId) {
    Agent agent = agents.get(agentId);
    if (agent == null) {
      return AgentState.LOGGED_OUT;
    }
    change(agent, new AgentEvent.Resumed());
    return agent.state;
  }

  /** AMI: the agent's phone is reachable (registered) or not; unreachable pauses it. */
  public void phoneReachable(String agentId, boolean reachable) {
    Agent agent = agents.get(agentId);
    if (agent == null || agent.state.status() == AgentState.Status.LOGGED_OUT) {
      return; // not logged in: nothing to pause
    }
    if (!reachable) {
      endPreviewReservation(agent, "phone unreachable");
    }
    change(agent, reachable ? new AgentEvent.PhoneReachable() : new AgentEvent.PhoneUnreachable());
  }

  /** The agent ends its wrap-up now (a key, the API). False when it is not wrapping up. */
  public boolean endWrapUp(String agentId) {
    Agent agent = agents.get(agentId);
    if (agent == null || agent.state.status() != AgentState.Status.WRAP_UP) {
      return false;
    }
    cancelWrapTimer(agent);
    change(agent, new AgentEvent.WrapUpEnded());
    return true;
  }

  /** The agent filed a disposition: counted in its statistics. */
  public void filed(String agentId, Disposition disposition) {
    Agent agent = agents.get(agentId);
    if (agent != null) {
      agent.stats.filed(disposition);
    }
  }

  // --- the campaign loop's side: reservations for leads -----------------------------------------

  /**
   * Reserves a ready agent for {@code lead} (a callback, a redial after an abandon, a preview): it
   * gets no other call until the call placed for the lead takes it ({@link #reserve}) or {@link
   * #unreserve}. False when the agent is not ready.
   */
  public boolean reserveFor(String agentId, Lead lead) {
    Agent agent = agents.get(agentId);
    if (agent == null || !agent.state.canTakeCall()) {
      return false;
    }
    return change(agent, new AgentEvent.Reserved("lead " + lead.id()));
  }

  /**
   * A preview campaign shows the agent, reserved for {@code lead}, the lead (the API and the
   * dashboard read it with {@link #preview}).
   */
  public void show(String agentId, Lead lead) {
    Agent agent = agents.get(agentId);
    if (agent != null && agent.state.status() == AgentState.Status.RESERVED && agent.call == null) {
      agent.preview = Optional.of(lead);
    }
  }

  /**
   * A reservation for a lead ended without a call (skipped, dropped, not placed): the agent is
   * ready again, or takes the pause it asked for meanwhile. Nothing changes when it is reserved for
   * a call by now, or not reserved.
   */
  public void unreserve(String agentId, String why) {
    Agent agent = agents.get(agentId);
    if (agent != null && agent.state.status() == AgentState.Status.RESERVED && agent.call == null) {
      agent.preview = Optional.empty();
      change(agent, new AgentEvent.ReservationEnded(why));
    }
  }

  // --- the engine's side (Agents) ---------------------------------------------------------------

  /**
   * The agent an answered call of {@code campaign} takes: one ready for that campaign, else a ready
   * agent who works it and is held by a campaign of the same or a lower priority (the lowest first)
   * or by none; never one a higher priority holds while the campaign dials (once it stopped or
   * paused, any agent who works it). Who waited longest first. With no campaign joined (or this one
   * not joined): any ready agent.
   */
  @Override
  public Optional<AgentSeat> longestReady(String campaign) {
    Membership m = campaigns.get(campaign);
    Agent best = null;
    if (m == null) {
      for (Agent agent : agents.values()) {
        if (isReady(agent) && (best == null || IN_LINE.compare(agent, best) < 0)) {
          best = agent;
        }
      }
      return Optional.ofNullable(best).map(a -> a.seat);
    }
    // A campaign that no longer dials (stopped, paused) places no call its pacer could learn from:
    // its calls still in flight may take any agent who works it rather than drop a callee.
    int priority = open.contains(campaign) ? m.share().priority() : Integer.MAX_VALUE;
    Comparator<Agent> order =
        Comparator.<Agent>comparingInt(a -> campaign.equals(a.campaign) ? 0 : 1)
            .thenComparingInt(a -> priorityOf(a.campaign))
            .thenComparing(IN_LINE);
    for (Agent agent : agents.values()) {
      boolean may =
          isReady(agent)
              && m.share().takes(agent.id)
              && (campaign.equals(agent.campaign) || priorityOf(agent.campaign) <= priority);
      if (may && (best == null || order.compare(agent, best) < 0)) {
        best = agent;
      }
    }
    return Optional.ofNullable(best).map(a -> a.seat);
  }

  /** Who waited longest first; equal times by id, so the order never depends on a hash. */
  private static final Comparator<Agent> IN_LINE =
      Comparator.<Agent, Instant>comparing(a -> a.readySince).thenComparing(a -> a.id);

  private static boolean isReady(Agent agent) {
    return agent.seat != null && agent.state.canTakeCall();
  }

  /** The ready agents in the order answered calls take them: who waited longest first. */
  public List<String> readyInLine() {
    return agents.values().stream()
        .filter(AgentPool::isReady)
        .sorted(IN_LINE)
        .map(a -> a.id)
        .toList();
  }

  @Override
  public Optional<AgentSeat> takeForPlacing(String agentId) {
    Agent agent = agents.get(agentId);
    if (agent == null || agent.seat == null) {
      return Optional.empty();
    }
    boolean forTheDialer =
        agent.state.status() == AgentState.Status.RESERVED
            && agent.call == null
            && agent.state.pauseAfterCall().isEmpty();
    if (agent.state.canTakeCall()) {
      change(agent, new AgentEvent.Reserved("a call being placed"));
      return Optional.of(agent.seat);
    }
    if (!forTheDialer) {
      return Optional.empty();
    }
    // A previewed lead's call is being placed: the reservation is the call's now, so a pause from
    // here on waits for the call instead of ending a preview.
    agent.preview = Optional.empty();
    return Optional.of(agent.seat);
  }

  @Override
  public boolean reserve(AgentSeat seat, AttemptKey call) {
    Agent agent = current(seat);
    boolean free =
        agent != null
            && (agent.state.canTakeCall()
                || (agent.state.status() == AgentState.Status.RESERVED && agent.call == null));
    if (!free) {
      log.warn(
          "agent {} cannot be reserved for {}: {}", seat.agentId(), call, state(seat.agentId()));
      return false;
    }
    agent.preview = Optional.empty(); // the previewed lead's call is placed
    if (!change(agent, new AgentEvent.Reserved(call.channelId()))) {
      return false;
    }
    agent.call = call;
    agent.campaign = call.campaign();
    tell(l -> l.reserved(agent.id, call));
    return true;
  }

  @Override
  public boolean isReservedFor(AgentSeat seat, AttemptKey call) {
    Agent agent = current(seat);
    return agent != null
        && agent.state.status() == AgentState.Status.RESERVED
        && call.equals(agent.call);
  }

  @Override
  public void connected(AgentSeat seat, AttemptKey call) {
    Agent agent = current(seat);
    if (agent == null || !call.equals(agent.call)) {
      return;
    }
    agent.talkFrom = clock.instant();
    agent.wrapFrom = null;
    if (change(agent, new AgentEvent.Connected(call.channelId()))) {
      tell(l -> l.connected(agent.id, call));
    }
  }

  @Override
  public void released(AgentSeat seat, AttemptKey call) {
    Agent agent = current(seat);
    if (agent == null || !call.equals(agent.call)) {
      return; // logged out or replaced meanwhile, or another call's by now
    }
    agent.call = null;
    switch (agent.state.status()) {
      case RESERVED -> change(agent, new AgentEvent.ReservationEnded("call ended"));
      case ON_CALL -> {
        agent.wrapFrom = clock.instant();
        change(agent, new AgentEvent.CallEnded("call ended"));
        long wrap = ++agent.wrapUps;
        agent.wrapTimer =
            owner.schedule(
                () -> wrapUpOver(agent.id, wrap),
                wrapUpAfter(call).toMillis(),
                TimeUnit.MILLISECONDS);
      }
      default -> {}
    }
  }

  @Override
  public void watchLeaving(Consumer<AgentSeat> listener) {
    leaving.add(listener);
  }

  /** The wrap-up of the call's campaign; the pool's own for a campaign that did not join. */
  private Duration wrapUpAfter(AttemptKey call) {
    Membership m = campaigns.get(call.campaign());
    return m == null ? wrapUp : m.wrapUp();
  }

  // --- what the pool knows (on the owner thread) ------------------------------------------------

  /** The agent's state; LOGGED_OUT for an agent never seen. */
  public AgentState state(String agentId) {
    Agent agent = agents.get(agentId);
    return agent == null ? AgentState.LOGGED_OUT : agent.state;
  }

  /** Every agent seen, with its state. */
  public Map<String, AgentState> states() {
    Map<String, AgentState> states = new HashMap<>();
    agents.forEach((id, agent) -> states.put(id, agent.state));
    return Map.copyOf(states);
  }

  /** The agent's seat while logged in. */
  public Optional<AgentSeat> seatOf(String agentId) {
    return Optional.ofNullable(agents.get(agentId)).map(a -> a.seat);
  }

  /** The agent's statistics now, if it was ever seen. */
  public Optional<AgentStats.Snapshot> stats(String agentId) {
    return Optional.ofNullable(agents.get(agentId)).map(a -> a.stats.snapshot(clock.instant()));
  }

  /** The lead a preview campaign shows the agent now, if any. */
  public Optional<Lead> preview(String agentId) {
    return Optional.ofNullable(agents.get(agentId)).flatMap(a -> a.preview);
  }

  /** Agents logged in (whatever they do). */
  public int seated() {
    int seated = 0;
    for (Agent agent : agents.values()) {
      if (agent.seat != null) {
        seated++;
      }
    }
    return seated;
  }

  /** Agents that may take a call now. A new set, the caller's. */
  public Set<String> ready() {
    Set<String> ready = new HashSet<>();
    for (Agent agent : agents.values()) {
      if (isReady(agent)) {
        ready.add(agent.id);
      }
    }
    return ready;
  }

  /**
   * The campaign's view of the pool: agents who work it and are seated; with no campaign joined (or
   * this one not joined), every seated agent.
   */
  public int seated(String campaign) {
    Membership m = campaigns.get(campaign);
    if (m == null) {
      return seated();
    }
    int seated = 0;
    for (Agent agent : agents.values()) {
      if (agent.seat != null && m.share().takes(agent.id)) {
        seated++;
      }
    }
    return seated;
  }

  /** Agents ready for the campaign now (given to it); every ready agent if it did not join. */
  public Set<String> ready(String campaign) {
    if (!campaigns.containsKey(campaign)) {
      return ready();
    }
    Set<String> ready = new HashSet<>();
    for (Agent agent : agents.values()) {
      if (isReady(agent) && campaign.equals(agent.campaign)) {
        ready.add(agent.id);
      }
    }
    return ready;
  }

  /** Agents busy with the campaign's calls (talking or wrapping up); all if it did not join. */
  public List<Busy> busy(String campaign) {
    if (!campaigns.containsKey(campaign)) {
      return busy();
    }
    return busy().stream().filter(b -> campaign.equals(agents.get(b.agentId()).campaign)).toList();
  }

  /**
   * Agents on a call or wrapping up after one: when the call was connected and, for those wrapping
   * up, when it ended. What a predictive pacer expects back.
   */
  public List<Busy> busy() {
    List<Busy> busy = new ArrayList<>();
    for (Agent agent : agents.values()) {
      AgentState.Status status = agent.state.status();
      if (agent.seat != null
          && agent.talkFrom != null
          && (status == AgentState.Status.ON_CALL || status == AgentState.Status.WRAP_UP)) {
        busy.add(
            new Busy(
                agent.id,
                agent.talkFrom,
                status == AgentState.Status.WRAP_UP
                    ? Optional.ofNullable(agent.wrapFrom)
                    : Optional.empty()));
      }
    }
    busy.sort(Comparator.comparing(Busy::agentId));
    return busy;
  }

  /**
   * An agent busy with a call.
   *
   * @param talkFrom when its call was connected
   * @param wrapFrom when that call ended; empty while it still talks
   */
  public record Busy(String agentId, Instant talkFrom, Optional<Instant> wrapFrom) {}

  // --- inside -----------------------------------------------------------------------------------

  /** The agent whose current seat is {@code seat}: none when it left or sat down elsewhere. */
  private Agent current(AgentSeat seat) {
    Agent agent = agents.get(seat.agentId());
    return agent != null && seat.equals(agent.seat) ? agent : null;
  }

  private void wrapUpOver(String agentId, long wrap) {
    Agent agent = agents.get(agentId);
    if (agent != null
        && agent.wrapUps == wrap
        && agent.state.status() == AgentState.Status.WRAP_UP) {
      endWrapUp(agentId);
    }
  }

  private void cancelWrapTimer(Agent agent) {
    if (agent.wrapTimer != null) {
      agent.wrapTimer.cancel(false);
      agent.wrapTimer = null;
    }
  }

  /** A preview's reservation ends before a pause: the pause is at once, the lead goes back. */
  private void endPreviewReservation(Agent agent, String why) {
    if (agent.preview.isPresent()) {
      unreserve(agent.id, why);
    }
  }

  /** Applies {@code event} if the agent's state has a rule for it; false (and logged) if not. */
  private boolean change(Agent agent, AgentEvent event) {
    AgentState before = agent.state;
    try {
      agent.state = AgentTransitions.next(before, event);
    } catch (AgentTransitions.IllegalAgentTransitionException e) {
      log.warn("agent {}: {}", agent.id, e.getMessage());
      return false;
    }
    Instant now = clock.instant();
    AgentState.Status was = before.status();
    AgentState.Status is = agent.state.status();
    if (is != AgentState.Status.RESERVED) {
      agent.preview = Optional.empty(); // logged out, paused, connected: no lead on screen
    }
    // Ready from a reservation that took no call (never answered, or the callee hung up before the
    // bridge): the agent keeps its place in line, it waited all along.
    if (is == AgentState.Status.READY
        && ((was != AgentState.Status.RESERVED && was != is) || agent.readySince == null)) {
      agent.readySince = now;
    }
    if (is == AgentState.Status.READY && was != AgentState.Status.READY) {
      allot(agent); // before the listeners hear of it: the loops pace on who is theirs
    }
    agent.stats.changed(is, now);
    if (!before.equals(agent.state)) {
      AgentState after = agent.state;
      tell(l -> l.changed(agent.id, before, after));
    }
    if (was == AgentState.Status.WRAP_UP
        && is != AgentState.Status.WRAP_UP
        && is != AgentState.Status.LOGGED_OUT
        && agent.talkFrom != null) {
      Instant wrapFrom = agent.wrapFrom != null ? agent.wrapFrom : now;
      Duration talk = between(agent.talkFrom, wrapFrom);
      Duration wrap = between(wrapFrom, now);
      agent.talkFrom = null;
      agent.wrapFrom = null;
      tell(l -> l.workDone(agent.id, talk, wrap));
    }
    return true;
  }

  /** Tells every listener; one that fails is logged and does not keep the others from hearing. */
  private void tell(Consumer<Listener> news) {
    for (Listener listener : listeners) {
      try {
        news.accept(listener);
      } catch (RuntimeException e) {
        log.warn("a listener of the agents failed", e);
      }
    }
  }

  /** The time from one instant to a later one; zero if the clock stepped back between them. */
  private static Duration between(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
