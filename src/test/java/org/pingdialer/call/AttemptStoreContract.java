package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link AttemptStore} must do; each implementation's test extends this. */
public abstract class AttemptStoreContract {
  protected static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  protected abstract AttemptStore newStore();

  protected static Attempt attempt(long n) {
    return new Attempt(new AttemptKey("c1", n), "4930999100001", Attempt.Kind.CALL);
  }

  protected static AttemptResult result(Attempt attempt, DialOutcome outcome) {
    return new AttemptResult(
        attempt,
        outcome,
        17,
        486,
        Optional.empty(),
        Timeline.createdAt(T).ended(T.plusSeconds(3)),
        Optional.empty(),
        List.of(new Evidence("ChannelDestroyed", T.plusSeconds(3), "cause 17")),
        false);
  }

  @Test
  public void outcomesAreCountedPerCampaignAndNumber() {
    AttemptStore store = newStore();
    Attempt first = store.place("c1", "4930999200001", Attempt.Kind.CALL, T);
    Attempt second = store.place("c1", "4930999200001", Attempt.Kind.CALL, T);
    Attempt third = store.place("c1", "4930999200001", Attempt.Kind.CALL, T);
    Attempt other = store.place("c2", "4930999200001", Attempt.Kind.CALL, T);
    store.recordResult(result(first, DialOutcome.BUSY));
    store.recordResult(result(second, DialOutcome.NO_ANSWER));
    store.recordResult(result(third, DialOutcome.BUSY));
    store.recordResult(result(other, DialOutcome.BUSY));

    assertThat(store.countOutcomes("c1", "4930999200001", DialOutcome.BUSY)).isEqualTo(2);
    assertThat(store.countOutcomes("c1", "4930999200001", DialOutcome.NO_ANSWER)).isEqualTo(1);
    assertThat(store.countOutcomes("c1", "4930999200002", DialOutcome.BUSY)).isZero();
    assertThat(store.countOutcomes("c2", "4930999200001", DialOutcome.BUSY)).isEqualTo(1);
  }

  /** Issue 17: what a new run looks at after a crash, and the LOST outcome stored as any other. */
  @Test
  public void unfinishedAttemptsAndTheLatestToANumberAreFound() {
    AttemptStore store = newStore();
    Attempt done = store.place("c1", "4930999300001", Attempt.Kind.CALL, T);
    Attempt open = store.place("c1", "4930999300001", Attempt.Kind.CALL, T.plusSeconds(1));
    Attempt check = store.place("c1", "4930999300002", Attempt.Kind.LINE_CHECK, T);
    store.place("c2", "4930999300001", Attempt.Kind.CALL, T.plusSeconds(2));
    store.recordResult(result(done, DialOutcome.BUSY));

    assertThat(store.unfinished("c1"))
        .extracting(AttemptStore.StoredAttempt::attempt)
        .containsExactly(open, check);
    assertThat(store.latest("c1", "4930999300001").orElseThrow().attempt()).isEqualTo(open);
    assertThat(store.latest("c1", "4930999399999")).isEmpty();

    store.recordResult(result(open, DialOutcome.LOST));
    assertThat(store.unfinished("c1")).extracting(a -> a.attempt()).containsExactly(check);
    assertThat(store.latest("c1", "4930999300001").orElseThrow().result().orElseThrow().outcome())
        .isEqualTo(DialOutcome.LOST);
  }

