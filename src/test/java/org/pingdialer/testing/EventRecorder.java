package org.pingdialer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;

/**
 * Records what an {@link AriEventStream} delivers: events, connects and disconnects, each as one
 * entry of a queue, so tests read them in delivery order with {@code await...} and fail with the
 * history when the expected entry does not come.
 */
public final class EventRecorder implements AriEventStream.Listener {
  /** One thing the stream told us. */
  public sealed interface Entry {}

  public record Event(AriEvent event) implements Entry {}

  public record Connected(AriEventStream.Connection connection) implements Entry {}

  public record Disconnected(String reason) implements Entry {}

  private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
  private final List<Entry> seen = new ArrayList<>();

  @Override
  public void onConnected(AriEventStream.Connection connection) {
    queue.add(new Connected(connection));
  }

  @Override
  public void onEvent(AriEvent event) {
    queue.add(new Event(event));
  }

  @Override
  public void onDisconnected(String reason) {
    queue.add(new Disconnected(reason));
  }

  /** Takes entries until one matches; the skipped ones are kept for {@link #eventsOf}. */
  public synchronized <T extends Entry> T await(
      Class<T> type, Predicate<T> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        Entry next = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        if (next == null) {
          throw new AssertionError(
              "no " + type.getSimpleName() + " matching within " + timeout + "; seen: " + seen);
        }
        seen.add(next);
        if (type.isInstance(next) && matching.test(type.cast(next))) {
          return type.cast(next);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Waits for an event of {@code type} about channel {@code channelId}. */
  public <E extends AriEvent> E awaitEvent(
      Class<E> type, String channelId, Predicate<E> matching, Duration timeout) {
    Event hit =
        await(
            Event.class,
            e ->
                type.isInstance(e.event())
                    && channelId.equals(e.event().channelId())
                    && matching.test(type.cast(e.event())),
            timeout);
    return type.cast(hit.event());
  }

  public <E extends AriEvent> E awaitEvent(Class<E> type, String channelId, Duration timeout) {
    return awaitEvent(type, channelId, e -> true, timeout);
  }

  /**
   * Takes every entry queued right now (without waiting) and returns all events taken so far, in
   * delivery order; for asserting that something did <em>not</em> happen.
   */
  public synchronized List<AriEvent> drainEvents() {
    queue.drainTo(seen);
    List<AriEvent> events = new ArrayList<>();
    for (Entry entry : seen) {
      if (entry instanceof Event(AriEvent event)) {
        events.add(event);
      }
    }
    return events;
  }

  /** Every event about {@code channelId} taken from the queue so far, in order. */
  public synchronized List<AriEvent> eventsOf(String channelId) {
    List<AriEvent> events = new ArrayList<>();
    for (Entry entry : seen) {
      if (entry instanceof Event(AriEvent event) && channelId.equals(event.channelId())) {
        events.add(event);
      }
    }
    return events;
  }

  /**
   * The event type names about {@code channelId}, with Dial's status, e.g. {@code Dial(RINGING)}.
   */
  public List<String> timelineOf(String channelId) {
    // ChannelVarset is left out: Asterisk sends it for its own bookkeeping variables at varying
    // points, and the dialer's event filter drops it.
    return eventsOf(channelId).stream()
        .filter(e -> !(e instanceof AriEvent.ChannelVarset))
        .map(EventRecorder::describe)
        .toList();
  }

  static String describe(AriEvent event) {
    return switch (event) {
      case AriEvent.Dial d -> "Dial(" + d.dialstatus() + ")";
      case AriEvent.ChannelStateChange c -> "ChannelStateChange(" + c.channel().state() + ")";
      case AriEvent.ChannelDestroyed d -> "ChannelDestroyed(" + d.cause() + ")";
      default -> event.getClass().getSimpleName();
    };
  }

  public void assertNoDisconnect() {
    assertThat(queue).noneMatch(Disconnected.class::isInstance);
  }
}
