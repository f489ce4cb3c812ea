package org.pingdialer.concurrent;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named threads that own pingdialer's mutable state (one loop per campaign, checker, desk,
 * agent...) and the workers beside them, built so that stopping is quiet.
 *
 * <p>Loops hand each other work until the last moment: a store thread finishing a query hands the
 * result to its loop just as {@code close()} shut that loop down. A plain executor then throws
 * {@link RejectedExecutionException} on the store thread, which dies with "Exception in thread" on
 * the console. Here, once an executor is shut down, a handoff is dropped (there is nobody left to
 * act on it), a task someone holds a {@link Future} of is cancelled (so a waiter is told, not left
 * hanging: a stopped owner thread returns one already cancelled), and a {@link CompletableFuture}
 * stage still gets the exception (CompletableFuture then completes that stage exceptionally).
 * Before shutdown nothing is ever rejected: the queues are unbounded. A task that throws is logged
 * with its thread's name, not printed to stderr.
 */
public final class Loops {
  private static final Logger log = LoggerFactory.getLogger(Loops.class);

  private Loops() {}

  /** One named daemon thread that owns some state, with timers; see the class comment. */
  public static ScheduledExecutorService ownerThread(String name) {
    var executor = new OwnerThread(daemon(name));
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** One named daemon thread for blocking work (a store, ARI requests) beside an owner thread. */
  public static ExecutorService worker(String name) {
    return pool(name, 1);
  }

  /** {@code size} daemon threads named {@code prefix-0, prefix-1, ...} for blocking work. */
  public static ExecutorService pool(String prefix, int size) {
    return new ThreadPoolExecutor(
        size,
        size,
        0,
        TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(),
        size == 1 ? daemon(prefix) : numbered(prefix),
        QUIET_AFTER_SHUTDOWN);
  }

  /** Whether a task handed over after shutdown must still be rejected (see the class comment). */
  private static boolean completesAFuture(Runnable task) {
    return task instanceof CompletableFuture.AsynchronousCompletionTask;
  }

  // ThreadPoolExecutor hands its handler the task as given: submit()'s FutureTask, or the bare one.
  private static final RejectedExecutionHandler QUIET_AFTER_SHUTDOWN =
      (task, executor) -> {
        if (!executor.isShutdown() || completesAFuture(task)) {
          throw new RejectedExecutionException(
              executor.isShutdown() ? "shut down" : "rejected by a running executor");
        }
        if (task instanceof Future<?> future) {
          future.cancel(false);
        }
        log.debug("dropped a task handed to a stopped loop: {}", task);
      };

  /**
   * ScheduledThreadPoolExecutor wraps every task before its handler sees it, so the quiet drop is
   * decided here, where the task is still what the caller handed over. A race with shutdown between
   * the check and the hand-over still throws, as a plain executor would.
   */
  private static final class OwnerThread extends ScheduledThreadPoolExecutor {
    OwnerThread(ThreadFactory factory) {
      super(1, factory);
    }

    @Override
    public void execute(Runnable command) {
      if (isShutdown()) {
        // Decided here: super.execute goes through schedule(), which would return Cancelled and
        // leave a CompletableFuture stage waiting forever.
        if (completesAFuture(command)) {
          throw new RejectedExecutionException("shut down");
        }
        log.debug("dropped a task handed to a stopped loop: {}", command);
        return;
      }
      super.execute(command);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return isShutdown() ? Cancelled.INSTANCE : super.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return isShutdown() ? Cancelled.instance() : super.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      return isShutdown()
          ? Cancelled.INSTANCE
          : super.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return isShutdown()
          ? Cancelled.INSTANCE
          : super.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public Future<?> submit(Runnable task) {
      return isShutdown() ? Cancelled.INSTANCE : super.submit(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
      return isShutdown() ? Cancelled.instance() : super.submit(task, result);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
      return isShutdown() ? Cancelled.instance() : super.submit(task);
    }
  }

  /** What a stopped loop returns for work it will never run: a future already cancelled. */
  private static final class Cancelled<V> implements ScheduledFuture<V> {
    static final Cancelled<Object> INSTANCE = new Cancelled<>();

    @SuppressWarnings("unchecked")
    static <V> Cancelled<V> instance() {
      return (Cancelled<V>) INSTANCE;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return true;
    }

    @Override
    public boolean isDone() {
      return true;
    }

    @Override
    public V get() {
      throw new CancellationException("the loop was stopped");
    }

    @Override
    public V get(long timeout, TimeUnit unit) {
      return get();
    }
  }

  private static ThreadFactory daemon(String name) {
    return logging(Thread.ofPlatform().name(name).daemon().factory());
  }

  private static ThreadFactory numbered(String prefix) {
    return logging(Thread.ofPlatform().name(prefix + "-", 0).daemon().factory());
  }

  private static ThreadFactory logging(ThreadFactory factory) {
    return task -> {
      Thread thread = factory.newThread(task);
      thread.setUncaughtExceptionHandler(
          (t, e) -> log.error("{}: a task failed and was dropped", t.getName(), e));
      return thread;
    };
  }
}