  @Test
  public void endedCallsAndLineChecksAreListedSinceATime() {
    AttemptStore store = newStore();
    Attempt answered = store.place("c1", "4930999100001", Attempt.Kind.CALL, T);
    Attempt check = store.place("c1", "4930999100002", Attempt.Kind.LINE_CHECK, T);
    store.place("c1", "4930999100003", Attempt.Kind.CALL, T); // in flight
    AttemptResult rang = result(answered, DialOutcome.ABANDONED); // ended T+3s
    rang =
        new AttemptResult(
            rang.attempt(),
            rang.outcome(),
            rang.cause(),
            rang.techCause(),
            rang.lineCheck(),
            Timeline.createdAt(T)
                .ringing(T.plusMillis(500))
                .answered(T.plusSeconds(2))
                .bridged(T.plusMillis(2200))
                .ended(T.plusSeconds(3)),
            rang.agentId(),
            rang.evidence(),
            rang.controllerError());
    store.recordResult(rang);
    store.recordResult(result(check, DialOutcome.ABANDONED)); // a person answered the check
    Attempt cut = store.place("c1", "4930999100004", Attempt.Kind.CALL, T);
    AttemptResult lost = result(cut, DialOutcome.LOST);
    store.recordResult(
        new AttemptResult(
            cut,
            DialOutcome.LOST,
            0,
            null,
            Optional.empty(),
            Timeline.createdAt(T).answered(T.plusSeconds(1)).ended(T.plusSeconds(3)),
            Optional.empty(),
            lost.evidence(),
            false));

    // What the governor counts (both) and what the pacer learns from (the call's ring time).
    assertThat(store.endedSince("c1", T))
        .containsExactlyInAnyOrder(
            new AttemptStore.Ended(
                T.plusSeconds(3),
                DialOutcome.ABANDONED,
                Attempt.Kind.CALL,
                true,
                Optional.of(Duration.ofMillis(1500)),
                Optional.of(Duration.ofMillis(800))),
            new AttemptStore.Ended(
                T.plusSeconds(3),
                DialOutcome.ABANDONED,
                Attempt.Kind.LINE_CHECK,
                false,
                Optional.empty(),
                Optional.empty()),
            new AttemptStore.Ended(
                T.plusSeconds(3),
                DialOutcome.LOST,
                Attempt.Kind.CALL,
                true,
                Optional.empty(),
                Optional.empty()));
    // Lost after a person answered, with no agent: they were dropped, so the rate counts it.
    assertThat(store.endedSince("c1", T))
        .extracting(AttemptStore.Ended::lived)
        .containsExactlyInAnyOrder(
            DialOutcome.ABANDONED, DialOutcome.ABANDONED, DialOutcome.ABANDONED);
    assertThat(store.endedSince("c1", T.plusSeconds(4))).isEmpty();
    assertThat(store.endedSince("c2", T)).isEmpty();
  }

  @Test
  public void attemptNumbersCountUpPerCampaign() {
    AttemptStore store = newStore();
    assertThat(store.nextAttemptNumber("c1")).isEqualTo(1);
    assertThat(store.nextAttemptNumber("c1")).isEqualTo(2);
    assertThat(store.nextAttemptNumber("c2")).isEqualTo(1);
  }

  @Test
  public void placeReservesTheNextNumberAndStoresTheAttemptInOneCall() {
    AttemptStore store = newStore();
    Attempt first = store.place("c1", "4930999100001", Attempt.Kind.CALL, T);
    Attempt second = store.place("c1", "4930999100002", Attempt.Kind.LINE_CHECK, T);

    assertThat(first.key()).isEqualTo(new AttemptKey("c1", 1));
    assertThat(second.key()).isEqualTo(new AttemptKey("c1", 2));
    assertThat(store.find(second.key()).orElseThrow().attempt()).isEqualTo(second);
    assertThat(store.nextAttemptNumber("c1")).isEqualTo(3);
  }

  @Test
  public void aWriteNumbersEachCampaignsAttemptsInOrderAfterThoseAlreadyPlaced() {
    AttemptStore store = newStore();
    store.place("c1", "4930999100001", Attempt.Kind.CALL, T);

    List<Attempt> placed =
        store.write(
            List.of(
                new AttemptStore.Placement("c1", "4930999100002", Attempt.Kind.CALL, T),
                new AttemptStore.Placement("c2", "4930999100003", Attempt.Kind.LINE_CHECK, T),
                new AttemptStore.Placement("c1", "4930999100004", Attempt.Kind.CALL, T)),
            List.of());

    assertThat(placed)
        .extracting(Attempt::key)
        .containsExactly(new AttemptKey("c1", 2), new AttemptKey("c2", 1), new AttemptKey("c1", 3));
    assertThat(placed)
        .extracting(Attempt::number)
        .containsExactly("4930999100002", "4930999100003", "4930999100004");
    assertThat(store.find(new AttemptKey("c2", 1)).orElseThrow().attempt().kind())
        .isEqualTo(Attempt.Kind.LINE_CHECK);
    assertThat(store.nextAttemptNumber("c1")).isEqualTo(4);
    assertThat(store.write(List.of(), List.of())).isEmpty();
  }

