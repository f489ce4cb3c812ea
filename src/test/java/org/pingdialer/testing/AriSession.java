package org.pingdialer.testing;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.UUID;
import org.pingdialer.call.ari.AriClient.ChannelSpec;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;

/** A REST client plus a connected events stream into an {@link EventRecorder}, for ITs. */
public final class AriSession implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(15);

  private final OkHttpAriClient client;
  private final EventRecorder recorder = new EventRecorder();
  private final AriEventStream stream;
  private AriEventStream.Connection firstConnection;

  private AriSession(OkHttpAriClient client, Set<String> allowedEvents) {
    this.client = client;
    this.stream = new AriEventStream(client, allowedEvents, InstantSource.system(), recorder);
  }

  /** Opens the events socket (all events) and waits until it is connected. */
  public static AriSession open(AsteriskStack stack) {
    return open(new OkHttpAriClient(stack.ari()), Set.of());
  }

  public static AriSession open(OkHttpAriClient client, Set<String> allowedEvents) {
    var session = new AriSession(client, allowedEvents);
    session.stream.start();
    session.firstConnection =
        session.recorder.await(EventRecorder.Connected.class, c -> true, WAIT).connection();
    return session;
  }

  public OkHttpAriClient client() {
    return client;
  }

  /** The connection {@link #open} waited for. */
  public AriEventStream.Connection firstConnection() {
    return firstConnection;
  }

  public EventRecorder recorder() {
    return recorder;
  }

  public AriEventStream stream() {
    return stream;
  }

  /** Creates a channel to {@code number} through {@code trunk}, without dialing; returns its id. */
  public String create(String number, String trunk) {
    String id = "it-" + UUID.randomUUID();
    client.createChannel(ChannelSpec.of(AsteriskStack.dialString(number, trunk), id));
    // Dial on StasisStart, not on the create response: the channel may not be in Stasis yet.
    recorder.awaitEvent(AriEvent.StasisStart.class, id, WAIT);
    return id;
  }

  /** Creates and dials a call the way the dialer does; returns its id. */
  public String dial(String number, String trunk, Duration ringTimeout) {
    String id = create(number, trunk);
    client.dial(id, ringTimeout);
    return id;
  }

  /** Hangs the channel up and waits until it is destroyed. */
  public AriEvent.ChannelDestroyed hangUp(String channelId) {
    client.hangup(channelId, "normal");
    return recorder.awaitEvent(AriEvent.ChannelDestroyed.class, channelId, WAIT);
  }

  @Override
  public void close() {
    stream.close();
  }
}
