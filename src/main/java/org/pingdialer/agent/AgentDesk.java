package org.pingdialer.agent;

import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.ami.AmiMonitor;
import org.pingdialer.call.ami.ContactStatus;
import org.pingdialer.call.ari.AriBridge;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.AriException;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.lead.Lead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent login and logout from real phones. The dialplan checks the agent's PIN and sends the phone
 * into the app with {@code [agent-login, <agent id>]}; the desk answers it, puts it into the
 * agent's own mixing bridge ({@code pd-agent-<id>}, created or reused), plays a short confirmation
 * and hands the seat to the dialer. Hanging up the phone logs the agent out; a second login of the
 * same agent hangs up the older phone and takes its place.
 *
 * <p>One owner thread ({@code agent-desk}) holds the sessions; ARI requests run on a second thread
 * and report back to it. Events arrive on the socket's reader thread and are only handed over.
 */
public final class AgentDesk
    implements AriEventStream.Listener,
        AmiMonitor.Listener,
        CallEngine.AgentCalls,
        PreviewScreen,
        AutoCloseable {
  /** The first Stasis argument the login extension passes. */
  public static final String LOGIN = "agent-login";

  private static final Logger log = LoggerFactory.getLogger(AgentDesk.class);

  private final AriClient ari;
  private final Dialer dialer;
  private final InstantSource clock;

  /** The agents' time zone, for callback times keyed on the phone. */
  private final ZoneId zone;

  /** How long an agent has after a call before the next one (the campaign's wrap_up). */
  private final Duration wrapUp;

  private final ScheduledExecutorService loop;
  private final ExecutorService io;

  // Touched only on `loop`.
  private final Map<String, Session> byAgent = new HashMap<>();
  private final Map<String, String> agentByChannel = new HashMap<>();

  /** One agent's current phone session. */
  private static final class Session {
    String channelId;
    AgentState state = AgentState.LOGGED_OUT;
    final AgentStats stats;
    final DtmfCommands keys;

    /** Counts wrap-ups, so that a wrap-up timer that fires late finds it is not its own. */
    long wrapUps;

    /** The lead a preview campaign shows the agent, until its call is placed or it is skipped. */
    Optional<Lead> preview = Optional.empty();

    /** The running wrap-up's timer; cancelled when the agent ends wrap-up early. */
    ScheduledFuture<?> wrapTimer;

    final String agentId;

    Session(String agentId, AgentStats stats, DtmfCommands keys) {
      this.agentId = agentId;
      this.stats = stats;
      this.keys = keys;
    }
  }

  /** Told after every change of an agent's state (on the desk's thread: hand work over). */
  @FunctionalInterface
  public interface Observer {
    void changed(String agentId, AgentState before, AgentState after);
  }

  private final List<Observer> observers = new CopyOnWriteArrayList<>();

  /** Adds an observer of agents' states (dashboards, lab agents, tests). */
  public void observe(Observer observer) {
    observers.add(observer);
  }

  /** What the desk tells the dialer about availability; {@code CallEngine} implements it. */
  public interface Dialer {
    /** The agent's phone sits in its bridge: give it calls. */
    void addAgent(AgentSeat seat);

    /** Give the agent no new calls (paused, phone unreachable). */
    void holdAgent(String agentId);

    /** Give the agent calls again. */
    void releaseAgent(String agentId);

    /**
     * The agent's wrap-up ended but it takes no call now (it paused, or its phone went away, during
     * the call or the wrap-up): its call is done, and it stays held until {@link #releaseAgent}. A
     * predictive pacer must not expect it back any moment.
     */
    default void doneButHeld(String agentId) {}

    /** The agent's phone left (hung up, logged out, replaced by nothing): no seat any more. */
    default void removeAgent(String agentId) {}

    /** The agent keyed a command on the phone (file a disposition, end the call, ready). */
    default void agentKeyed(String agentId, DtmfCommands.Command command) {}
  }

  /**
   * @param dialer told (on the desk's thread) when an agent's phone sits in its bridge, and when an
   *     agent must not or may again get calls
   */
  public AgentDesk(
      AriClient ari, Dialer dialer, InstantSource clock, ZoneId zone, Duration wrapUp) {
    this(
        ari,
        dialer,
        clock,
        zone,
        wrapUp,
        Loops.ownerThread("agent-desk"),
        Loops.worker("agent-desk-ari"));
  }

  /**
   * With the desk's owner thread (its state and wrap-up timers) and ARI worker given: tests pass a
   * scheduler whose time they move themselves, so a wrap-up ends without waiting for it.
   */
  AgentDesk(
      AriClient ari,
      Dialer dialer,
      InstantSource clock,
      ZoneId zone,
      Duration wrapUp,
      ScheduledExecutorService loop,
      ExecutorService io) {
    this.ari = ari;
    this.dialer = dialer;
    this.clock = clock;
    this.zone = zone;
    this.wrapUp = wrapUp;
    this.loop = loop;
    this.io = io;
  }

  // --- the dialer's calls (told on the engine's thread: hand over) ------------------------------

  @Override
  public void reserved(String agentId, AttemptKey call) {
    loop.execute(
        () -> {
          if (onSession(agentId, new AgentEvent.Reserved(call.channelId()))) {
            byAgent.get(agentId).preview = Optional.empty(); // the previewed call is placed
          }
        });
  }

  // --- a preview campaign's screen (told on the dialer's thread: hand over) -------------------

  @Override
  public void show(String agentId, Lead lead) {
    loop.execute(
        () -> {
          if (onSession(agentId, new AgentEvent.Reserved("preview of lead " + lead.id()))) {
            byAgent.get(agentId).preview = Optional.of(lead);
          }
        });
  }

  @Override
  public void clear(String agentId, String why) {
    loop.execute(
        () -> {
          Session session = byAgent.get(agentId);
          if (session == null || session.preview.isEmpty()) {
            return;
          }
          session.preview = Optional.empty();
          if (session.state.status() == AgentState.Status.RESERVED) {
            onSession(agentId, new AgentEvent.ReservationEnded(why));
          }
        });
  }

  /** The lead a preview campaign shows the agent now, if any. */
  public CompletableFuture<Optional<Lead>> preview(String agentId) {
    return CompletableFuture.supplyAsync(
        () -> Optional.ofNullable(byAgent.get(agentId)).flatMap(s -> s.preview), loop);
  }

  /** A preview campaign's agent has read the lead: place its call now (as *7 on the phone). */
  public CompletableFuture<Boolean> dialPreview(String agentId) {
    return command(agentId, new DtmfCommands.Command.DialPreview());
  }

  /** A preview campaign's agent passes on the lead shown (as *8 on the phone). */
  public CompletableFuture<Boolean> skipPreview(String agentId) {
    return command(agentId, new DtmfCommands.Command.SkipPreview());
  }

  /**
   * The customer is in the agent's bridge. The agent is held at the dialer from here on, so that it
   * gets no call during wrap-up; the desk releases it when wrap-up ends.
   */
  @Override
  public void connected(String agentId, AttemptKey call) {
    loop.execute(
        () -> {
          if (onSession(agentId, new AgentEvent.Connected(call.channelId()))) {
            dialer.holdAgent(agentId);
          }
        });
  }

  @Override
  public void released(String agentId, AttemptKey call) {
    loop.execute(
        () -> {
          Session session = byAgent.get(agentId);
          if (session == null) {
            return;
          }
          switch (session.state.status()) {
            case RESERVED -> onSession(agentId, new AgentEvent.ReservationEnded("call ended"));
            case ON_CALL -> {
              onSession(agentId, new AgentEvent.CallEnded("call ended"));
              long wrap = ++session.wrapUps;
              session.wrapTimer =
                  loop.schedule(
                      () -> endWrapUp(agentId, wrap), wrapUp.toMillis(), TimeUnit.MILLISECONDS);
            }
            default -> {} // logged out or replaced meanwhile
          }
        });
  }

  /** Pauses an agent from the API/CLI; during a call the pause starts after wrap-up. */
  public CompletableFuture<AgentState> pause(String agentId, AgentState.PauseReason reason) {
    return CompletableFuture.supplyAsync(
        () -> {
          onSession(agentId, new AgentEvent.PauseRequested(reason));
          Session session = byAgent.get(agentId);
          if (session.state.status() == AgentState.Status.PAUSED) {
            dialer.holdAgent(agentId);
          }
          return session.state;
        },
        loop);
  }

  /** Resumes an agent the agent (or a supervisor) paused; a system pause stays. */
  public CompletableFuture<AgentState> resume(String agentId) {
    return CompletableFuture.supplyAsync(
        () -> {
          onSession(agentId, new AgentEvent.Resumed());
          Session session = byAgent.get(agentId);
          if (session.state.canTakeCall()) {
            dialer.releaseAgent(agentId);
          }
          return session.state;
        },
        loop);
  }

  private void endWrapUp(String agentId, long wrap) {
    Session session = byAgent.get(agentId);
    if (session == null
        || session.wrapUps != wrap
        || session.state.status() != AgentState.Status.WRAP_UP) {
      return; // ended early, or the agent moved on
    }
    if (session.wrapTimer != null) {
      session.wrapTimer.cancel(false);
    }
    onSession(agentId, new AgentEvent.WrapUpEnded());
    if (session.state.canTakeCall()) {
      dialer.releaseAgent(agentId);
    } else {
      dialer.doneButHeld(agentId);
    }
  }

  /** Applies {@code event} if the agent's state has a rule for it; false (and logged) if not. */
  private boolean onSession(String agentId, AgentEvent event) {
    Session session = byAgent.get(agentId);
    if (session == null) {
      log.warn("{} for agent {} who never logged in", event, agentId);
      return false;
    }
    try {
      change(session, event);
      return true;
    } catch (AgentTransitions.IllegalAgentTransitionException e) {
      log.warn("agent {}: {}", agentId, e.getMessage());
      return false;
    }
  }

  /**
   * AMI: an agent's phone registration changed. An unreachable or unregistered phone pauses the
   * agent (system reason, no calls) until it is reachable again.
   */
  @Override
  public void onContactStatus(ContactStatus status) {
    loop.execute(() -> contact(status));
  }

  @Override
  public void onConnection(boolean connected) {}

  private void contact(ContactStatus status) {
    Session session = byAgent.get(status.endpoint());
    if (session == null || session.state.status() == AgentState.Status.LOGGED_OUT) {
      return; // not logged in: nothing to pause
    }
    boolean reachable = status.status().isRegistered();
    AgentState before = session.state;
    change(
        session, reachable ? new AgentEvent.PhoneReachable() : new AgentEvent.PhoneUnreachable());
    if (!before.canTakeCall() && session.state.canTakeCall()) {
      dialer.releaseAgent(status.endpoint());
    } else if (!session.state.canTakeCall()) {
      dialer.holdAgent(status.endpoint());
    }
    log.info("agent {} phone {}: now {}", status.endpoint(), status.status(), session.state);
  }

  /** What the id of every agent's bridge starts with. */
  public static final String BRIDGE_PREFIX = "pd-agent-";

  /** The bridge an agent's phone waits in. */
  public static String bridgeOf(String agentId) {
    return BRIDGE_PREFIX + agentId;
  }

  /**
   * After a gap in the events socket (or before the first connection, for phones adopted from a run
   * that died), a phone may have hung up unseen: each logged-in agent's phone is looked up, and one
   * that is gone logs its agent out as its hang-up would have.
   */
  @Override
  public void onConnected(AriEventStream.Connection connection) {
    loop.execute(
        () -> {
          // At the first connection, sessions are there only when adopted from a run that died.
          if (!connection.isReconnect() && byAgent.isEmpty()) {
            return;
          }
          List<String> phones =
              byAgent.values().stream().map(s -> s.channelId).filter(id -> id != null).toList();
          io.execute(
              () -> {
                for (String phone : phones) {
                  try {
                    if (ari.channel(phone).isEmpty()) {
                      log.warn("phone {} went while the events socket was down", phone);
                      loop.execute(() -> phoneGone(phone));
                    }
                  } catch (RuntimeException e) {
                    log.warn("phone {} could not be looked up: {}", phone, e.getMessage());
                  }
                }
              });
        });
  }

  @Override
  public void onDisconnected(String reason) {}

  @Override
  public void onEvent(AriEvent event) {
    loop.execute(() -> handle(event));
  }

  /** Every agent the desk has seen, with its state. */
  public CompletableFuture<Map<String, AgentState>> states() {
    return CompletableFuture.supplyAsync(
        () -> {
          Map<String, AgentState> states = new HashMap<>();
          byAgent.forEach((agent, session) -> states.put(agent, session.state));
          return Map.copyOf(states);
        },
        loop);
  }

  /** The agent's statistics now, if the desk has seen the agent. */
  public CompletableFuture<Optional<AgentStats.Snapshot>> stats(String agentId) {
    return CompletableFuture.supplyAsync(
        () ->
            Optional.ofNullable(byAgent.get(agentId))
                .map(session -> session.stats.snapshot(clock.instant())),
        loop);
  }

  /**
   * Files a disposition for the agent's current or last call from the API/CLI, as if keyed on the
   * phone. False when the agent is not logged in.
   */
  public CompletableFuture<Boolean> file(String agentId, Disposition disposition) {
    return command(agentId, new DtmfCommands.Command.File(disposition));
  }

  /** Ends the agent's customer call from the API/CLI; the agent stays in its bridge. */
  public CompletableFuture<Boolean> endCall(String agentId) {
    return command(agentId, new DtmfCommands.Command.EndCall());
  }

  /** Ends the agent's wrap-up now from the API/CLI. */
  public CompletableFuture<Boolean> ready(String agentId) {
    return command(agentId, new DtmfCommands.Command.Ready());
  }

  private CompletableFuture<Boolean> command(String agentId, DtmfCommands.Command command) {
    return CompletableFuture.supplyAsync(
        () -> {
          Session session = byAgent.get(agentId);
          if (session == null || session.state.status() == AgentState.Status.LOGGED_OUT) {
            return false;
          }
          obey(agentId, session, command);
          return true;
        },
        loop);
  }

  /** Logs an agent out from the API/CLI: hangs up the phone (its hang-up does the rest). */
  public CompletableFuture<Boolean> logout(String agentId) {
    return CompletableFuture.supplyAsync(
            () -> Optional.ofNullable(byAgent.get(agentId)).map(s -> s.channelId), loop)
        .thenApplyAsync(
            channel -> {
              channel.ifPresent(id -> hangupQuietly(id, "agent logged out"));
              return channel.isPresent();
            },
            io);
  }

  private void handle(AriEvent event) {
    switch (event) {
      case AriEvent.StasisStart start
          when start.args().size() >= 2 && LOGIN.equals(start.args().get(0)) ->
          login(start.args().get(1), start.channel().id());
      case AriEvent.ChannelDtmfReceived dtmf -> keyed(dtmf);
      case AriEvent.StasisEnd end -> phoneGone(end.channel().id());
      case AriEvent.ChannelDestroyed destroyed -> phoneGone(destroyed.channel().id());
      default -> {}
    }
  }

  /**
   * Seats an agent whose phone a run that died left in the agent's bridge with a customer: the new
   * run adopted that call (engine and loop first), so the agent is on it. Its keys, its hang-up and
   * the call's end work from here as after a login. Call before the events socket connects.
   */
  public CompletableFuture<AgentState> adopt(String agentId, String channelId, AttemptKey call) {
    return CompletableFuture.supplyAsync(
        () -> {
          Session session =
              byAgent.computeIfAbsent(
                  agentId,
                  id ->
                      new Session(id, new AgentStats(clock.instant()), new DtmfCommands(id, zone)));
          session.channelId = channelId;
          agentByChannel.put(channelId, agentId);
          change(session, new AgentEvent.LoggedIn());
          change(session, new AgentEvent.Reserved(call.channelId()));
          change(session, new AgentEvent.Connected(call.channelId()));
          log.info("agent {} on {}: its call {} adopted", agentId, channelId, call);
          return session.state;
        },
        loop);
  }

  private void login(String agentId, String channelId) {
    if (agentId.isBlank()) {
      log.warn("login without an agent id on channel {}: hanging up", channelId);
      io.execute(() -> hangupQuietly(channelId, "no agent id"));
      return;
    }
    Session session =
        byAgent.computeIfAbsent(
            agentId,
            id -> new Session(id, new AgentStats(clock.instant()), new DtmfCommands(id, zone)));
    String older = session.channelId;
    if (older != null && !older.equals(channelId)) {
      // The newer phone wins; the older one's hang-up arrives later and is ignored below.
      agentByChannel.remove(older);
      io.execute(() -> hangupQuietly(older, "agent logged in elsewhere"));
      log.info("agent {} logged in again on {}: replacing {}", agentId, channelId, older);
    }
    session.channelId = channelId;
    agentByChannel.put(channelId, agentId);
    String bridge = bridgeOf(agentId);
    io.execute(
        () -> {
          try {
            ari.answer(channelId);
            for (String stale : ensureBridge(bridge, agentId)) {
              // A leg left by a run that died (or a phone that vanished unseen): a new session
              // never shares the agent's bridge with it.
              log.warn("agent {}: hanging up {} left in bridge {}", agentId, stale, bridge);
              hangupQuietly(stale, "stale leg in the agent's bridge");
            }
            ari.addToBridge(bridge, channelId);
            ari.playOnChannel(channelId, "pd-login-" + channelId, List.of("sound:agent-loginok"));
            loop.execute(() -> seated(agentId, channelId, bridge));
          } catch (AriException e) {
            log.warn("login of agent {} on {} failed: {}", agentId, channelId, e.getMessage());
            hangupQuietly(channelId, "login failed");
          }
        });
  }

  /**
   * The agent's bridge, reused when it is there (a duplicate id gives 409 since 22.3); returns the
   * channels already in it.
   */
  private List<String> ensureBridge(String bridge, String agentId) {
    Optional<AriBridge> existing = ari.bridge(bridge);
    if (existing.isPresent()) {
      return existing.get().channels();
    }
    try {
      // dtmf_events: without it, two PJSIP channels in the bridge make Asterisk switch to a
      // native RTP bridge, whose RTP never reaches the core, so the agent's keys (*0, *3, ...)
      // would raise no ChannelDtmfReceived.
      ari.createBridge(bridge, "mixing,dtmf_events", "agent " + agentId);
    } catch (AriException e) {
      if (e.status() != 409) {
        throw e;
      }
    }
    return List.of();
  }

  private void keyed(AriEvent.ChannelDtmfReceived dtmf) {
    String agentId = agentByChannel.get(dtmf.channel().id());
    if (agentId == null || dtmf.digit().length() != 1) {
      return;
    }
    Session session = byAgent.get(agentId);
    session
        .keys
        .key(dtmf.digit().charAt(0), dtmf.timestamp().atZone(zone))
        .ifPresent(
            command -> {
              log.info("agent {} keyed {}", agentId, command);
              obey(agentId, session, command);
            });
  }

  /** Carries out a command keyed on the phone or sent from the API. */
  private void obey(String agentId, Session session, DtmfCommands.Command command) {
    if (command instanceof DtmfCommands.Command.File file) {
      session.stats.filed(file.disposition());
    }
    if (command instanceof DtmfCommands.Command.Ready
        && session.state.status() == AgentState.Status.WRAP_UP) {
      endWrapUp(agentId, session.wrapUps);
    }
    dialer.agentKeyed(agentId, command);
  }

  private void seated(String agentId, String channelId, String bridge) {
    Session session = byAgent.get(agentId);
    if (session == null || !channelId.equals(session.channelId)) {
      return; // replaced or gone while its bridge was being set up
    }
    change(session, new AgentEvent.LoggedIn());
    dialer.addAgent(new AgentSeat(agentId, channelId, bridge));
    log.info("agent {} logged in on {} in bridge {}", agentId, channelId, bridge);
  }

  private void phoneGone(String channelId) {
    String agentId = agentByChannel.remove(channelId);
    if (agentId == null) {
      return; // not an agent's current phone (a call, or a replaced session)
    }
    Session session = byAgent.get(agentId);
    session.channelId = null;
    if (session.state.status() != AgentState.Status.LOGGED_OUT) {
      change(session, new AgentEvent.LoggedOut("phone hung up"));
    }
    dialer.removeAgent(agentId);
    String bridge = bridgeOf(agentId);
    io.execute(
        () -> {
          try {
            ari.destroyBridge(bridge);
          } catch (AriException e) {
            // Already gone, or a new login reuses it right now: nothing to clean.
          } catch (RuntimeException e) {
            // Asterisk unreachable or the desk closing (an interrupted request): the bridge goes
            // with Asterisk, or the next login of this agent reuses it.
            log.debug("bridge {} not removed: {}", bridge, e.getMessage());
          }
        });
    log.info("agent {} logged out ({} gone)", agentId, channelId);
  }

  private void change(Session session, AgentEvent event) {
    AgentState before = session.state;
    session.state = AgentTransitions.next(before, event);
    if (session.state.status() != AgentState.Status.RESERVED) {
      session.preview = Optional.empty(); // logged out, paused, connected: no lead on screen
    }
    session.stats.changed(session.state.status(), clock.instant());
    if (!before.equals(session.state)) {
      for (Observer observer : observers) {
        try {
          observer.changed(session.agentId, before, session.state);
        } catch (RuntimeException e) {
          log.warn("observer of agent {} failed", session.agentId, e);
        }
      }
    }
  }

  private void hangupQuietly(String channelId, String why) {
    try {
      ari.hangup(channelId, "normal");
    } catch (AriException e) {
      log.debug("hang-up of {} ({}): {}", channelId, why, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("hang-up of {} ({}) failed: {}", channelId, why, e.getMessage());
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    io.shutdownNow();
  }
}
