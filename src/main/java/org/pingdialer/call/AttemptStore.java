package org.pingdialer.call;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where attempts live. The attempt is stored before its channel is created, so events that beat the
 * HTTP response, a retried request or a controller restart always find it; its result is stored
 * exactly once. Implementations are thread-safe; calls block (the engine calls them off its loop).
 */
public interface AttemptStore {

  /** Reserves the next attempt number of {@code campaign} (1, 2, 3...; never reused). */
  long nextAttemptNumber(String campaign);

  /**
   * Stores a placed attempt.
   *
   * @throws IllegalStateException if an attempt with this key is already stored
   */
  void recordPlaced(Attempt attempt, Instant at);

  /**
   * Reserves the next attempt number of {@code campaign} and stores the attempt; the engine's one
   * store call before a channel is created. Implementations may do both in one transaction.
   */
  default Attempt place(String campaign, String number, Attempt.Kind kind, Instant at) {
    var attempt = new Attempt(new AttemptKey(campaign, nextAttemptNumber(campaign)), number, kind);
    recordPlaced(attempt, at);
    return attempt;
  }

  /** A call to place: what {@link #write} stores. */
  record Placement(String campaign, String number, Attempt.Kind kind, Instant at) {}

  /**
   * Places attempts, in order, as {@link #place} would one after the other, and stores results, as
   * {@link #recordResult} would; all or none (one transaction). The engine hands over every call
   * asked for and every result that came while its previous write ran.
   *
   * @return the attempts placed, in the order of {@code placements}
   * @throws IllegalStateException if a result's attempt was never placed or already has a result
   */
  List<Attempt> write(List<Placement> placements, List<AttemptResult> results);

  /**
   * Stores the final result of a placed attempt.
   *
   * @throws IllegalStateException if the attempt was never placed or already has a result
   */
  void recordResult(AttemptResult result);

  Optional<StoredAttempt> find(AttemptKey key);

  /**
   * The campaign's attempts that have no result, oldest first: calls of a run that died (a new run
   * finds them before it dials) or of the run in progress.
   */
  List<StoredAttempt> unfinished(String campaign);

  /** The campaign's last attempt to {@code number} (digits without '+'), if any. */
  Optional<StoredAttempt> latest(String campaign, String number);

  /**
   * How many of the campaign's calls to {@code number} (E.164 digits without '+') ended with {@code
   * outcome}: what a retry rule's {@code max} counts.
   */
  int countOutcomes(String campaign, String number, DialOutcome outcome);

  /**
   * The campaign's calls and line checks that ended at or after {@code since}, oldest first: what
   * the abandon rate is counted from (a full line check a person answers is a live call).
   */
  List<Ended> endedSince(String campaign, Instant since);

  /**
   * When a call or line check ended and how.
   *
   * @param answered true when a person or machine answered it
   * @param ring how long it rang before a person or machine answered; empty when it was not
   *     answered or its ringing was not seen
   * @param talk how long the callee was with an agent (from the bridge to the end); empty when it
   *     never reached one
   */
  record Ended(
      Instant at,
      DialOutcome outcome,
      Attempt.Kind kind,
      boolean answered,
      Optional<Duration> ring,
      Optional<Duration> talk) {
    /** The outcome as the callee lived it (see {@link DialOutcome#asLived}). */
    public DialOutcome lived() {
      return outcome.asLived(answered, talk.isPresent());
    }

    /** From a finished attempt's result. */
    public static Ended of(AttemptResult result) {
      Timeline t = result.timeline();
      return new Ended(
          t.endedAt(),
          result.outcome(),
          result.attempt().kind(),
          t.answeredAt() != null,
          t.ringingAt() != null && t.answeredAt() != null
              ? Optional.of(Duration.between(t.ringingAt(), t.answeredAt()))
              : Optional.empty(),
          t.bridgedAt() != null && t.endedAt() != null
              ? Optional.of(Duration.between(t.bridgedAt(), t.endedAt()))
              : Optional.empty());
    }
  }

  /** An attempt as stored: placed, and finished once its result is in. */
  record StoredAttempt(Attempt attempt, Instant placedAt, Optional<AttemptResult> result) {}
}
