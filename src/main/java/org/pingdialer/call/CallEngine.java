package org.pingdialer.call;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pingdialer.call.CallEvent.AgentLeft;
import org.pingdialer.call.CallEvent.ChannelGone;
import org.pingdialer.call.CallEvent.CommandFailed;
import org.pingdialer.call.CallEvent.RemoteAnswered;
import org.pingdialer.call.CallState.Bridged;
import org.pingdialer.call.CallState.Connecting;
import org.pingdialer.call.CallState.Dialing;
import org.pingdialer.call.CallState.Ended;
import org.pingdialer.call.CallState.Ringing;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.AriException;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.concurrent.Loops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the calls of one campaign: places them, turns ARI events into {@link CallEvent}s, applies
 * {@link CallTransitions} and carries out the commands.
 *
 * <p>Threads: the calls are owned by one owner thread, which the engine shares with the agents
 * ({@link Agents}) and the campaign loop; every public method and every ARI event hands work to it
 * and returns at once. Which agent an answered call takes is decided there, in the pure step, from
 * the agent the pool offers, without a hand-over. ARI requests run on an I/O pool, the commands of
 * one call strictly in order (a per-call chain), and report failures back as events; store writes
 * run on a writer thread of their own. The owner thread never blocks.
 */
public final class CallEngine implements AriEventStream.Listener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallEngine.class);

  /** The PBX dialplan context that runs AMD() and returns to Stasis (pbx/extensions.conf). */
  static final String AMD_CONTEXT = "amd";

  private final String campaign;
  private final String trunk;
  private final AriClient ari;
  private final AttemptStore store;
  private final DialPolicy policy;
  private final InstantSource clock;
  private final ScheduledExecutorService loop;
  private final ExecutorService io;

  /** The store's writes, batched on a thread of their own (see {@link AttemptWriter}). */
  private final AttemptWriter writes;

  // Owned by the loop thread.
  private final Map<AttemptKey, Call> calls = new HashMap<>();

  /** Calls asked for and not yet registered or failed: no key in {@link #calls} yet. */
  private int placing;

  /** Who waits for the last call in flight to end ({@link #allCallsEnded}). */
  private final List<CompletableFuture<Void>> idleWaiters = new ArrayList<>();

  /** Every agent's state, owned by the same thread; asked at each answer. */
  private final Agents agents;

  /**
   * The agent ends its call (a key on the phone, or the API): the customer leg is hung up, the
   * agent stays in its bridge. False when the agent has no call in its bridge.
   */
  public CompletableFuture<Boolean> endCallOf(String agentId) {
    return CompletableFuture.supplyAsync(
        () -> {
          for (var entry : calls.entrySet()) {
            if (entry.getValue().state instanceof Bridged b
                && b.agent().agentId().equals(agentId)) {
              AttemptKey key = entry.getKey();
              runIo(
                  entry.getValue(), key, "hangup", () -> hangupIfAlive(key.channelId(), "normal"));
              return true;
            }
          }
          return false;
        },
        loop);
  }

  /**
   * Told on the engine's thread after a call is registered ({@link CallState.Creating}) and after
   * every transition that changes its state, in order per call; the last one is {@link Ended}. Hand
   * work over, never block: the engine's loop waits for it.
   */
  @FunctionalInterface
  public interface CallWatcher {
    void changed(AttemptKey key, CallState state);
  }

  private final List<CallWatcher> callWatchers = new CopyOnWriteArrayList<>();

  /** Adds a watcher of every call's states (dashboard, metrics). */
  public void watchCalls(CallWatcher watcher) {
    callWatchers.add(watcher);
  }

  private void tellWatchers(AttemptKey key, CallState state) {
    for (CallWatcher watcher : callWatchers) {
      try {
        watcher.changed(key, state);
      } catch (RuntimeException e) {
        log.warn("watcher of {} failed", key, e);
      }
    }
  }

  /** Times every ARI request; how ARI has been answering lately (see {@link AriPressure}). */
  private final AriGauge gauge;

  /**
   * Told on the engine's thread when what ARI's pressure asks of the dialer changes: a new hold
   * (with its end), the end of a run of troubles, slow or in time again. Hand work over, never
   * block.
   */
  @FunctionalInterface
  public interface PressureWatcher {
    void changed(AriPressure pressure);
  }

  /** Adds a watcher of ARI's pressure (the dialing loop, before calls are placed). */
  public void watchPressure(PressureWatcher watcher) {
    gauge.watch(watcher::changed);
  }

  private boolean connected;

  /** Set by {@link #close}: nothing handed over is carried out any more. */
  private volatile boolean closed;

  /** One call in flight; touched only on the loop. */
  private static final class Call {
    CallState state;
    final List<Evidence> evidence = new ArrayList<>();
    CompletableFuture<Void> ioChain = CompletableFuture.completedFuture(null);
    ScheduledFuture<?> ringTimer;

    /** The check of a call waiting on Asterisk alone ({@link MissedEvents}). */
    ScheduledFuture<?> quietCheck;

    String agentId;
    boolean controllerError;

    /**
     * The agent held for this call before it was placed (a callback, a redial after an abandon):
     * the callee gets this agent on answer. Null for calls that take any ready agent.
     */
    AgentSeat reservedSeat;

    /** Completes when the channel is gone and the outcome decided, before it is stored. */
    final CompletableFuture<AttemptResult> ended = new CompletableFuture<>();

    /** Completes when the result is stored. */
    final CompletableFuture<AttemptResult> result = new CompletableFuture<>();

    Call(CallState state) {
      this.state = state;
    }
  }

  /**
   * The engine's threads: its owner thread (all call state, timers; shared with the agents), the
   * I/O pool for ARI requests and the store writer. Tests give one scheduler whose time they move
   * for all three.
   */
  public record Threads(
      ScheduledExecutorService loop, ExecutorService io, ExecutorService storeWriter) {
    /**
     * A campaign's threads around the owner thread given: {@code io-<campaign>-*} (16) and {@code
     * attempts-<campaign>}.
     */
    public static Threads around(ScheduledExecutorService owner, String campaign) {
      return new Threads(
          owner, Loops.pool("io-" + campaign, 16), Loops.worker("attempts-" + campaign));
    }
  }

  /**
   * On the threads given ({@link Threads}); {@link #close} shuts them down.
   *
   * @param trunk the PJSIP endpoint calls go out on, e.g. {@code carrier}
   * @param agents the agents, owned by {@code threads.loop()}
   */
  public CallEngine(
      String campaign,
      String trunk,
      AriClient ari,
      AttemptStore store,
      DialPolicy policy,
      InstantSource clock,
      Agents agents,
      Threads threads) {
    this.campaign = campaign;
    this.trunk = trunk;
    this.ari = ari;
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    this.loop = threads.loop();
    this.io = threads.io();
    this.writes = new AttemptWriter(store, threads.storeWriter());
    this.gauge = new AriGauge(campaign, loop, clock);
    this.agents = agents;
    agents.watchLeaving(seat -> loop.execute(() -> agentLeft(seat)));
  }

  // --- public API: each hands work to the loop --------------------------------------------------

  /**
   * Places a call: stores the attempt (with the channel id we mint) first, then creates and dials
   * the channel. The future completes with the attempt's key once it is stored.
   */
  public CompletableFuture<AttemptKey> place(String number, Attempt.Kind kind) {
    boolean[] counted = {false}; // read and written on the loop only
    return CompletableFuture.runAsync(
            () -> {
              if (!connected) {
                // Without the events socket we would not see the call's end: do not dial blind.
                throw new IllegalStateException(
                    "ARI events socket is down; not placing a call to " + number);
              }
              placingStarted(counted);
            },
            loop)
        .thenCompose(
            ignored ->
                writes.place(new AttemptStore.Placement(campaign, number, kind, clock.instant())))
        .thenApplyAsync(
            attempt -> {
              register(attempt, kind);
              return attempt.key();
            },
            loop)
        .whenCompleteAsync((key, failure) -> placingDone(counted), loop);
  }

  /** On the loop: a placement began; {@link #allCallsEnded} waits for it. */
  private void placingStarted(boolean[] counted) {
    counted[0] = true;
    placing++;
  }

  /** On the loop: the placement began with {@code counted} is registered, or failed. */
  private void placingDone(boolean[] counted) {
    if (counted[0]) {
      counted[0] = false;
      placing--;
      tellIdleWaiters();
    }
  }

  /**
   * Places a call with an agent reserved first (a callback, or a redial after an abandon, which
   * must never be dropped again): the agent, who must be ready or reserved for this call by the
   * dialer, gets no other call; the callee is put through to it on answer. If the call ends
   * unanswered the agent is ready again. Fails when the agent is neither.
   */
  public CompletableFuture<AttemptKey> placeWithAgent(String number, String agentId) {
    boolean[] counted = {false}; // read and written on the loop only
    return CompletableFuture.supplyAsync(
            () -> {
              if (!connected) {
                throw new IllegalStateException(
                    "ARI events socket is down; not placing a call to " + number);
              }
              AgentSeat seat =
                  agents
                      .takeForPlacing(agentId)
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  "agent " + agentId + " is not ready for a reserved call"));
              placingStarted(counted);
              return seat;
            },
            loop)
        .thenComposeAsync(
            seat ->
                writes
                    .place(
                        new AttemptStore.Placement(
                            campaign, number, Attempt.Kind.CALL, clock.instant()))
                    .handleAsync(
                        (attempt, failure) -> {
                          if (failure != null) {
                            // The dialer that reserved the agent frees it when told.
                            throw new CompletionException(failure);
                          }
                          Call call = register(attempt, Attempt.Kind.CALL);
                          call.reservedSeat = seat;
                          call.agentId = agentId;
                          if (agents.reserve(seat, attempt.key())) {
                            call.evidence.add(
                                new Evidence(
                                    "AgentReserved", clock.instant(), agentId + " (before dial)"));
                          } else {
                            // Gone or paused while the attempt was stored: the callee gets
                            // whoever is ready on answer, or the drop rules.
                            call.reservedSeat = null;
                            call.agentId = null;
                          }
                          return attempt.key();
                        },
                        loop),
            loop)
        .whenCompleteAsync((key, failure) -> placingDone(counted), loop);
  }

  /**
   * Completes when the attempt has ended and its result is stored: from the call in flight, or from
   * the store once it has ended. The engine keeps nothing of a call after its result is stored.
   */
  public CompletableFuture<AttemptResult> result(AttemptKey key) {
    return CompletableFuture.supplyAsync(() -> calls.get(key), loop)
        .thenCompose(
            call ->
                call != null
                    ? call.result
                    : CompletableFuture.supplyAsync(
                        () ->
                            store
                                .find(key)
                                .flatMap(AttemptStore.StoredAttempt::result)
                                .orElseThrow(
                                    () ->
                                        new IllegalArgumentException(
                                            "no ended attempt " + key + " in the store")),
                        io));
  }

  /**
   * Completes as soon as the call's channel is gone and its outcome decided, before the result is
   * stored: the moment a channel slot is free again. Only for calls in flight.
   */
  public CompletableFuture<AttemptResult> ended(AttemptKey key) {
    return CompletableFuture.supplyAsync(() -> calls.get(key), loop)
        .thenCompose(
            call ->
                call != null
                    ? call.ended
                    : CompletableFuture.failedFuture(
                        new IllegalArgumentException("no call " + key + " in flight")));
  }

  /** Registers the call and sends its create request (on the loop). */
  private Call register(Attempt attempt, Attempt.Kind kind) {
    // Registered before the create request goes out: its events find the call.
    var call = new Call(CallTransitions.start(attempt, clock.instant()));
    calls.put(attempt.key(), call);
    tellWatchers(attempt.key(), call.state);
    checkWhenQuiet(attempt.key(), call);
    var spec =
        new AriClient.ChannelSpec(
            "PJSIP/" + attempt.number() + "@" + trunk,
            attempt.key().channelId(),
            "ulaw",
            List.of(kind.name().toLowerCase(Locale.ROOT)),
            // The number the callee sees (the From of the INVITE); set on the channel at create,
            // since /channels/create has no callerId parameter.
            policy.callerId().map(number -> Map.of("CALLERID(num)", number)).orElse(Map.of()));
    call.ioChain =
        call.ioChain.thenRunAsync(
            () -> {
              try {
                gauge.timed(true, () -> Originator.create(ari, spec));
              } catch (AriException e) {
                // 409: a channel with this id is up, left by a run that died after minting it.
                CallEvent failed =
                    e.kind() == AriException.Kind.CONFLICT
                        ? new CallEvent.IdTaken(clock.instant(), e.getMessage())
                        : new CommandFailed(
                            clock.instant(), "create", e.getMessage(), AriGauge.isPbxTrouble(e));
                log.warn("{}: create failed: {}", attempt.key(), e.getMessage());
                loop.execute(() -> applyIfLive(attempt.key(), failed));
              } catch (UncheckedIOException e) {
                log.warn("{}: create failed: {}", attempt.key(), e.getMessage());
                loop.execute(
                    () ->
                        applyIfLive(
                            attempt.key(),
                            new CommandFailed(clock.instant(), "create", e.getMessage(), true)));
              }
            },
            io);
    return call;
  }

  /**
   * Takes over a call a run that died left with an agent (the customer and the agent's phone in the
   * agent's bridge): the call is followed from here as any bridged call, to its end and its stored
   * result; the agent is seated on it by the desk ({@code AgentPool.adopt}). Its answer and bridge
   * times are unknown: the time of the adoption stands for them. Call before the events socket
   * connects.
   */
  public CompletableFuture<Void> adopt(Attempt attempt, Instant placedAt, AgentSeat seat) {
    return CompletableFuture.runAsync(
        () -> {
          Instant now = clock.instant();
          var call =
              new Call(
                  new Bridged(
                      attempt, Timeline.createdAt(placedAt).answered(now).bridged(now), seat));
          call.agentId = seat.agentId();
          call.evidence.add(
              new Evidence(
                  "Adopted",
                  now,
                  "with agent " + seat.agentId() + " in " + seat.bridgeId() + " after a run died"));
          calls.put(attempt.key(), call);
          tellWatchers(attempt.key(), call.state);
        },
        loop);
  }

  /** Calls in flight, read on the loop. */
  public CompletableFuture<Snapshot> snapshot() {
    return CompletableFuture.supplyAsync(() -> new Snapshot(connected, callsInFlight()), loop);
  }

  /**
   * Completes once no call is in flight or being placed and every ended call's result is stored (at
   * once if so): what a stop waits for before it hangs up what is left. Calls placed meanwhile are
   * waited for too.
   */
  public CompletableFuture<Void> allCallsEnded() {
    var done = new CompletableFuture<Void>();
    if (closed || loop.isShutdown()) { // a closed engine drops what it is handed: nobody would tell
      done.completeExceptionally(new IllegalStateException("the call engine is closed"));
      return done;
    }
    try {
      loop.execute(
          () -> {
            idleWaiters.add(done);
            tellIdleWaiters();
          });
    } catch (RejectedExecutionException closed) {
      done.completeExceptionally(closed);
    }
    return done;
  }

  /** On the loop. */
  private int callsInFlight() {
    return (int) calls.values().stream().filter(c -> !(c.state instanceof Ended)).count();
  }

  /** On the loop: the waiters of {@link #allCallsEnded}, once the engine holds no call. */
  private void tellIdleWaiters() {
    if (!idleWaiters.isEmpty() && calls.isEmpty() && placing == 0) {
      idleWaiters.forEach(waiter -> waiter.complete(null));
      idleWaiters.clear();
    }
  }

  /** What the engine holds right now. */
  public record Snapshot(boolean connected, int callsInFlight) {}

  // --- ARI events (called on the WebSocket reader: hand over, never block) -----------------------

  @Override
  public void onConnected(AriEventStream.Connection connection) {
    loop.execute(
        () -> {
          connected = true;
          // At the first connection, calls are there only when adopted from a run that died:
          // their events before this socket were not seen either.
          if (connection.isReconnect() || !calls.isEmpty()) {
            resync(connection);
          }
          if (connection.isReconnect()) {
            sweepStrays();
          }
        });
  }

  /**
   * After a gap: channels of this campaign that no call of the run owns are hung up. A create whose
   * reply was lost ends the call LOST while Asterisk may still make its channel; its StasisStart,
   * which would have had it hung up ({@link #handle}), fell into the gap. Asked on the I/O pool and
   * judged on the loop: a call is registered before its channel is created, so a channel with no
   * call by then is nobody's.
   */
  private void sweepStrays() {
    io.execute(
        () -> {
          List<String> found;
          try {
            found =
                ari.channels().stream()
                    .map(AriChannel::id)
                    .filter(
                        id ->
                            AttemptKey.fromChannelId(id)
                                .filter(k -> k.campaign().equals(campaign))
                                .isPresent())
                    .toList();
          } catch (AriException | UncheckedIOException e) {
            log.warn("channels not listed after the events gap: {}", e.getMessage());
            return;
          }
          loop.execute(
              () -> {
                for (String id : found) {
                  Call call = AttemptKey.fromChannelId(id).map(calls::get).orElse(null);
                  if (call == null) {
                    log.warn(
                        "{}: found after an events gap with no call of this run; hanging up", id);
                    io.execute(() -> hangupQuietly(id));
                  }
                }
              });
        });
  }

  @Override
  public void onDisconnected(String reason) {
    loop.execute(() -> connected = false);
  }

  @Override
  public void onEvent(AriEvent event) {
    loop.execute(() -> handle(event));
  }

  /**
   * Stops the engine's I/O pool and store writer. The owner thread is shared (with the agents and
   * the campaign loop) and is its creator's to stop.
   */
  @Override
  public void close() {
    closed = true;
    io.shutdownNow();
    writes.close();
  }

  // --- the loop ---------------------------------------------------------------------------------

  private void handle(AriEvent event) {
    if (AriCallEvents.isShutdown(event)) {
      // The first channel Asterisk cuts (ours or an agent's) says it for every call: an agent's
      // phone may go before its customer, and must not make that call look served.
      for (AttemptKey key : new ArrayList<>(calls.keySet())) {
        Call call = calls.get(key);
        if (!(call.state instanceof Ended) && !(call.state instanceof CallState.Releasing)) {
          applyIfLive(key, new CallEvent.PbxShutdown(event.timestamp()));
        }
      }
    }
    String channelId = AriCallEvents.subjectChannel(event);
    Optional<AttemptKey> key =
        AttemptKey.fromChannelId(channelId).filter(k -> k.campaign().equals(campaign));
    Call call = key.map(calls::get).orElse(null);
    if (key.isPresent()
        && event instanceof AriEvent.StasisStart
        && (call == null || call.state instanceof Ended)) {
      // A channel of ours no call owns: Asterisk created it after its create request had timed
      // out (the call is already LOST), or a run that died made it. Never dialed, it would hold a
      // channel for ever.
      log.warn("{}: in Stasis with no call of this run; hanging it up", channelId);
      io.execute(() -> hangupQuietly(channelId));
      return;
    }
    if (call != null) {
      if (call.state instanceof Ended) {
        return; // its result is being stored; late events change nothing
      }
      call.evidence.add(Evidences.of(event));
      if (event instanceof AriEvent.StasisStart
          && !(call.state instanceof CallState.Creating)
          && !(call.state instanceof CallState.Detecting)) {
        // A check found the channel in Stasis (or AMD's verdict) first, after a gap or when the
        // start was late: the start says nothing new, and taking it twice would be a controller
        // error.
        return;
      }
      AriCallEvents.of(event, key.get()).ifPresent(e -> apply(key.get(), call, e));
    }
  }

  /**
   * The agent a call may take if {@code event} connects it: the one reserved when it was placed,
   * else the one ready longest. Asked only for the events that can connect a call.
   */
  private Optional<AgentSeat> freeAgentFor(AttemptKey key, Call call, CallEvent event) {
    if (!(event instanceof RemoteAnswered) && !(event instanceof CallEvent.MachineDetected)) {
      return Optional.empty();
    }
    if (call.reservedSeat != null && !agents.isReservedFor(call.reservedSeat, key)) {
      // The reserved agent left, sat down on another phone, or is no longer this call's.
      call.evidence.add(
          new Evidence(
              "AgentLost",
              clock.instant(),
              call.reservedSeat.agentId() + " no longer reserved for this call"));
      call.reservedSeat = null;
      call.agentId = null;
    }
    return call.reservedSeat != null
        ? Optional.of(call.reservedSeat)
        : agents.longestReady(campaign);
  }

  private void apply(AttemptKey key, Call call, CallEvent event) {
    MDC.put("attempt", key.channelId());
    try {
      CallState before = call.state;
      // On this thread the agents cannot change between the offer and the reservation: two answers
      // never take the same agent.
      Step step = CallTransitions.apply(before, event, policy, freeAgentFor(key, call, event));
      if (step.unexpected()) {
        call.controllerError = true;
        log.error(
            "{}: no rule for {} in state {}; releasing the call. History: {}",
            key,
            event,
            before.getClass().getSimpleName(),
            call.evidence);
      }
      log.trace(
          "{} --{}--> {}",
          before.getClass().getSimpleName(),
          event.getClass().getSimpleName(),
          step.next().getClass().getSimpleName());
      call.state = step.next();
      if (!step.next().equals(before)) {
        tellWatchers(key, step.next());
        checkWhenQuiet(key, call);
      }
      if (step.next() instanceof Ended && call.reservedSeat != null) {
        // Ended unanswered: the reserved agent was never needed.
        AgentSeat seat = call.reservedSeat;
        call.reservedSeat = null;
        call.agentId = null; // the result names the agent a callee reached, and none did
        agents.released(seat, key);
      }
      for (CallCommand command : step.commands()) {
        run(key, call, command, event.at());
      }
    } finally {
      MDC.remove("attempt");
    }
  }

  private void run(AttemptKey key, Call call, CallCommand command, Instant at) {
    String channelId = key.channelId();
    switch (command) {
      case CallCommand.ReserveAgent r -> {
        if (r.agent().equals(call.reservedSeat)) {
          call.reservedSeat = null; // reserved at placing: from here on the call's agent
        } else if (agents.reserve(r.agent(), key)) {
          call.agentId = r.agent().agentId();
          call.evidence.add(new Evidence("AgentReserved", at, r.agent().agentId()));
        } else {
          // Offered on this thread a moment ago, so this cannot happen; if it did, the bridge add
          // below fails or joins the agent, and the evidence says why.
          call.evidence.add(new Evidence("AgentNotReserved", at, r.agent().agentId()));
        }
      }
      case CallCommand.AgentConnected c -> agents.connected(c.agent(), key);
      case CallCommand.Dial d ->
          runIo(call, key, "dial", () -> ari.dial(channelId, d.safetyTimeout()));
      case CallCommand.StartRingTimer t -> {
        if (call.ringTimer != null) {
          call.ringTimer.cancel(false); // restarted at the first ring
        }
        call.ringTimer =
            loop.schedule(
                () -> applyIfLive(key, new CallEvent.RingTimeout(clock.instant())),
                t.delay().toMillis(),
                TimeUnit.MILLISECONDS);
      }
      case CallCommand.DetectMachine d ->
          runIo(
              call,
              key,
              "continueToAmd",
              () -> ari.continueInDialplan(channelId, AMD_CONTEXT, "s", 1));
      case CallCommand.AddToBridge b ->
          runIo(call, key, "addToBridge", () -> ari.addToBridge(b.agent().bridgeId(), channelId));
      case CallCommand.PlayDropMessage p ->
          runIo(
              call,
              key,
              "playDropMessage",
              () -> ari.playOnChannel(channelId, key.dropPlaybackId(), p.media()));
      case CallCommand.Hangup h ->
          runIo(call, key, "hangup", () -> hangupIfAlive(channelId, h.reason()));
      case CallCommand.ReleaseAgent r -> agents.released(r.agent(), key);
      case CallCommand.StoreOutcome s -> storeOutcome(key, call);
    }
  }

  private void hangupQuietly(String channelId) {
    try {
      hangupIfAlive(channelId, "normal");
    } catch (AriException | UncheckedIOException e) {
      log.warn("{}: hangup of a channel no call owns failed: {}", channelId, e.getMessage());
    }
  }

  private void hangupIfAlive(String channelId, String reason) {
    try {
      ari.hangup(channelId, reason);
    } catch (AriException e) {
      if (e.kind() != AriException.Kind.GONE) {
        throw e;
      }
    }
  }

  private void storeOutcome(AttemptKey key, Call call) {
    var ended = (Ended) call.state;
    if (call.ringTimer != null) {
      call.ringTimer.cancel(false);
    }
    if (call.quietCheck != null) {
      call.quietCheck.cancel(false);
    }
    var result =
        new AttemptResult(
            ended.attempt(),
            ended.outcome(),
            ended.cause(),
            ended.techCause(),
            ended.attempt().kind() == Attempt.Kind.LINE_CHECK
                ? Optional.of(LineCheckResult.of(ended.outcome(), ended.timeline()))
                : Optional.empty(),
            ended.timeline(),
            Optional.ofNullable(call.agentId),
            call.evidence,
            call.controllerError);
    call.ended.complete(result);
    CompletableFuture<AttemptResult> done = call.result;
    // After the call's last command: its store write must not overtake a slow hangup.
    var unused =
        call.ioChain
            .handle((ok, error) -> null)
            .thenCompose(ignored -> writes.record(result))
            .whenCompleteAsync(
                (ok, error) -> {
                  // Forgotten only now, so result() finds the call or its stored result, never
                  // neither.
                  calls.remove(key);
                  tellIdleWaiters();
                  if (error != null) {
                    log.error("{}: could not store the result {}", key, result.outcome(), error);
                    done.completeExceptionally(error);
                  } else {
                    done.complete(result);
                  }
                },
                loop);
  }

  /**
   * Queues blocking work for one call behind its earlier commands; failures come back as events.
   */
  private void runIo(Call call, AttemptKey key, String what, Runnable work) {
    call.ioChain =
        call.ioChain.thenRunAsync(
            () -> {
              try {
                gauge.timed(false, work);
              } catch (AriException | UncheckedIOException e) {
                log.warn("{}: {} failed: {}", key, what, e.getMessage());
                boolean trouble = AriGauge.isPbxTrouble(e);
                loop.execute(
                    () ->
                        applyIfLive(
                            key,
                            new CommandFailed(clock.instant(), what, e.getMessage(), trouble)));
              }
            },
            io);
  }

  /** ARI's pressure now, read on the loop (metrics, tests). */
  public CompletableFuture<AriPressure> pressure() {
    return CompletableFuture.supplyAsync(gauge::now, loop);
  }

  private void applyIfLive(AttemptKey key, CallEvent event) {
    Call call = calls.get(key);
    if (call != null && !(call.state instanceof Ended)) {
      call.evidence.add(Evidences.of(event));
      apply(key, call, event);
    }
  }

  /** The agent's phone left (the pool tells): its call goes on without it. */
  private void agentLeft(AgentSeat agent) {
    for (Call call : calls.values()) {
      if (agent.equals(call.reservedSeat)) {
        call.reservedSeat = null; // the callee gets any ready agent on answer, or the drop rules
        call.agentId = null;
      }
    }
    for (var entry : new ArrayList<>(calls.entrySet())) {
      CallState state = entry.getValue().state;
      boolean servedBy =
          (state instanceof Connecting c && c.agent().equals(agent))
              || (state instanceof Bridged b && b.agent().equals(agent));
      if (servedBy) {
        applyIfLive(entry.getKey(), new AgentLeft(clock.instant()));
      }
    }
  }

  /**
   * After a gap in the events socket, a call may have ended unseen. Ask Asterisk for each call in
   * flight; one that is gone ends with its cause unknown (0), which the evidence records.
   */
  private void resync(AriEventStream.Connection connection) {
    log.warn(
        "events socket {}; checking {} calls in flight",
        connection.isReconnect()
            ? "was down for " + connection.gap().map(Duration::toMillis).orElse(0L) + " ms"
            : "connected after calls were adopted",
        calls.size());
    for (var entry : new ArrayList<>(calls.entrySet())) {
      AttemptKey key = entry.getKey();
      entry.getValue().ioChain =
          entry
              .getValue()
              .ioChain
              .thenRunAsync(
                  () -> {
                    try {
                      Optional<AriChannel> channel = ari.channel(key.channelId());
                      loop.execute(() -> caughtUp(key, channel));
                    } catch (AriException | UncheckedIOException e) {
                      // Caught here: a failed step would fail the call's chain, and every later
                      // command of the call (its hang-up too) would be skipped. The call goes on
                      // from its next event; the next gap asks again.
                      log.warn("{}: not checked after the events gap: {}", key, e.getMessage());
                    }
                  },
                  io);
    }
  }

  /**
   * After a gap: what the call missed, from what its channel shows now. Gone, it ends with its
   * cause unknown; still there while the call waits for its StasisStart (Asterisk made it during
   * the gap: a channel made by /channels/create is in Stasis at once), it is dialed; up while the
   * call waits for an answer, it was answered.
   */
  private void caughtUp(AttemptKey key, Optional<AriChannel> channel) {
    Call call = calls.get(key);
    if (call == null || call.state instanceof Ended) {
      return;
    }
    Instant now = clock.instant();
    channel.ifPresent(
        c ->
            call.evidence.add(
                new Evidence("Resync", now, "channel " + c.state() + " after an events gap")));
    if (channel.isEmpty()) {
      applyIfLive(key, new ChannelGone(now, 0, null));
    } else if (call.state instanceof CallState.Creating) {
      applyIfLive(key, new CallEvent.InStasis(now));
    } else if ((call.state instanceof Dialing || call.state instanceof Ringing)
        && channel.get().state() == ChannelState.UP) {
      applyIfLive(key, new RemoteAnswered(now));
    }
  }

  // --- calls waiting on Asterisk alone -----------------------------------------------------------

  /**
   * On the loop, after the call's state changed: a call now waiting on an event of Asterisk's alone
   * ({@link MissedEvents#waitsOnAsterisk}) asks after it if nothing moves it within {@link
   * MissedEvents#CHECK_AFTER}; any earlier check is void.
   */
  private void checkWhenQuiet(AttemptKey key, Call call) {
    if (call.quietCheck != null) {
      call.quietCheck.cancel(false);
      call.quietCheck = null;
    }
    if (MissedEvents.waitsOnAsterisk(call.state)) {
      scheduleQuietCheck(key, call, call.state);
    }
  }

  private void scheduleQuietCheck(AttemptKey key, Call call, CallState waiting) {
    call.quietCheck =
        loop.schedule(
            () -> askAfterQuietCall(key, call, waiting),
            MissedEvents.CHECK_AFTER.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Asks Asterisk what the call waits for, behind the call's earlier requests. */
  private void askAfterQuietCall(AttemptKey key, Call call, CallState waiting) {
    if (call.state != waiting || calls.get(key) != call) {
      return; // moved on meanwhile
    }
    call.ioChain =
        call.ioChain
            .handle((ok, error) -> null)
            .thenRunAsync(
                () -> {
                  try {
                    MissedEvents.Shown shown = askAsterisk(key, waiting);
                    loop.execute(() -> quietCallIs(key, call, waiting, shown));
                  } catch (AriException | UncheckedIOException e) {
                    // Caught: the chain must go on. Asked again later; the PBX is in trouble.
                    log.warn("{}: could not ask Asterisk after the call: {}", key, e.getMessage());
                    loop.execute(
                        () -> {
                          if (call.state == waiting) {
                            scheduleQuietCheck(key, call, waiting);
                          }
                        });
                  }
                },
                io);
  }

  /** On an I/O thread: the channel, and what the state waits for besides. */
  private MissedEvents.Shown askAsterisk(AttemptKey key, CallState waiting) {
    String channelId = key.channelId();
    Optional<AriChannel> channel = ari.channel(channelId);
    if (channel.isEmpty()) {
      return MissedEvents.Shown.channelOnly(channel);
    }
    return switch (waiting) {
      case Connecting c ->
          new MissedEvents.Shown(
              channel,
              ari.bridge(c.agent().bridgeId())
                  .map(b -> b.channels().contains(channelId))
                  .orElse(false),
              false,
              Optional.empty());
      case CallState.Dropping d -> playbackShown(channel, key);
      case CallState.MessageToMachine m -> playbackShown(channel, key);
      case CallState.Detecting d ->
          new MissedEvents.Shown(
              channel,
              false,
              false,
              MissedEvents.verdictOf(
                  ari.variable(channelId, "AMDSTATUS"), ari.variable(channelId, "AMDCAUSE")));
      default -> MissedEvents.Shown.channelOnly(channel);
    };
  }

  private MissedEvents.Shown playbackShown(Optional<AriChannel> channel, AttemptKey key) {
    return new MissedEvents.Shown(
        channel, false, ari.playback(key.dropPlaybackId()).isEmpty(), Optional.empty());
  }

  /**
   * On the loop: what Asterisk showed of a call that waited on it. The event it missed is applied
   * (with a {@code QuietCheck} entry saying so); a call still waiting is asked about again later,
   * and one still there after our hangup is hung up again first.
   */
  private void quietCallIs(AttemptKey key, Call call, CallState waiting, MissedEvents.Shown shown) {
    if (call.state != waiting) {
      return; // its event came meanwhile
    }
    Instant now = clock.instant();
    Optional<CallEvent> missed = MissedEvents.missed(waiting, shown, now);
    call.evidence.add(
        new Evidence(
            "QuietCheck",
            now,
            waiting.getClass().getSimpleName()
                + " for "
                + MissedEvents.CHECK_AFTER.toSeconds()
                + " s: "
                + shown.channel().map(c -> "channel " + c.state()).orElse("channel gone")
                + missed
                    .map(e -> ", missed " + e.getClass().getSimpleName())
                    .orElse(", still waiting")));
    if (missed.isPresent()) {
      if (missed.get() instanceof CallEvent.MachineDetected detected) {
        // What the lost StasisStart's arguments would have left: the report reads it.
        call.evidence.add(
            new Evidence(AttemptResult.AMD_EVIDENCE, now, detected.verdict().toString()));
      }
      applyIfLive(key, missed.get());
      return;
    }
    if (waiting instanceof CallState.Releasing) {
      log.warn(
          "{}: channel still there {} s after its hangup; hanging up again",
          key,
          MissedEvents.CHECK_AFTER.toSeconds());
      runIo(call, key, "hangup", () -> hangupIfAlive(key.channelId(), "normal"));
    }
    scheduleQuietCheck(key, call, waiting);
  }
}
