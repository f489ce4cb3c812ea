package org.pingdialer.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An owner thread for tests that runs nothing by itself: tasks handed to it wait until the test
 * calls {@link #runPending}, and timers fire when the test moves its clock with {@link #advance},
 * on the test's thread, in time order. It is also the clock ({@link #clock}) the code under test
 * reads, so a 10 s wrap-up takes no time at all and its end is exact. Periodic scheduling is not
 * supported (the owner threads here never use it). One thread only: the test's.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private final Deque<Runnable> pending = new ArrayDeque<>();
  private final PriorityQueue<Timer<?>> timers =
      new PriorityQueue<>(Comparator.comparing((Timer<?> t) -> t.at).thenComparing(t -> t.seq));
  private Instant now;
  private long seq;
  private boolean shutdown;

  public ManualScheduler(Instant start) {
    this.now = start;
  }

  /** The scheduler's time, moved only by {@link #advance}. */
  public InstantSource clock() {
    return () -> now;
  }

  public Instant now() {
    return now;
  }

  /** Runs every task handed over so far, and those they hand over, until none is left. */
  public void runPending() {
    Runnable task;
    while ((task = pending.poll()) != null) {
      task.run();
    }
  }

  /** Moves time on by {@code by}, firing each timer due on the way at its own time. */
  public void advance(Duration by) {
    Instant until = now.plus(by);
    runPending();
    while (!timers.isEmpty() && !timers.peek().at.isAfter(until)) {
      Timer<?> next = timers.poll();
      now = next.at;
      if (!next.isCancelled()) {
        next.run();
      }
      runPending();
    }
    now = until;
  }

  /** Timers not yet fired nor cancelled. */
  public int timersWaiting() {
    return (int) timers.stream().filter(t -> !t.isCancelled()).count();
  }

  @Override
  public void execute(Runnable command) {
    if (!shutdown) {
      pending.add(command);
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return schedule(
        () -> {
          command.run();
          return null;
        },
        delay,
        unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    var timer = new Timer<>(callable, now.plusNanos(unit.toNanos(Math.max(0, delay))), seq++);
    if (!shutdown) {
      timers.add(timer);
    }
    return timer;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic timers are not used by owner threads");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("periodic timers are not used by owner threads");
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(pending);
    pending.clear();
    timers.clear();
    return left;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && pending.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private final class Timer<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final Instant at;
    private final long seq;

    Timer(Callable<V> callable, Instant at, long seq) {
      super(callable);
      this.at = at;
      this.seq = seq;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(now, at));
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
