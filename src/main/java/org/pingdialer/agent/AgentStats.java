package org.pingdialer.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.pingdialer.agent.AgentState.Status;

/**
 * One agent's statistics, fed with every state change and filed call: logged-in, talk, wrap, pause
 * and idle (ready or reserved) time, calls, dispositions. Owned by the agent's loop; not
 * thread-safe. {@link #snapshot} counts the current state up to the given time.
 */
public final class AgentStats {
  private final Map<Status, Duration> time = new EnumMap<>(Status.class);
  private final Map<String, Integer> dispositions = new TreeMap<>();
  private Status status = Status.LOGGED_OUT;
  private Instant since;
  private int calls;

  /** What the statistics say at one moment. */
  public record Snapshot(
      Duration loggedIn,
      Duration talk,
      Duration wrap,
      Duration pause,
      Duration idle,
      int calls,
      Map<String, Integer> dispositions) {}

  public AgentStats(Instant start) {
    this.since = start;
  }

  /** The agent moved to {@code next} at {@code at}. */
  public void changed(Status next, Instant at) {
    add(status, Duration.between(since, at));
    if (next == Status.ON_CALL && status != Status.ON_CALL) {
      calls++;
    }
    status = next;
    since = at;
  }

  public void filed(Disposition disposition) {
    dispositions.merge(disposition.code(), 1, Integer::sum);
  }

  public Snapshot snapshot(Instant at) {
    Map<Status, Duration> now = new EnumMap<>(time);
    now.merge(status, Duration.between(since, at), Duration::plus);
    Duration idle = get(now, Status.READY).plus(get(now, Status.RESERVED));
    Duration talk = get(now, Status.ON_CALL);
    Duration wrap = get(now, Status.WRAP_UP);
    Duration pause = get(now, Status.PAUSED);
    return new Snapshot(
        idle.plus(talk).plus(wrap).plus(pause),
        talk,
        wrap,
        pause,
        idle,
        calls,
        Map.copyOf(dispositions));
  }

  private void add(Status state, Duration duration) {
    time.merge(state, duration, Duration::plus);
  }

  private static Duration get(Map<Status, Duration> time, Status state) {
    return time.getOrDefault(state, Duration.ZERO);
  }
}