  @Test
  public void aWriteStoresEachResultAndABadOneStoresNoneOfTheBatch() {
    AttemptStore store = newStore();
    store.recordPlaced(attempt(1), T);
    store.recordPlaced(attempt(2), T);
    store.recordPlaced(attempt(3), T);
    store.write(
        List.of(),
        List.of(result(attempt(1), DialOutcome.BUSY), result(attempt(2), DialOutcome.NO_ANSWER)));
    assertThat(store.find(attempt(2).key()).orElseThrow().result().orElseThrow().outcome())
        .isEqualTo(DialOutcome.NO_ANSWER);

    // Attempt 1 has its result already: the batch fails, and attempt 3's result waits.
    assertThatThrownBy(
            () ->
                store.write(
                    List.of(),
                    List.of(
                        result(attempt(3), DialOutcome.BUSY),
                        result(attempt(1), DialOutcome.ANSWERED))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already ended as BUSY");
    assertThat(store.find(attempt(1).key()).orElseThrow().result().orElseThrow().outcome())
        .isEqualTo(DialOutcome.BUSY);
    assertThat(store.find(attempt(3).key()).orElseThrow().result()).isEmpty();
  }

  @Test
  public void oneWritePlacesAndStoresResultsTogetherAllOrNone() {
    AttemptStore store = newStore();
    Attempt first = store.place("c1", "4930999100001", Attempt.Kind.CALL, T);
    var next = new AttemptStore.Placement("c1", "4930999100002", Attempt.Kind.CALL, T);

    List<Attempt> placed = store.write(List.of(next), List.of(result(first, DialOutcome.BUSY)));

    assertThat(placed).extracting(Attempt::key).containsExactly(new AttemptKey("c1", 2));
    assertThat(store.find(first.key()).orElseThrow().result()).isPresent();
    assertThat(store.find(new AttemptKey("c1", 2))).isPresent();

    // A result that cannot be stored fails the whole write: the placement with it is not stored.
    assertThatThrownBy(
            () -> store.write(List.of(next), List.of(result(first, DialOutcome.ANSWERED))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.unfinished("c1"))
        .extracting(a -> a.attempt().key().attempt())
        .containsExactly(2L);
  }

  @Test
  public void placedAttemptIsFoundBeforeAndAfterItsResult() {
    AttemptStore store = newStore();
    store.recordPlaced(attempt(1), T);
    assertThat(store.find(attempt(1).key()).orElseThrow().result()).isEmpty();

    store.recordResult(result(attempt(1), DialOutcome.BUSY));

    var stored = store.find(attempt(1).key()).orElseThrow();
    assertThat(stored.placedAt()).isEqualTo(T);
    assertThat(stored.result().orElseThrow().outcome()).isEqualTo(DialOutcome.BUSY);
    assertThat(stored.result().orElseThrow().evidence()).hasSize(1);
  }

  @Test
  public void everyEvidenceEntryIsReadBackInOrderAsWritten() {
    AttemptStore store = newStore();
    store.recordPlaced(attempt(1), T);
    List<Evidence> evidence =
        List.of(
            new Evidence("StasisStart", T.plusNanos(123_456_789), ""),
            new Evidence("Dial", T.plusMillis(1500), "dialstatus \"ANSWER\" to PJSIP/carrier\n"),
            new Evidence("AmdResult", T.plusSeconds(2), "HUMAN – Grüße, 日本"),
            new Evidence("ChannelDestroyed", T.plusSeconds(3), "cause 16"));
    AttemptResult busy = result(attempt(1), DialOutcome.ANSWERED);
    store.recordResult(
        new AttemptResult(
            busy.attempt(),
            busy.outcome(),
            busy.cause(),
            busy.techCause(),
            busy.lineCheck(),
            busy.timeline(),
            busy.agentId(),
            evidence,
            busy.controllerError()));

    assertThat(store.find(attempt(1).key()).orElseThrow().result().orElseThrow().evidence())
        .containsExactlyElementsOf(evidence);
  }

  @Test
  public void aKeyIsStoredOnlyOnce() {
    AttemptStore store = newStore();
    store.recordPlaced(attempt(1), T);
    assertThatThrownBy(() -> store.recordPlaced(attempt(1), T))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  public void aResultIsStoredExactlyOnceAndOnlyForAPlacedAttempt() {
    AttemptStore store = newStore();
    assertThatThrownBy(() -> store.recordResult(result(attempt(9), DialOutcome.BUSY)))
        .isInstanceOf(IllegalStateException.class);
    store.recordPlaced(attempt(1), T);
    store.recordResult(result(attempt(1), DialOutcome.BUSY));
    assertThatThrownBy(() -> store.recordResult(result(attempt(1), DialOutcome.ANSWERED)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already ended as BUSY");
    assertThat(store.find(attempt(1).key()).orElseThrow().result().orElseThrow().outcome())
        .isEqualTo(DialOutcome.BUSY);
  }

  @Test
  public void concurrentReservationsNeverHandOutANumberTwice() throws Exception {
    AttemptStore store = newStore();
    var pool = Executors.newFixedThreadPool(8);
    List<Future<Long>> numbers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      numbers.add(
          pool.submit(
              () -> store.place("fresh", "4930999100001", Attempt.Kind.CALL, T).key().attempt()));
    }
    List<Long> values = new ArrayList<>();
    for (var number : numbers) {
      values.add(number.get());
    }
    pool.shutdown();
    assertThat(values).doesNotHaveDuplicates().hasSize(200);
    assertThat(values.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(200);
  }
}
