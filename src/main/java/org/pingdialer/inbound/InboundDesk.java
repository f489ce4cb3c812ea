package org.pingdialer.inbound;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.DtmfCommands;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.AriException;
import org.pingdialer.campaign.spec.AgentGroups;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.pacing.InboundReserve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor's inbound calls: a call to one of the call center's numbers enters the Stasis app as
 * {@code [inbound, <number>]} (the PBX's {@code [from-carrier]} context), is answered, hears its
 * queue's announcement and music on hold, waits in line and goes to the first member agent the pool
 * gives the queue. A queue is a member of the floor's {@link AgentPool} like a campaign: its
 * priority puts a waiting caller ahead of outbound calls (a freed agent goes to the queue while
 * callers wait), and its reserve keeps agents for callers expected but not there yet.
 *
 * <p>While it waits a caller hears its place in line every {@code position_every} (and the offer to
 * be called back); after {@code max_wait} the queue's overflow applies: all-busy and hang up, a
 * voicemail, a callback lead, or another queue. Every call is a row of {@code inbound_call} with
 * one outcome ({@link InboundOutcome}); a run that died leaves its callers in Stasis, and the next
 * run puts those still there back in line with their first arrival time (the rest end LOST).
 *
 * <p>Threads: the floor's owner thread owns every caller and line, as it owns the pool, so "a freed
 * agent takes a waiting caller first" needs no hand-over. ARI requests run on {@code io}, database
 * writes on a store worker; their results come back to the owner thread.
 */
public final class InboundDesk
    implements AriEventStream.Listener, AgentPool.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InboundDesk.class);

  /** The first argument of an inbound call's StasisStart (see the PBX's [from-carrier]). */
  public static final String INBOUND = "inbound";

  /** Played before an overflow hangs up, and when the queue closes with callers waiting. */
  static final List<String> ALL_BUSY = List.of("all-circuits-busy-now");

  /** Played after a callback request. */
  static final List<String> THANKS = List.of("auth-thankyou");

  /** Our playbacks to callers: {@code pdq-<n>-<channel>}. */
  private static final String PLAYBACK_PREFIX = "pdq-";

  /** A voicemail ends this long after its max length, if the recording did not end the call. */
  private static final Duration VOICEMAIL_GRACE = Duration.ofSeconds(3);

  private final Map<String, InboundQueue> queues = new LinkedHashMap<>();
  private final Map<String, InboundQueue> byNumber = new HashMap<>();
  private final AriClient ari;
  private final AgentPool pool;
  private final ScheduledExecutorService owner;
  private final ExecutorService io;
  private final ExecutorService store;
  private final InboundCallStore calls;
  private final CallbackLeads callbacks;
  private final AgentGroups groups;
  private final InstantSource clock;
  private final String application;

  /**
   * The callers' channel ids, read by the events socket's reader to pass on only their events;
   * written on the owner thread with {@link #callers}.
   */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  // Owned by `owner`.
  private final Map<String, Caller> callers = new HashMap<>();
  private final Map<String, Deque<Caller>> lines = new HashMap<>();
  private final Map<String, Caller> byPlayback = new HashMap<>();
  private final Map<String, Long> lastCallOf = new HashMap<>();
  private final Map<String, Map<InboundOutcome, Long>> outcomes = new HashMap<>();
  private final Map<String, Long> answeredWithin = new HashMap<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private final AtomicLong playbacks = new AtomicLong();
  private boolean closing;

  /** Where a caller is. */
  private enum Stage {
    /** Answered, stored or being stored, hearing the announcement or music: in line. */
    WAITING,
    /** An agent is reserved and its bridge is being joined. */
    CONNECTING,
    /** In the agent's bridge. */
    TALKING,
    /** Hearing a last message (all busy, thanks, voicemail prompt) or leaving a voicemail. */
    LEAVING,
    /** Gone from Asterisk; its outcome is being stored. */
    GONE
  }

  /** One caller, from its StasisStart to its outcome. */
  private static final class Caller {
    final String channelId;
    final String number;
    final Instant arrivedAt;
    InboundQueue queue;
    Instant queuedAt;
    long id; // 0 until its row is stored
    Stage stage = Stage.WAITING;
    AgentSeat seat;
    String playback;
    boolean hearsHold;
    ScheduledFuture<?> maxWait;
    InboundOutcome leavingAs;
    Optional<String> recording = Optional.empty();

    Caller(String channelId, String number, InboundQueue queue, Instant at) {
      this.channelId = channelId;
      this.number = number;
      this.queue = queue;
      this.arrivedAt = at;
      this.queuedAt = at;
    }

    AttemptKey key() {
      return new AttemptKey(queue.name(), id);
    }
  }

  /**
   * @param queues the floor's queues; their names must differ from each other's and the campaigns',
   *     and their numbers from each other's
   * @param owner the floor's owner thread (the pool's)
   * @param groups the agent groups: a queue without an agent list is worked by its group's members
   */
  public InboundDesk(
      List<InboundQueue> queues,
      AriClient ari,
      AgentPool pool,
      ScheduledExecutorService owner,
      InboundCallStore calls,
      CallbackLeads callbacks,
      AgentGroups groups,
      InstantSource clock) {
    for (InboundQueue queue : queues) {
      if (this.queues.put(queue.name(), queue) != null) {
        throw new IllegalArgumentException("queue " + queue.name() + " is named twice");
      }
      for (String did : queue.dids()) {
        InboundQueue other = byNumber.put(did, queue);
        if (other != null) {
          throw new IllegalArgumentException(
              "number " + did + " rings both " + other.name() + " and " + queue.name());
        }
      }
    }
    for (InboundQueue queue : queues) {
      if (queue.overflow() instanceof InboundQueue.Overflow.ToQueue to
          && !this.queues.containsKey(to.queue())) {
        throw new IllegalArgumentException(
            "queue "
                + queue.name()
                + " overflows to queue "
                + to.queue()
                + ", which is not loaded; add its file or change overflow");
      }
    }
    this.ari = ari;
    this.pool = pool;
    this.owner = owner;
    this.calls = calls;
    this.callbacks = callbacks;
    this.groups = groups;
    this.clock = clock;
    this.application = ari.application();
    // One thread, so each caller's requests reach Asterisk in the order they were made: a music on
    // hold started after the caller was put through would play over the agent.
    this.io = Loops.worker("inbound-ari");
    this.store = Loops.worker("inbound-store");
  }

  /** Joins the queues to the pool and starts the position announcements (on the owner thread). */
  public void start() {
    onOwner(
        () -> {
          pool.watch(this);
          for (InboundQueue queue : queues.values()) {
            lines.put(queue.name(), new ArrayDeque<>());
            pool.join(
                new AgentPool.Membership(
                    queue.name(),
                    groups.resolve(queue.share(), queue.agentGroup()),
                    queue.wrapUp(),
                    reserveOf(queue)));
            if (!queue.positionEvery().isZero()) {
              long every = queue.positionEvery().toMillis();
              timers.add(
                  owner.scheduleAtFixedRate(
                      () -> announcePositions(queue.name()), every, every, TimeUnit.MILLISECONDS));
            }
          }
        });
  }

  /**
   * The agents the queue keeps while no caller waits: its number, or Erlang C's for its traffic.
   */
  public static int reserveOf(InboundQueue queue) {
    return switch (queue.reserve()) {
      case InboundQueue.Reserve.Agents agents -> agents.count();
      case InboundQueue.Reserve.Expected expected ->
          InboundReserve.agents(
              expected.callsPerHour(),
              expected.handleTime(),
              queue.serviceLevel().answeredWithin(),
              queue.serviceLevel().target());
    };
  }

  /** The queues, by name. */
  public Map<String, InboundQueue> queues() {
    return Map.copyOf(queues);
  }

  /** Whether {@code name} is one of this desk's queues (the pool names it for an agent). */
  public boolean isQueue(String name) {
    return queues.containsKey(name);
  }

  /**
   * What the desk counted since it started, per queue: callers waiting now, calls ended by outcome,
   * calls answered within the queue's service-level threshold.
   */
  public record Stats(
      Map<String, Integer> waiting,
      Map<String, Map<InboundOutcome, Long>> outcomes,
      Map<String, Long> answeredWithin) {}

  /** The desk's counts now (read on the owner thread). */
  public CompletableFuture<Stats> stats() {
    return CompletableFuture.supplyAsync(
        () -> {
          Map<String, Integer> waiting = new LinkedHashMap<>();
          Map<String, Map<InboundOutcome, Long>> ended = new LinkedHashMap<>();
          lines.forEach((queue, line) -> waiting.put(queue, line.size()));
          outcomes.forEach((queue, counts) -> ended.put(queue, Map.copyOf(counts)));
          return new Stats(waiting, ended, Map.copyOf(answeredWithin));
        },
        owner);
  }

  /** Callers waiting in each queue now (on the owner thread). */
  public CompletableFuture<Map<String, Integer>> waiting() {
    return CompletableFuture.supplyAsync(
        () -> {
          Map<String, Integer> waiting = new LinkedHashMap<>();
          lines.forEach((queue, line) -> waiting.put(queue, line.size()));
          return waiting;
        },
        owner);
  }

  // --- events ------------------------------------------------------------------------------------

  @Override
  public void onConnected(AriEventStream.Connection connection) {
    // The first connection finds callers a run that died left; a reconnect finds what the gap hid.
    owner.execute(this::resync);
  }

  @Override
  public void onDisconnected(String reason) {}

  @Override
  public void onEvent(AriEvent event) {
    switch (event) {
      case AriEvent.StasisStart start
          when start.args().size() >= 2 && INBOUND.equals(start.args().get(0)) -> {
        // Known from here: its next events may come before the owner thread took it in.
        known.add(start.channel().id());
        owner.execute(() -> arrived(start.channel(), start.args().get(1), Optional.empty()));
      }
      // The rest only for our callers: the floor's other calls cost the owner thread nothing here.
      case AriEvent.StasisEnd end when known.contains(end.channel().id()) ->
          owner.execute(() -> gone(end.channel().id()));
      case AriEvent.ChannelDestroyed destroyed when known.contains(destroyed.channel().id()) ->
          owner.execute(() -> gone(destroyed.channel().id()));
      case AriEvent.PlaybackFinished finished
          when finished.playback().id().startsWith(PLAYBACK_PREFIX) ->
          owner.execute(() -> playbackOver(finished.playback().id()));
      case AriEvent.ChannelEnteredBridge entered
          when entered.channel() != null && known.contains(entered.channel().id()) ->
          owner.execute(() -> enteredBridge(entered.channel().id(), entered.bridge().id()));
      case AriEvent.ChannelDtmfReceived dtmf when known.contains(dtmf.channel().id()) ->
          owner.execute(() -> keyed(dtmf.channel().id(), dtmf.digit()));
      default -> {}
    }
  }

  /**
   * A caller entered the app, or a run that died left one there ({@code stored}: its row). Unknown
   * numbers are refused as unallocated.
   */
  private void arrived(AriChannel channel, String did, Optional<InboundCallStore.Open> stored) {
    if (callers.containsKey(channel.id())) {
      return;
    }
    InboundQueue queue = stored.map(s -> queues.get(s.queue())).orElseGet(() -> byNumber.get(did));
    if (queue == null || closing) {
      log.info(
          "inbound call {} to {}: {}",
          channel.id(),
          did,
          closing ? "the controller is stopping" : "no queue has this number");
      io.execute(() -> hangupQuietly(channel.id(), closing ? "congestion" : "unallocated"));
      stored.ifPresent(s -> storeEnded(s.id(), InboundOutcome.LOST, Optional.empty()));
      return;
    }
    String number =
        channel.caller() == null || channel.caller().number() == null
            ? ""
            : channel.caller().number();
    Instant now = clock.instant();
    // A caller a dead run left keeps its first arrival: its max wait counts from there.
    Caller caller =
        new Caller(
            channel.id(), number, queue, stored.map(InboundCallStore.Open::arrivedAt).orElse(now));
    callers.put(caller.channelId, caller);
    known.add(caller.channelId);
    if (stored.isPresent()) {
      // Back in line at the front: it waited longest of all.
      caller.id = stored.get().id();
      lines.get(queue.name()).addFirst(caller);
      log.info("inbound call {} of a run that died is back in queue {}", caller.id, queue.name());
      hold(caller);
      armMaxWait(caller);
      serve(queue.name());
      return;
    }
    log.info("inbound call {} from {} to {}: queue {}", channel.id(), number, did, queue.name());
    io.execute(
        () -> {
          try {
            ari.answer(caller.channelId);
          } catch (RuntimeException e) {
            log.info("answering inbound call {} failed: {}", caller.channelId, e.getMessage());
          }
        });
    if (queue.announcement().isEmpty()) {
      hold(caller);
    } else {
      play(caller, queue.announcement());
    }
    store.execute(
        () -> {
          try {
            long id = calls.arrived(queue.name(), did, number, caller.channelId, now);
            owner.execute(() -> stored(caller, id));
          } catch (RuntimeException e) {
            // Without its row the call could not be reported or reconciled: it is not taken.
            log.warn("storing inbound call {} failed: {}", caller.channelId, e.getMessage());
            owner.execute(() -> leave(caller, InboundOutcome.OVERFLOWED, ALL_BUSY));
          }
        });
  }

  /** Its row exists: the caller is in line (or, gone meanwhile, its outcome is stored). */
  private void stored(Caller caller, long id) {
    caller.id = id;
    if (caller.stage == Stage.GONE) {
      storeEnded(id, caller.leavingAs, caller.recording);
      return;
    }
    if (caller.stage != Stage.WAITING) {
      return; // leaving already: its outcome is stored when it is gone
    }
    lines.get(caller.queue.name()).addLast(caller);
    armMaxWait(caller);
    serve(caller.queue.name());
  }

  private void playbackOver(String playbackId) {
    Caller caller = byPlayback.remove(playbackId);
    if (caller == null || !playbackId.equals(caller.playback)) {
      return;
    }
    caller.playback = null;
    switch (caller.stage) {
      case WAITING -> hold(caller);
      case LEAVING -> {
        if (caller.leavingAs == InboundOutcome.VOICEMAIL && caller.recording.isEmpty()) {
          record(caller);
        } else {
          io.execute(() -> hangupQuietly(caller.channelId, "normal"));
        }
      }
      default -> {}
    }
  }

  private void enteredBridge(String channelId, String bridgeId) {
    Caller caller = callers.get(channelId);
    if (caller == null
        || caller.stage != Stage.CONNECTING
        || !caller.seat.bridgeId().equals(bridgeId)) {
      return;
    }
    caller.stage = Stage.TALKING;
    pool.connected(caller.seat, caller.key());
    Duration waited = Duration.between(caller.arrivedAt, clock.instant());
    if (waited.compareTo(caller.queue.serviceLevel().answeredWithin()) <= 0) {
      answeredWithin.merge(caller.queue.name(), 1L, Long::sum);
    }
    lastCallOf.put(caller.seat.agentId(), caller.id);
    String agentId = caller.seat.agentId();
    long id = caller.id;
    Instant at = clock.instant();
    log.info("inbound call {} of queue {} is with agent {}", id, caller.queue.name(), agentId);
    store.execute(
        () -> {
          try {
            calls.answered(id, agentId, at);
          } catch (RuntimeException e) {
            log.warn("storing the answer of inbound call {} failed: {}", id, e.getMessage());
          }
        });
  }

  private void keyed(String channelId, String digit) {
    Caller caller = callers.get(channelId);
    if (caller == null
        || caller.stage != Stage.WAITING
        || caller.id == 0
        || caller.queue.callback().isEmpty()
        || !caller.queue.callback().get().key().equals(digit)) {
      return;
    }
    lines.get(caller.queue.name()).remove(caller);
    openOrClose(caller.queue.name());
    callBack(caller, caller.queue.callback().get().list());
  }

  /** The caller's channel is gone: its outcome is what it was doing. */
  private void gone(String channelId) {
    Caller caller = callers.remove(channelId);
    known.remove(channelId);
    if (caller == null) {
      return;
    }
    Stage was = caller.stage;
    caller.stage = Stage.GONE;
    cancel(caller.maxWait);
    if (caller.playback != null) {
      byPlayback.remove(caller.playback);
    }
    InboundOutcome outcome =
        switch (was) {
          case WAITING -> InboundOutcome.ABANDONED;
          case CONNECTING -> InboundOutcome.ABANDONED;
          case TALKING -> InboundOutcome.ANSWERED;
          // Hung up before the tone: no message, the caller gave up.
          case LEAVING, GONE ->
              caller.leavingAs == InboundOutcome.VOICEMAIL && caller.recording.isEmpty()
                  ? InboundOutcome.ABANDONED
                  : caller.leavingAs;
        };
    caller.leavingAs = outcome;
    if (was == Stage.WAITING) {
      lines.get(caller.queue.name()).remove(caller);
      openOrClose(caller.queue.name());
    }
    if (was == Stage.CONNECTING || was == Stage.TALKING) {
      pool.released(caller.seat, caller.key());
    }
    log.info("inbound call {} ({}) ended: {}", caller.id, caller.channelId, outcome);
    outcomes
        .computeIfAbsent(caller.queue.name(), q -> new EnumMap<>(InboundOutcome.class))
        .merge(outcome, 1L, Long::sum);
    if (caller.id != 0) {
      storeEnded(caller.id, outcome, caller.recording);
    }
  }

  // --- agents ------------------------------------------------------------------------------------

  @Override
  public void changed(String agentId, AgentState before, AgentState after) {
    if (after.status() == AgentState.Status.READY) {
      // After the pool's own change: the agent is given to a queue with callers first.
      owner.execute(this::serveAll);
    }
  }

  @Override
  public void given(String agentId, String campaign) {
    if (queues.containsKey(campaign)) {
      owner.execute(() -> serve(campaign));
    }
  }

  @Override
  public void left(AgentSeat seat) {
    // The agent's phone went during a call: its caller waits again, first in line.
    owner.execute(
        () -> {
          for (Caller caller : List.copyOf(callers.values())) {
            if ((caller.stage == Stage.CONNECTING || caller.stage == Stage.TALKING)
                && caller.seat.equals(seat)) {
              log.info("agent {} left inbound call {}: back in line", seat.agentId(), caller.id);
              caller.stage = Stage.WAITING;
              caller.seat = null;
              lines.get(caller.queue.name()).addFirst(caller);
              io.execute(() -> removeQuietly(seat.bridgeId(), caller.channelId));
              hold(caller);
              armMaxWait(caller);
              serve(caller.queue.name());
            }
          }
        });
  }

  /**
   * An agent keyed a command while working for a queue: end the call, or file it (the code is
   * stored with the agent's last inbound call).
   */
  public void agentKeyed(String agentId, DtmfCommands.Command command) {
    owner.execute(
        () -> {
          switch (command) {
            case DtmfCommands.Command.EndCall end -> {
              for (Caller caller : callers.values()) {
                if (caller.stage == Stage.TALKING && caller.seat.agentId().equals(agentId)) {
                  io.execute(() -> hangupQuietly(caller.channelId, "normal"));
                }
              }
            }
            case DtmfCommands.Command.File file -> {
              Long id = lastCallOf.get(agentId);
              if (id == null) {
                log.warn("agent {} filed {} with no inbound call", agentId, file.disposition());
                return;
              }
              Instant at = clock.instant();
              store.execute(
                  () -> {
                    try {
                      calls.filed(id, agentId, file.disposition().code(), at);
                    } catch (RuntimeException e) {
                      log.warn("filing inbound call {} failed: {}", id, e.getMessage());
                    }
                  });
            }
            case DtmfCommands.Command.Ready ready -> {} // the desk ended the wrap-up
            default -> log.info("agent {} keyed {} on an inbound call", agentId, command);
          }
        });
  }

  private void serveAll() {
    for (String queue : lines.keySet()) {
      serve(queue);
    }
  }

  /** Puts the queue's first callers through to the agents the pool gives it. */
  private void serve(String queue) {
    Deque<Caller> line = lines.get(queue);
    while (line != null && !line.isEmpty() && !closing) {
      Caller caller = line.peekFirst();
      Optional<AgentSeat> seat = pool.longestReady(queue);
      if (seat.isEmpty() || !pool.reserve(seat.get(), caller.key())) {
        break;
      }
      line.removeFirst();
      connect(caller, seat.get());
    }
    openOrClose(queue);
  }

  private void connect(Caller caller, AgentSeat seat) {
    caller.stage = Stage.CONNECTING;
    caller.seat = seat;
    cancel(caller.maxWait);
    String playback = caller.playback;
    if (playback != null) {
      byPlayback.remove(playback);
      caller.playback = null;
    }
    boolean hearsHold = caller.hearsHold;
    caller.hearsHold = false;
    io.execute(
        () -> {
          if (playback != null) {
            stopPlaybackQuietly(playback);
          }
          if (hearsHold) {
            stopMohQuietly(caller.channelId);
          }
          try {
            ari.addToBridge(seat.bridgeId(), caller.channelId);
          } catch (RuntimeException e) {
            log.info(
                "putting inbound call {} through to agent {} failed: {}",
                caller.id,
                seat.agentId(),
                e.getMessage());
            owner.execute(() -> notPutThrough(caller, seat));
          }
        });
  }

  /** The agent's bridge did not take the caller: the agent is free again, the caller waits on. */
  private void notPutThrough(Caller caller, AgentSeat seat) {
    if (caller.stage != Stage.CONNECTING || !seat.equals(caller.seat)) {
      return;
    }
    pool.released(seat, caller.key());
    caller.stage = Stage.WAITING;
    caller.seat = null;
    lines.get(caller.queue.name()).addFirst(caller);
    hold(caller);
    armMaxWait(caller);
    openOrClose(caller.queue.name());
  }

  /** The pool gives the queue agents while callers wait in it. */
  private void openOrClose(String queue) {
    Deque<Caller> line = lines.get(queue);
    pool.open(queue, line != null && !line.isEmpty() && !closing);
  }

  // --- waiting and leaving
  // ------------------------------------------------------------------------

  private void armMaxWait(Caller caller) {
    cancel(caller.maxWait);
    Duration left =
        caller.queue.maxWait().minus(Duration.between(caller.queuedAt, clock.instant()));
    caller.maxWait =
        owner.schedule(
            () -> waitedTooLong(caller), Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void waitedTooLong(Caller caller) {
    if (caller.stage != Stage.WAITING || caller.id == 0) {
      return;
    }
    String queue = caller.queue.name();
    lines.get(queue).remove(caller);
    openOrClose(queue);
    log.info("inbound call {} waited {} in {}: overflow", caller.id, caller.queue.maxWait(), queue);
    switch (caller.queue.overflow()) {
      case InboundQueue.Overflow.Hangup hangup ->
          leave(caller, InboundOutcome.OVERFLOWED, ALL_BUSY);
      case InboundQueue.Overflow.ToVoicemail voicemail -> {
        List<String> prompt = new ArrayList<>(caller.queue.voicemail().prompt());
        prompt.add("beep");
        leave(caller, InboundOutcome.VOICEMAIL, prompt);
      }
      case InboundQueue.Overflow.ToCallback callback -> callBack(caller, callback.list());
      case InboundQueue.Overflow.ToQueue to -> move(caller, queues.get(to.queue()));
    }
  }

  private void move(Caller caller, InboundQueue to) {
    String from = caller.queue.name();
    caller.queue = to;
    caller.queuedAt = clock.instant();
    lines.get(to.name()).addLast(caller);
    long id = caller.id;
    store.execute(
        () -> {
          try {
            calls.moved(id, from, to.name());
          } catch (RuntimeException e) {
            log.warn("storing the move of inbound call {} failed: {}", id, e.getMessage());
          }
        });
    armMaxWait(caller);
    serve(to.name());
  }

  /** The caller's number becomes a lead of {@code list}; the caller hears thanks (or all busy). */
  private void callBack(Caller caller, String list) {
    caller.stage = Stage.LEAVING;
    caller.leavingAs = InboundOutcome.CALLBACK;
    quiet(caller);
    String queue = caller.queue.name();
    store.execute(
        () -> {
          Optional<String> problem = callbacks.add(list, caller.number, queue, clock.instant());
          owner.execute(
              () -> {
                if (problem.isPresent()) {
                  log.info("inbound call {}: no callback ({})", caller.id, problem.get());
                  caller.leavingAs = InboundOutcome.OVERFLOWED;
                }
                if (caller.stage == Stage.LEAVING) {
                  play(caller, problem.isPresent() ? ALL_BUSY : THANKS);
                }
              });
        });
  }

  /** The caller hears {@code message}, then the call ends with {@code outcome}. */
  private void leave(Caller caller, InboundOutcome outcome, List<String> message) {
    caller.stage = Stage.LEAVING;
    caller.leavingAs = outcome;
    quiet(caller);
    play(caller, message);
  }

  private void record(Caller caller) {
    String name = "pd-vm-" + caller.queue.name() + "-" + caller.id;
    caller.recording = Optional.of(name);
    Duration most = caller.queue.voicemail().maxLength();
    io.execute(
        () -> {
          try {
            ari.record(caller.channelId, name, most);
          } catch (RuntimeException e) {
            log.warn("recording voicemail {} failed: {}", name, e.getMessage());
            owner.execute(
                () -> {
                  // No message was left: the caller overflowed without one.
                  caller.recording = Optional.empty();
                  caller.leavingAs = InboundOutcome.OVERFLOWED;
                });
            hangupQuietly(caller.channelId, "normal");
          }
        });
    // The voicemail's own timer, cancelled when the caller hangs up first.
    caller.maxWait =
        owner.schedule(
            () -> {
              if (caller.stage == Stage.LEAVING) {
                io.execute(() -> hangupQuietly(caller.channelId, "normal"));
              }
            },
            most.plus(VOICEMAIL_GRACE).toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Every waiting caller of the queue hears its place in line (and the callback offer). */
  private void announcePositions(String queue) {
    Deque<Caller> line = lines.get(queue);
    int ahead = 0;
    for (Caller caller : line) {
      if (caller.stage == Stage.WAITING && caller.playback == null) {
        List<String> sounds = new ArrayList<>();
        if (ahead == 0) {
          sounds.add("queue-youarenext");
        } else {
          sounds.addAll(List.of("queue-thereare", "digits/" + Math.min(ahead, 20)));
          sounds.add("queue-callswaiting");
        }
        caller.queue.callback().ifPresent(offer -> sounds.addAll(offer.offer()));
        quiet(caller);
        play(caller, sounds);
      }
      ahead++;
    }
  }

  private void hold(Caller caller) {
    if (caller.hearsHold || caller.stage != Stage.WAITING) {
      return;
    }
    caller.hearsHold = true;
    String moh = caller.queue.musicOnHold();
    io.execute(
        () -> {
          try {
            ari.startMoh(caller.channelId, moh);
          } catch (RuntimeException e) {
            log.debug("music on hold for {}: {}", caller.channelId, e.getMessage());
          }
        });
  }

  /** Stops what the caller hears (music, a playback), before something else is played. */
  private void quiet(Caller caller) {
    String playback = caller.playback;
    if (playback != null) {
      byPlayback.remove(playback);
      caller.playback = null;
    }
    boolean hearsHold = caller.hearsHold;
    caller.hearsHold = false;
    if (playback != null || hearsHold) {
      io.execute(
          () -> {
            if (playback != null) {
              stopPlaybackQuietly(playback);
            }
            if (hearsHold) {
              stopMohQuietly(caller.channelId);
            }
          });
    }
  }

  private void play(Caller caller, List<String> sounds) {
    String playbackId = PLAYBACK_PREFIX + playbacks.incrementAndGet() + "-" + caller.channelId;
    caller.playback = playbackId;
    byPlayback.put(playbackId, caller);
    List<String> media = sounds.stream().map(s -> "sound:" + s).toList();
    io.execute(
        () -> {
          try {
            ari.playOnChannel(caller.channelId, playbackId, media);
          } catch (RuntimeException e) {
            log.info("playing to inbound call {} failed: {}", caller.channelId, e.getMessage());
            owner.execute(() -> playbackOver(playbackId));
          }
        });
  }

  // --- start, reconnect and stop
  // ------------------------------------------------------------------

  /**
   * Finds the callers in the app the desk does not know (left by a run that died, or arrived in an
   * events gap), and forgets those Asterisk no longer has.
   */
  private void resync() {
    io.execute(
        () -> {
          List<AriChannel> channels;
          List<InboundCallStore.Open> open;
          try {
            channels = ari.channels();
            open = calls.open();
          } catch (RuntimeException e) {
            log.warn("checking the inbound calls in Asterisk failed: {}", e.getMessage());
            return;
          }
          owner.execute(() -> resync(channels, open));
        });
  }

  private void resync(List<AriChannel> channels, List<InboundCallStore.Open> open) {
    Map<String, AriChannel> inApp = new HashMap<>();
    for (AriChannel channel : channels) {
      inboundNumber(channel).ifPresent(did -> inApp.put(channel.id(), channel));
    }
    for (String id : List.copyOf(callers.keySet())) {
      if (!inApp.containsKey(id)) {
        gone(id); // its end was lost in the gap
      }
    }
    Map<String, InboundCallStore.Open> rows = new HashMap<>();
    for (InboundCallStore.Open row : open) {
      rows.put(row.channelId(), row);
    }
    for (AriChannel channel : inApp.values()) {
      if (!callers.containsKey(channel.id())) {
        InboundCallStore.Open row = rows.get(channel.id());
        arrived(channel, inboundNumber(channel).orElseThrow(), Optional.ofNullable(row));
      }
    }
    for (InboundCallStore.Open row : open) {
      if (!inApp.containsKey(row.channelId()) && !callers.containsKey(row.channelId())) {
        storeEnded(row.id(), InboundOutcome.LOST, Optional.empty());
      }
    }
  }

  private Optional<String> inboundNumber(AriChannel channel) {
    return inboundNumber(channel, application);
  }

  /**
   * The number an inbound caller in {@code application} called ({@code
   * Stasis(app,inbound,<number>)}); empty for every other channel.
   */
  public static Optional<String> inboundNumber(AriChannel channel, String application) {
    AriChannel.DialplanLocation at = channel.dialplan();
    if (at == null || at.appName() == null || !"Stasis".equalsIgnoreCase(at.appName())) {
      return Optional.empty();
    }
    String[] args = at.appData() == null ? new String[0] : at.appData().split(",");
    if (args.length >= 3 && args[0].equals(application) && args[1].equals(INBOUND)) {
      return Optional.of(args[2]);
    }
    return Optional.empty();
  }

  /**
   * Closes the queues: no caller is taken any more, the waiting ones hear all agents are busy and
   * are hung up ({@link InboundOutcome#CLOSED}); calls with agents go on.
   */
  public void stop() {
    onOwner(
        () -> {
          closing = true;
          for (Map.Entry<String, Deque<Caller>> entry : lines.entrySet()) {
            for (Caller caller : List.copyOf(entry.getValue())) {
              cancel(caller.maxWait);
              leave(caller, InboundOutcome.CLOSED, ALL_BUSY);
            }
            entry.getValue().clear();
            pool.open(entry.getKey(), false);
          }
        });
  }

  /** Calls with agents or hearing a last message; none once all ended. */
  public CompletableFuture<Integer> active() {
    return CompletableFuture.supplyAsync(() -> callers.size(), owner);
  }

  /**
   * Hangs up every caller still there and stores each one's outcome as it stands (talking:
   * answered; waiting: closed), then stops the desk's threads once the stores are written.
   */
  @Override
  public void close() {
    stop();
    onOwner(
        () -> {
          timers.forEach(t -> t.cancel(false));
          for (Caller caller : List.copyOf(callers.values())) {
            io.execute(() -> hangupQuietly(caller.channelId, "normal"));
            // Its end will not be heard (the events socket closes next): stored now, as it stands.
            gone(caller.channelId);
          }
        });
    io.shutdown();
    try {
      io.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.shutdown();
    try {
      store.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the threads as a {@code kill -9} would: nothing is hung up or stored. */
  public void crash() {
    io.shutdownNow();
    store.shutdownNow();
  }

  // --- inside ------------------------------------------------------------------------------------

  private void storeEnded(long id, InboundOutcome outcome, Optional<String> recording) {
    Instant at = clock.instant();
    store.execute(
        () -> {
          try {
            calls.ended(id, outcome, at, recording);
          } catch (RuntimeException e) {
            log.warn("storing the end of inbound call {} failed: {}", id, e.getMessage());
          }
        });
  }

  private void onOwner(Runnable work) {
    if (owner.isShutdown()) {
      return;
    }
    try {
      CompletableFuture.runAsync(work, owner).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("inbound desk: work on the owner thread failed", e);
    }
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void hangupQuietly(String channelId, String reason) {
    try {
      ari.hangup(channelId, reason);
    } catch (AriException e) {
      if (e.kind() != AriException.Kind.GONE) {
        log.info("hanging up inbound call {} failed: {}", channelId, e.getMessage());
      }
    } catch (RuntimeException e) {
      log.info("hanging up inbound call {} failed: {}", channelId, e.getMessage());
    }
  }

  private void stopPlaybackQuietly(String playbackId) {
    try {
      ari.stopPlayback(playbackId);
    } catch (RuntimeException e) {
      log.debug("stopping playback {}: {}", playbackId, e.getMessage());
    }
  }

  private void stopMohQuietly(String channelId) {
    try {
      ari.stopMoh(channelId);
    } catch (RuntimeException e) {
      log.debug("stopping music on hold on {}: {}", channelId, e.getMessage());
    }
  }

  private void removeQuietly(String bridgeId, String channelId) {
    try {
      ari.removeFromBridge(bridgeId, channelId);
    } catch (RuntimeException e) {
      log.debug("taking {} out of {}: {}", channelId, bridgeId, e.getMessage());
    }
  }
}
