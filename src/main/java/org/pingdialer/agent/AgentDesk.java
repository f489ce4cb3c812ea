package org.pingdialer.agent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AriCallEvents;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.ami.AmiMonitor;
import org.pingdialer.call.ami.ContactStatus;
import org.pingdialer.call.ari.AriBridge;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.AriException;
import org.pingdialer.call.ari.ChannelState;
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
 * <p>The desk is the ARI and AMI side of agents: it turns phones entering and leaving the app,
 * their keys and their registrations into changes of the {@link AgentPool}, which owns every
 * agent's state. It runs on the pool's owner thread (in a campaign run, the one the call engine and
 * the campaign loop share); ARI requests run on a worker of its own and report back to the owner
 * thread. Events arrive on the socket's reader thread and are only handed over.
 */
public final class AgentDesk
    implements AriEventStream.Listener, AmiMonitor.Listener, AutoCloseable {
  /** The first Stasis argument the login extension passes. */
  public static final String LOGIN = "agent-login";

  /** The first Stasis argument of the desk's call back to a phone lost to a PBX restart. */
  public static final String CALL_BACK = "agent-call-back";

  /** What the ids of the desk's calls back to agents' phones start with. */
  public static final String CALL_BACK_PREFIX = "pd-seat-";

  /** How long the phone of an agent lost to a PBX restart rings when the desk calls it back. */
  static final Duration CALL_BACK_RING = Duration.ofSeconds(30);

  /** How long after the loss the desk still calls an agent's phone back. */
  static final Duration CALL_BACK_FOR = Duration.ofMinutes(15);

  private static final Logger log = LoggerFactory.getLogger(AgentDesk.class);

  private final AriClient ari;
  private final AgentPool pool;
  private final Dialer dialer;

  /** The agents' time zone, for callback times keyed on the phone. */
  private final ZoneId zone;

  /** The pool's owner thread. */
  private final ScheduledExecutorService loop;

  private final ExecutorService io;

  /** Whether the desk made its owner thread (and stops it on close). */
  private boolean ownsLoop;

  // Touched only on `loop`.
  private final Map<String, Phone> byAgent = new HashMap<>();
  private final Map<String, String> agentByChannel = new HashMap<>();

  /**
   * Agents whose phones the PBX cut (a shutdown, or gone in an events gap), with when: their phones
   * are called back once they are registered again ({@link #callBack}).
   */
  private final Map<String, Instant> lostToPbx = new HashMap<>();

  /** The desk's calls back to phones, ringing or being answered: channel id to agent. */
  private final Map<String, String> callingBack = new HashMap<>();

  private long callBacks;

  /** When Asterisk started, as last seen (on the ARI worker). */
  private volatile Instant pbxStartedAt;

  /** One agent's phone: its current channel (null when logged out) and its keys. */
  private static final class Phone {
    String channelId;
    final DtmfCommands keys;

    Phone(DtmfCommands keys) {
      this.keys = keys;
    }
  }

  /** Told after every change of an agent's state (on the desk's thread: hand work over). */
  @FunctionalInterface
  public interface Observer {
    void changed(String agentId, AgentState before, AgentState after);
  }

  /** Adds an observer of agents' states (dashboards, lab agents, tests), told on the pool's. */
  public void observe(Observer observer) {
    pool.watch(
        new AgentPool.Listener() {
          @Override
          public void changed(String agentId, AgentState before, AgentState after) {
            observer.changed(agentId, before, after);
          }
        });
  }

  /** What the desk tells the dialer: the commands agents key on their phones. */
  @FunctionalInterface
  public interface Dialer {
    /** The agent keyed a command on the phone (file a disposition, end the call, ready). */
    void agentKeyed(String agentId, DtmfCommands.Command command);
  }

  /**
   * A desk with agents of its own (an {@link AgentPool} on a thread {@code agent-desk}), for use
   * without a campaign run.
   *
   * @param dialer told (on the desk's thread) the commands agents key
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
   * With the owner thread (the pool's state and wrap-up timers) and ARI worker given: tests pass a
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
    this(ari, new AgentPool(loop, clock, wrapUp), dialer, zone, loop, io);
    this.ownsLoop = true;
  }

  /**
   * The desk of {@code pool}'s agents, on the pool's owner thread {@code owner}; its ARI requests
   * run on {@code io}.
   */
  public AgentDesk(
      AriClient ari,
      AgentPool pool,
      Dialer dialer,
      ZoneId zone,
      ScheduledExecutorService owner,
      ExecutorService io) {
    this.ari = ari;
    this.pool = pool;
    this.dialer = dialer;
    this.zone = zone;
    this.loop = owner;
    this.io = io;
  }

  /** The agents this desk seats (touch only on its owner thread). */
  public AgentPool pool() {
    return pool;
  }

  /** The lead a preview campaign shows the agent now, if any. */
  public CompletableFuture<Optional<Lead>> preview(String agentId) {
    return CompletableFuture.supplyAsync(() -> pool.preview(agentId), loop);
  }

  /** A preview campaign's agent has read the lead: place its call now (as *7 on the phone). */
  public CompletableFuture<Boolean> dialPreview(String agentId) {
    return command(agentId, new DtmfCommands.Command.DialPreview());
  }

  /** A preview campaign's agent passes on the lead shown (as *8 on the phone). */
  public CompletableFuture<Boolean> skipPreview(String agentId) {
    return command(agentId, new DtmfCommands.Command.SkipPreview());
  }

  /** Pauses an agent from the API/CLI; during a call the pause starts after wrap-up. */
  public CompletableFuture<AgentState> pause(String agentId, AgentState.PauseReason reason) {
    return CompletableFuture.supplyAsync(() -> pool.pause(agentId, reason), loop);
  }

  /** Resumes an agent the agent (or a supervisor) paused; a system pause stays. */
  public CompletableFuture<AgentState> resume(String agentId) {
    return CompletableFuture.supplyAsync(() -> pool.resume(agentId), loop);
  }

  /**
   * AMI: an agent's phone registration changed. An unreachable or unregistered phone pauses the
   * agent (system reason, no calls) until it is reachable again.
   */
  @Override
  public void onContactStatus(ContactStatus status) {
    loop.execute(() -> contact(status));
  }

  /** AMI is back (after a PBX restart, say): phones lost to the PBX may be registered already. */
  @Override
  public void onConnection(boolean connected) {
    if (connected) {
      loop.execute(this::callBackRegistered);
    }
  }

  private void contact(ContactStatus status) {
    String agentId = status.endpoint();
    if (pool.state(agentId).status() == AgentState.Status.LOGGED_OUT) {
      if ((status.status() == ContactStatus.Status.CREATED
              || status.status() == ContactStatus.Status.REACHABLE)
          && lostToPbx.containsKey(agentId)) {
        callBack(agentId); // the phone the PBX cut is registered again (not each refresh)
      }
      return; // not logged in: nothing to pause
    }
    pool.phoneReachable(agentId, status.status().isRegistered());
    log.info("agent {} phone {}: now {}", agentId, status.status(), pool.state(agentId));
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
          boolean reconnect = connection.isReconnect();
          // At the first connection, sessions are there only when adopted from a run that died.
          List<String> phones =
              byAgent.values().stream().map(p -> p.channelId).filter(id -> id != null).toList();
          if (reconnect) {
            sweepEmptyBridges();
          }
          io.execute(
              () -> {
                boolean restarted = pbxRestarted();
                for (String phone : phones) {
                  try {
                    if (ari.channel(phone).isEmpty()) {
                      log.warn("phone {} went while the events socket was down", phone);
                      loop.execute(
                          () -> {
                            // Cut by the PBX's restart, not hung up by its agent: called back.
                            String agent = agentByChannel.get(phone);
                            if (restarted && agent != null) {
                              lostToPbx.put(agent, pool.clock().instant());
                            }
                            phoneGone(phone);
                          });
                    }
                  } catch (RuntimeException e) {
                    log.warn("phone {} could not be looked up: {}", phone, e.getMessage());
                  }
                }
                if (reconnect) {
                  loop.execute(this::recheckCallsBack);
                  loop.execute(this::callBackRegistered);
                }
              });
        });
  }

  /**
   * Whether Asterisk started again since the last connection (its startup time changed); the first
   * call only notes it. On the ARI worker.
   */
  private boolean pbxRestarted() {
    try {
      Instant started = ari.asteriskInfo().status().startupTime();
      Instant before = pbxStartedAt;
      pbxStartedAt = started;
      return before != null && started != null && !started.equals(before);
    } catch (RuntimeException e) {
      log.debug("Asterisk's startup time not read: {}", e.getMessage());
      return false;
    }
  }

  @Override
  public void onDisconnected(String reason) {}

  @Override
  public void onEvent(AriEvent event) {
    loop.execute(() -> handle(event));
  }

  /** Every agent the desk has seen, with its state. */
  public CompletableFuture<Map<String, AgentState>> states() {
    return CompletableFuture.supplyAsync(pool::states, loop);
  }

  /** The agent's statistics now, if the desk has seen the agent. */
  public CompletableFuture<Optional<AgentStats.Snapshot>> stats(String agentId) {
    return CompletableFuture.supplyAsync(() -> pool.stats(agentId), loop);
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
          if (pool.state(agentId).status() == AgentState.Status.LOGGED_OUT) {
            return false;
          }
          obey(agentId, command);
          return true;
        },
        loop);
  }

  /** Logs an agent out from the API/CLI: hangs up the phone (its hang-up does the rest). */
  public CompletableFuture<Boolean> logout(String agentId) {
    return CompletableFuture.supplyAsync(
            () -> Optional.ofNullable(byAgent.get(agentId)).map(p -> p.channelId), loop)
        .thenApplyAsync(
            channel -> {
              channel.ifPresent(id -> hangupQuietly(id, "agent logged out"));
              return channel.isPresent();
            },
            io);
  }

  private void handle(AriEvent event) {
    if (AriCallEvents.isShutdown(event)
        && event instanceof AriEvent.ChannelHangupRequest cut
        && agentByChannel.containsKey(cut.channel().id())) {
      // The PBX is stopping: this agent's phone is called back once it is registered again.
      lostToPbx.put(agentByChannel.get(cut.channel().id()), pool.clock().instant());
    }
    switch (event) {
      case AriEvent.StasisStart start
          when start.args().size() >= 2 && LOGIN.equals(start.args().get(0)) ->
          login(start.args().get(1), start.channel().id(), true);
      case AriEvent.StasisStart start
          when start.args().size() >= 2 && CALL_BACK.equals(start.args().get(0)) ->
          ringBack(start.channel().id());
      case AriEvent.ChannelStateChange change
          when callingBack.containsKey(change.channel().id())
              && change.channel().state() == ChannelState.UP ->
          answeredBack(change.channel().id());
      case AriEvent.ChannelDtmfReceived dtmf -> keyed(dtmf);
      case AriEvent.StasisEnd end -> gone(end.channel().id());
      case AriEvent.ChannelDestroyed destroyed -> gone(destroyed.channel().id());
      default -> {}
    }
  }

  private void gone(String channelId) {
    String back = callingBack.remove(channelId);
    if (back != null) {
      log.info("agent {}: the call back to the phone ended unanswered ({})", back, channelId);
    }
    phoneGone(channelId);
  }

  // --- agents whose phones the PBX cut -----------------------------------------------------------

  /**
   * After a gap: a call back whose end or answer fell into it. Gone, it is forgotten (the agent may
   * be called back again); answered, the agent is seated; still ringing, it goes on.
   */
  private void recheckCallsBack() {
    List<String> ringing = List.copyOf(callingBack.keySet());
    if (ringing.isEmpty()) {
      return;
    }
    io.execute(
        () -> {
          for (String channelId : ringing) {
            try {
              Optional<AriChannel> channel = ari.channel(channelId);
              loop.execute(
                  () -> {
                    if (!callingBack.containsKey(channelId)) {
                      return; // settled by an event meanwhile
                    }
                    if (channel.isEmpty()) {
                      callingBack.remove(channelId);
                    } else if (channel.get().state() == ChannelState.UP) {
                      answeredBack(channelId);
                    }
                  });
            } catch (RuntimeException e) {
              log.warn("call back {} not checked after the gap: {}", channelId, e.getMessage());
            }
          }
        });
  }

  /** Calls back every agent lost to the PBX whose phone is registered now. */
  private void callBackRegistered() {
    Instant now = pool.clock().instant();
    lostToPbx.values().removeIf(since -> since.plus(CALL_BACK_FOR).isBefore(now));
    List<String> agents = List.copyOf(lostToPbx.keySet());
    if (agents.isEmpty()) {
      return;
    }
    io.execute(
        () -> {
          for (String agentId : agents) {
            try {
              if (ari.endpointState("PJSIP", agentId).filter("online"::equals).isPresent()) {
                loop.execute(() -> callBack(agentId));
              }
            } catch (RuntimeException e) {
              log.debug("endpoint of agent {} not looked up: {}", agentId, e.getMessage());
            }
          }
        });
  }

  /**
   * Rings the phone of an agent the PBX cut, now that it is registered again: answered, it seats
   * the agent as a login does (the phone is the agent's own registered endpoint, which the PBX
   * authenticated; its agent typed the PIN before the cut). Once per agent at a time.
   */
  private void callBack(String agentId) {
    Instant since = lostToPbx.get(agentId);
    if (since != null && since.plus(CALL_BACK_FOR).isBefore(pool.clock().instant())) {
      lostToPbx.remove(agentId);
      log.info("agent {}: no call back any more ({} since the PBX cut it)", agentId, CALL_BACK_FOR);
      return;
    }
    Phone phone = byAgent.get(agentId);
    if (!lostToPbx.containsKey(agentId)
        || (phone != null && phone.channelId != null)
        || callingBack.containsValue(agentId)) {
      return; // logged in again by itself, or rung already
    }
    callBacks++;
    String channelId = CALL_BACK_PREFIX + agentId + "-" + callBacks;
    callingBack.put(channelId, agentId);
    log.info("agent {}: phone registered again; calling it back on {}", agentId, channelId);
    io.execute(
        () -> {
          try {
            ari.createChannel(
                new AriClient.ChannelSpec(
                    "PJSIP/" + agentId, channelId, "ulaw", List.of(CALL_BACK, agentId), Map.of()));
          } catch (RuntimeException e) {
            log.warn("agent {}: call back not placed: {}", agentId, e.getMessage());
            loop.execute(() -> callingBack.remove(channelId));
          }
        });
  }

  /** The call back is in Stasis (made by /channels/create): ring the phone. */
  private void ringBack(String channelId) {
    if (!callingBack.containsKey(channelId)) {
      io.execute(() -> hangupQuietly(channelId, "a call back this desk did not place"));
      return;
    }
    io.execute(
        () -> {
          try {
            ari.dial(channelId, CALL_BACK_RING);
          } catch (RuntimeException e) {
            log.warn("call back {} not dialed: {}", channelId, e.getMessage());
            hangupQuietly(channelId, "call back not dialed");
          }
        });
  }

  /** The agent answered the call back: seated as after a login. */
  private void answeredBack(String channelId) {
    String agentId = callingBack.remove(channelId);
    lostToPbx.remove(agentId);
    log.info("agent {} answered the call back on {}", agentId, channelId);
    login(agentId, channelId, false);
  }

  /**
   * Seats an agent whose phone a run that died left in the agent's bridge with a customer: the new
   * run adopted that call (engine and loop first), so the agent is on it. Its keys, its hang-up and
   * the call's end work from here as after a login. Call before the events socket connects.
   */
  public CompletableFuture<AgentState> adopt(AgentSeat seat, AttemptKey call) {
    String agentId = seat.agentId();
    String channelId = seat.channelId();
    return CompletableFuture.supplyAsync(
        () -> {
          Phone phone = phoneOf(agentId);
          phone.channelId = channelId;
          agentByChannel.put(channelId, agentId);
          pool.adopt(seat, call);
          log.info("agent {} on {}: its call {} adopted", agentId, channelId, call);
          return pool.state(agentId);
        },
        loop);
  }

  /**
   * Seats the agent on its phone's channel.
   *
   * @param answer whether the channel is to be answered (a login call); a call back the phone
   *     answered is up already
   */
  private void login(String agentId, String channelId, boolean answer) {
    if (agentId.isBlank()) {
      log.warn("login without an agent id on channel {}: hanging up", channelId);
      io.execute(() -> hangupQuietly(channelId, "no agent id"));
      return;
    }
    Phone session = phoneOf(agentId);
    String older = session.channelId;
    if (older != null && !older.equals(channelId)) {
      // The newer phone wins; the older one's hang-up arrives later and is ignored below.
      agentByChannel.remove(older);
      io.execute(() -> hangupQuietly(older, "agent logged in elsewhere"));
      log.info("agent {} logged in again on {}: replacing {}", agentId, channelId, older);
    }
    session.channelId = channelId;
    agentByChannel.put(channelId, agentId);
    if (answer) {
      // Logged in by itself: a call back still ringing is not needed any more.
      lostToPbx.remove(agentId);
      callingBack.entrySet().stream()
          .filter(e -> e.getValue().equals(agentId))
          .map(Map.Entry::getKey)
          .toList()
          .forEach(
              ringing -> {
                callingBack.remove(ringing);
                io.execute(() -> hangupQuietly(ringing, "the agent logged in by itself"));
              });
    }
    String bridge = bridgeOf(agentId);
    io.execute(
        () -> {
          try {
            if (answer) {
              ari.answer(channelId);
            }
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

  private Phone phoneOf(String agentId) {
    return byAgent.computeIfAbsent(agentId, id -> new Phone(new DtmfCommands(id, zone)));
  }

  private void keyed(AriEvent.ChannelDtmfReceived dtmf) {
    String agentId = agentByChannel.get(dtmf.channel().id());
    if (agentId == null || dtmf.digit().length() != 1) {
      return;
    }
    byAgent
        .get(agentId)
        .keys
        .key(dtmf.digit().charAt(0), dtmf.timestamp().atZone(zone))
        .ifPresent(
            command -> {
              log.info("agent {} keyed {}", agentId, command);
              obey(agentId, command);
            });
  }

  /** Carries out a command keyed on the phone or sent from the API. */
  private void obey(String agentId, DtmfCommands.Command command) {
    if (command instanceof DtmfCommands.Command.File file) {
      pool.filed(agentId, file.disposition());
    }
    if (command instanceof DtmfCommands.Command.Ready) {
      pool.endWrapUp(agentId);
    }
    dialer.agentKeyed(agentId, command);
  }

  private void seated(String agentId, String channelId, String bridge) {
    Phone phone = byAgent.get(agentId);
    if (phone == null || !channelId.equals(phone.channelId)) {
      return; // replaced or gone while its bridge was being set up
    }
    pool.seat(new AgentSeat(agentId, channelId, bridge));
    log.info("agent {} logged in on {} in bridge {}", agentId, channelId, bridge);
  }

  private void phoneGone(String channelId) {
    String agentId = agentByChannel.remove(channelId);
    if (agentId == null) {
      return; // not an agent's current phone (a call, or a replaced session)
    }
    byAgent.get(agentId).channelId = null;
    pool.leave(agentId, "phone hung up");
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

  /**
   * After a gap: an empty agent bridge of an agent without a phone here is removed. A phone that
   * went while Asterisk could not be reached left its bridge behind ({@link #phoneGone} could not
   * remove it). A bridge with anybody in it is left: a customer or caller there belongs to a call,
   * and the engine or the inbound desk settles it.
   */
  private void sweepEmptyBridges() {
    io.execute(
        () -> {
          List<String> empty;
          try {
            empty =
                ari.bridges().stream()
                    .filter(b -> b.id().startsWith(BRIDGE_PREFIX) && b.channels().isEmpty())
                    .map(AriBridge::id)
                    .toList();
          } catch (RuntimeException e) {
            log.warn("agent bridges not checked after the events gap: {}", e.getMessage());
            return;
          }
          // Judged on the loop: a login seen there first keeps its bridge; one seen later runs its
          // requests on this worker after the removal, and makes its bridge again.
          loop.execute(
              () -> {
                for (String bridge : empty) {
                  Phone phone = byAgent.get(bridge.substring(BRIDGE_PREFIX.length()));
                  if (phone == null || phone.channelId == null) {
                    log.warn("agent bridge {} found empty after an events gap: removed", bridge);
                    io.execute(
                        () -> {
                          try {
                            ari.destroyBridge(bridge);
                          } catch (RuntimeException e) {
                            log.debug("bridge {} not removed: {}", bridge, e.getMessage());
                          }
                        });
                  }
                }
              });
        });
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

  /**
   * Stops the ARI worker (after up to 2 s for requests already queued), and the owner thread when
   * the desk made it (no pool given).
   */
  @Override
  public void close() {
    if (ownsLoop) {
      loop.shutdownNow();
    }
    // Requests already queued (the bridge of a phone that just left) finish first, briefly.
    io.shutdown();
    try {
      if (!io.awaitTermination(2, TimeUnit.SECONDS)) {
        io.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      io.shutdownNow();
    }
  }
}
