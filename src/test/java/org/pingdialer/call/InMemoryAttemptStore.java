package org.pingdialer.call;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link AttemptStore} in memory: for unit tests and for runs that need no history (the JDBC store
 * keeps attempts across restarts).
 */
public final class InMemoryAttemptStore implements AttemptStore {
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final Map<AttemptKey, StoredAttempt> attempts = new ConcurrentHashMap<>();

  @Override
  public long nextAttemptNumber(String campaign) {
    return counters.computeIfAbsent(campaign, c -> new AtomicLong()).incrementAndGet();
  }

  @Override
  public void recordPlaced(Attempt attempt, Instant at) {
    var previous =
        attempts.putIfAbsent(attempt.key(), new StoredAttempt(attempt, at, Optional.empty()));
    if (previous != null) {
      throw new IllegalStateException("attempt " + attempt.key() + " is already stored");
    }
  }

  @Override
  public void recordResult(AttemptResult result) {
    attempts.compute(
        result.key(),
        (key, stored) -> {
          if (stored == null) {
            throw new IllegalStateException("attempt " + key + " was never placed");
          }
          if (stored.result().isPresent()) {
            throw new IllegalStateException(
                "attempt " + key + " already ended as " + stored.result().get().outcome());
          }
          return new StoredAttempt(stored.attempt(), stored.placedAt(), Optional.of(result));
        });
  }

  /** All or none, as in one transaction: every result is checked before anything is stored. */
  @Override
  public synchronized List<Attempt> write(List<Placement> placements, List<AttemptResult> results) {
    for (AttemptResult result : results) {
      StoredAttempt stored = attempts.get(result.key());
      if (stored == null) {
        throw new IllegalStateException("attempt " + result.key() + " was never placed");
      }
      if (stored.result().isPresent()) {
        throw new IllegalStateException(
            "attempt " + result.key() + " already ended as " + stored.result().get().outcome());
      }
    }
    List<Attempt> placed =
        placements.stream().map(p -> place(p.campaign(), p.number(), p.kind(), p.at())).toList();
    results.forEach(this::recordResult);
    return placed;
  }

  @Override
  public List<Ended> endedSince(String campaign, Instant since) {
    return attempts.values().stream()
        .filter(a -> a.attempt().key().campaign().equals(campaign))
        .flatMap(a -> a.result().stream())
        .filter(r -> r.timeline().endedAt() != null && !r.timeline().endedAt().isBefore(since))
        .map(Ended::of)
        .sorted(Comparator.comparing(Ended::at))
        .toList();
  }

  @Override
  public int countOutcomes(String campaign, String number, DialOutcome outcome) {
    return (int)
        attempts.values().stream()
            .filter(a -> a.attempt().key().campaign().equals(campaign))
            .filter(a -> a.attempt().number().equals(number))
            .filter(a -> a.result().map(r -> r.outcome() == outcome).orElse(false))
            .count();
  }

  @Override
  public Optional<StoredAttempt> find(AttemptKey key) {
    return Optional.ofNullable(attempts.get(key));
  }

  @Override
  public List<StoredAttempt> unfinished(String campaign) {
    return attempts.values().stream()
        .filter(a -> a.attempt().key().campaign().equals(campaign) && a.result().isEmpty())
        .sorted(Comparator.comparingLong(a -> a.attempt().key().attempt()))
        .toList();
  }

  @Override
  public Optional<StoredAttempt> latest(String campaign, String number) {
    return attempts.values().stream()
        .filter(a -> a.attempt().key().campaign().equals(campaign))
        .filter(a -> a.attempt().number().equals(number))
        .max(Comparator.comparingLong(a -> a.attempt().key().attempt()));
  }
}
