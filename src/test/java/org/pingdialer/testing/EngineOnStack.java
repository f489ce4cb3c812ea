package org.pingdialer.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.InMemoryAttemptStore;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;

/**
 * A call engine on a lab stack with the app's events socket, the socket also feeding {@link
 * #recorder} so a test can watch channels the engine does not own. One socket per app: a new one
 * replaces the previous one in Asterisk, so a test that starts a second engine closes the first's
 * socket first ({@link #closeSocket}).
 */
public final class EngineOnStack implements AutoCloseable {
  public final OkHttpAriClient ari;
  public final EventRecorder recorder = new EventRecorder();
  public final CallEngine engine;

  /** The engine with its agents on their owner thread. */
  public final EngineWithAgents floor;

  private final AriEventStream stream;

  private EngineOnStack(OkHttpAriClient ari, EngineWithAgents floor, AriEventStream stream) {
    this.ari = ari;
    this.floor = floor;
    this.engine = floor.engine;
    this.stream = stream;
  }

  /**
   * Starts it and waits until the engine has seen the socket connect (place() refuses before).
   *
   * @param campaignPrefix the engine's campaign name is this plus a random suffix
   * @param deliver which events reach the engine; the others are held back (a lost socket, an event
   *     lost on the way), and the recorder still gets them
   */
  public static EngineOnStack start(
      AsteriskStack stack, String campaignPrefix, DialPolicy policy, Predicate<AriEvent> deliver)
      throws Exception {
    var ari = new OkHttpAriClient(stack.ari());
    var floor =
        EngineWithAgents.start(
            campaignPrefix + UUID.randomUUID().toString().substring(0, 8),
            AsteriskStack.TRUNK,
            ari,
            new InMemoryAttemptStore(),
            policy);
    var engine = floor.engine;
    EngineOnStack[] self = new EngineOnStack[1];
    var stream =
        new AriEventStream(
            ari,
            Set.of(),
            InstantSource.system(),
            new AriEventStream.Listener() {
              @Override
              public void onConnected(AriEventStream.Connection connection) {
                engine.onConnected(connection);
                self[0].recorder.onConnected(connection);
              }

              @Override
              public void onEvent(AriEvent event) {
                if (deliver.test(event)) {
                  engine.onEvent(event);
                  self[0].standInLeft(event);
                }
                self[0].recorder.onEvent(event);
              }

              @Override
              public void onDisconnected(String reason) {
                engine.onDisconnected(reason);
                self[0].recorder.onDisconnected(reason);
              }
            });
    self[0] = new EngineOnStack(ari, floor, stream);
    stream.start();
    self[0].recorder.await(EventRecorder.Connected.class, c -> true, AriSession.WAIT);
    await().atMost(AriSession.WAIT).until(() -> engine.snapshot().get().connected());
    return self[0];
  }

  private final List<Runnable> cleanups = new ArrayList<>();

  /** Stand-in agents by their channel: what a desk would know of their phones. */
  private final Map<String, AgentSeat> standIns = new ConcurrentHashMap<>();

  /** Plays the desk's part for stand-in agents: a phone that hangs up leaves the pool. */
  private void standInLeft(AriEvent event) {
    if (event instanceof AriEvent.ChannelDestroyed || event instanceof AriEvent.StasisEnd) {
      AgentSeat seat = standIns.remove(event.channelId());
      if (seat != null) {
        floor.owner.execute(() -> floor.agents.leave(seat.agentId(), "phone hung up"));
      }
    }
  }

  /**
   * A stand-in agent: a channel to {@code number} (a persona that answers and stays), answered and
   * parked in its own mixing bridge the way a logged-in agent's phone waits, seated with the
   * engine; hung up and its bridge removed on {@link #close}.
   */
  public AgentSeat standInAgent(String number) {
    String channel = "agent-" + UUID.randomUUID();
    ari.createChannel(
        AriClient.ChannelSpec.of(AsteriskStack.dialString(number, AsteriskStack.TRUNK), channel));
    recorder.awaitEvent(AriEvent.StasisStart.class, channel, AriSession.WAIT);
    ari.dial(channel, Duration.ofSeconds(10));
    recorder.awaitEvent(
        AriEvent.Dial.class, channel, d -> d.dialstatus().equals("ANSWER"), AriSession.WAIT);
    String bridge = "it-agent-" + UUID.randomUUID();
    ari.createBridge(bridge, "mixing", "agent");
    ari.addToBridge(bridge, channel);
    var seat = new AgentSeat("a-" + channel.substring(6, 14), channel, bridge);
    standIns.put(channel, seat);
    floor.seat(seat);
    cleanups.add(
        () -> {
          try {
            ari.hangup(channel, "normal");
          } catch (RuntimeException alreadyGone) {
            // the test hung the agent up itself
          }
          ari.destroyBridge(bridge);
        });
    return seat;
  }

  /** Closes the events socket only (the engine goes on, deaf), before a new engine starts. */
  public void closeSocket() {
    stream.close();
  }

  @Override
  public void close() {
    cleanups.reversed().forEach(Runnable::run);
    stream.close(); // first: its last disconnect still reaches a running engine
    floor.close();
  }
}
