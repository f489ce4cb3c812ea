package org.pingdialer.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * One worker thread that runs submitted items through a batch function: whatever was submitted
 * while the previous batch ran goes into the next one. A database write per item costs a commit
 * each; here a burst costs one, and a lone item waits for nothing (no timer, no batch size to
 * fill).
 *
 * <p>A batch that fails is run again item by item, so each item gets its own answer and one bad
 * item never fails the others. Thread-safe.
 *
 * @param <T> what is submitted
 * @param <R> the answer for each item
 */
public final class Batcher<T, R> implements AutoCloseable {
  /** The most items in one batch: a backlog goes out in transactions of bounded size. */
  static final int MAX_BATCH = 100;

  private record Pending<T, R>(T item, CompletableFuture<R> answer) {}

  private final ExecutorService worker;
  private final Function<List<T>, List<R>> batch;

  // Guarded by this.
  private final List<Pending<T, R>> queue = new ArrayList<>();
  private boolean draining;
  private boolean closed;

  /**
   * @param batch answers a list of items with a list of the same size, in order; may throw, then
   *     the items are run again one by one
   */
  public Batcher(String threadName, Function<List<T>, List<R>> batch) {
    this(Loops.worker(threadName), batch);
  }

  /** On {@code worker}, which {@link #close} shuts down (tests pass one they drive themselves). */
  public Batcher(ExecutorService worker, Function<List<T>, List<R>> batch) {
    this.worker = worker;
    this.batch = batch;
  }

  /** Queues {@code item} for the next batch; the future completes with its answer. */
  public CompletableFuture<R> submit(T item) {
    var pending = new Pending<T, R>(item, new CompletableFuture<>());
    boolean start;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("closed"));
      }
      queue.add(pending);
      start = !draining;
      draining = true;
    }
    if (start) {
      worker.execute(this::drain);
    }
    return pending.answer();
  }

  private void drain() {
    while (true) {
      List<Pending<T, R>> next;
      synchronized (this) {
        if (queue.isEmpty() || closed) {
          draining = false;
          return;
        }
        int size = Math.min(queue.size(), MAX_BATCH);
        next = new ArrayList<>(queue.subList(0, size));
        queue.subList(0, size).clear();
      }
      try {
        run(next);
      } catch (Error e) {
        // Out of memory, a driver that cannot link: this batch fails, and the items queued behind
        // it get a fresh drain (the worker thread dies with the error and is replaced) instead of
        // waiting for ever behind a drain nobody runs.
        next.forEach(item -> item.answer().completeExceptionally(e));
        boolean again;
        synchronized (this) {
          again = !queue.isEmpty() && !closed;
          draining = again;
        }
        if (again) {
          worker.execute(this::drain);
        }
        throw e;
      }
    }
  }

  private void run(List<Pending<T, R>> items) {
    List<R> answers;
    try {
      answers = batch.apply(items.stream().map(Pending::item).toList());
      if (answers.size() != items.size()) {
        throw new IllegalStateException(
            "a batch of " + items.size() + " answered " + answers.size() + " times");
      }
    } catch (RuntimeException e) {
      if (items.size() == 1) {
        items.getFirst().answer().completeExceptionally(e);
      } else {
        items.forEach(item -> run(List.of(item)));
      }
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      items.get(i).answer().complete(answers.get(i));
    }
  }

  /** Stops the worker; items still queued fail with "closed" (a batch being written finishes). */
  @Override
  public void close() {
    List<Pending<T, R>> left;
    synchronized (this) {
      closed = true;
      left = new ArrayList<>(queue);
      queue.clear();
    }
    worker.shutdown();
    left.forEach(p -> p.answer().completeExceptionally(new IllegalStateException("closed")));
  }
}
