package org.pingdialer.call;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.pingdialer.concurrent.Batcher;

/**
 * The engine's writes to its attempt store, on one thread of their own, batched: the attempts of
 * calls asked for and the results of calls ended while the previous write ran go in one
 * transaction. A commit is most of a write's cost on the embedded database; one per call each way
 * made the engine's JVM spend about three times the CPU per call of a minimal ARI client
 * (bench/RESULTS.md). Thread-safe.
 */
final class AttemptWriter implements AutoCloseable {
  /** One write to the attempt store: an attempt to place, or a result to store. */
  private sealed interface Write {
    record Place(AttemptStore.Placement placement) implements Write {}

    record Result(AttemptResult result) implements Write {}
  }

  private final Batcher<Write, Optional<Attempt>> batcher;

  /** On {@code worker}, its one thread. */
  AttemptWriter(AttemptStore store, ExecutorService worker) {
    this.batcher = new Batcher<>(worker, batch -> write(store, batch));
  }

  /** Stores the attempt (its number reserved); completes with it once committed. */
  CompletableFuture<Attempt> place(AttemptStore.Placement placement) {
    return batcher.submit(new Write.Place(placement)).thenApply(Optional::orElseThrow);
  }

  /** Stores the result; completes once committed. */
  CompletableFuture<Void> record(AttemptResult result) {
    return batcher.submit(new Write.Result(result)).thenApply(ignored -> null);
  }

  /** Writes a batch in one transaction; the answer of each place is its attempt. */
  private static List<Optional<Attempt>> write(AttemptStore store, List<Write> batch) {
    List<AttemptStore.Placement> placements = new ArrayList<>();
    List<AttemptResult> results = new ArrayList<>();
    for (Write write : batch) {
      switch (write) {
        case Write.Place place -> placements.add(place.placement());
        case Write.Result result -> results.add(result.result());
      }
    }
    Deque<Attempt> placed = new ArrayDeque<>(store.write(placements, results));
    List<Optional<Attempt>> answers = new ArrayList<>(batch.size());
    for (Write write : batch) {
      answers.add(
          write instanceof Write.Place ? Optional.of(placed.removeFirst()) : Optional.empty());
    }
    return answers;
  }

  /** Queued writes fail with "closed"; a batch being written finishes. */
  @Override
  public void close() {
    batcher.close();
  }
}
