package org.pingdialer.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.LineCheckResult;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3 of the loop: checks whether bought numbers are live before agents' time is spent on them.
 * Claims NEW leads of the campaign under the hopper's rules (calling window, caps, DNC, consent),
 * places a line check for each (at most {@code maxInFlight} at once) and files what it learned:
 * live (rang, busy or answered), dead (unallocated, intercept), or inconclusive (checked again
 * later). How a check sounds to the callee is the campaign's {@code line_check} policy: {@code
 * ping} (lab only) hangs up at the first ring, {@code full} is a compliant call.
 *
 * <p>Threads: one owner thread holds the counts; store calls run in order on a second thread.
 */
public final class LineChecker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LineChecker.class);

  /** How soon the hopper is asked again when it had no NEW lead to check. */
  private static final Duration IDLE_RETRY = Duration.ofSeconds(30);

  private final Campaign campaign;
  private final String claimer;
  private final LeadStore leads;
  private final CallEngine engine;
  private final int maxInFlight;
  private final InstantSource clock;
  private final ScheduledExecutorService loop;
  private final ExecutorService store;

  // Owned by `loop`.
  private boolean running;
  private boolean claiming;
  private int inFlight;
  private ScheduledFuture<?> idleRetry;
  private final Map<LineCheckResult, Long> results = new EnumMap<>(LineCheckResult.class);

  /**
   * @param claimer this checker's name in the hopper (its checks are set back at start and stop)
   * @param maxInFlight line checks placed at once
   */
  public LineChecker(
      Campaign campaign,
      String claimer,
      LeadStore leads,
      CallEngine engine,
      int maxInFlight,
      InstantSource clock) {
    if (campaign.lineCheck() == Campaign.LineCheck.OFF) {
      throw new IllegalArgumentException(
          "campaign " + campaign.name() + " checks no lines (line_check: off)");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be ≥ 1, was " + maxInFlight);
    }
    this.campaign = campaign;
    this.claimer = claimer;
    this.leads = leads;
    this.engine = engine;
    this.maxInFlight = maxInFlight;
    this.clock = clock;
    this.loop = Loops.ownerThread("line-check-" + campaign.name());
    this.store = Loops.worker("line-check-" + campaign.name() + "-store");
  }

  /** Starts checking; checks left unfinished by an earlier run of this claimer go back first. */
  public CompletableFuture<Void> start() {
    return CompletableFuture.runAsync(
            () -> leads.releaseClaims(claimer, "line checker started", clock.instant()), store)
        .thenRunAsync(
            () -> {
              running = true;
              pump();
            },
            loop);
  }

  /** Places no new checks; checks in flight finish and are filed. */
  public CompletableFuture<Void> stop() {
    return CompletableFuture.runAsync(
        () -> {
          running = false;
          if (idleRetry != null) {
            idleRetry.cancel(false);
          }
        },
        loop);
  }

  private void pump() {
    if (!running || claiming || inFlight >= maxInFlight) {
      return;
    }
    int want = maxInFlight - inFlight;
    claiming = true;
    Instant now = clock.instant();
    store.execute(
        () -> {
          List<Lead> claimed = List.of();
          try {
            claimed = leads.claimForLineCheck(campaign.claimRequest(claimer, now, want));
          } catch (RuntimeException e) {
            log.warn("campaign {}: claiming leads to check failed", campaign.name(), e);
          }
          List<Lead> toCheck = claimed;
          loop.execute(() -> check(toCheck));
        });
  }

  private void check(List<Lead> claimed) {
    claiming = false;
    if (claimed.isEmpty()) {
      if (running) {
        idleRetry = loop.schedule(this::pump, IDLE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
      }
      return;
    }
    for (Lead lead : claimed) {
      inFlight++;
      var unused =
          engine
              .place(lead.dialDigits(), Attempt.Kind.LINE_CHECK)
              .thenCompose(engine::result)
              .whenComplete(
                  (result, failure) -> loop.execute(() -> checked(lead, result, failure)));
    }
    pump();
  }

  /** Told every check's result on the checker's thread (the abandon governor counts them). */
  private volatile Consumer<AttemptResult> ended = result -> {};

  /** Where each check's result goes besides the lead (set before {@link #start}). */
  public void reportTo(Consumer<AttemptResult> listener) {
    this.ended = listener;
  }

  private void checked(Lead lead, AttemptResult result, Throwable failure) {
    inFlight--;
    if (result != null) {
      ended.accept(result);
    }
    LineCheckResult learned =
        failure != null
            ? LineCheckResult.UNKNOWN
            : result.lineCheck().orElse(LineCheckResult.UNKNOWN);
    if (failure != null) {
      log.warn("line check of lead {} failed: {}", lead.id(), failure.getMessage());
    }
    results.merge(learned, 1L, Long::sum);
    LeadEvent event =
        switch (learned) {
          case LIVE -> new LeadEvent.CheckedLive();
          case DEAD -> new LeadEvent.FoundDead(result.outcome().name());
          case UNKNOWN -> new LeadEvent.CheckInconclusive();
        };
    Instant at = clock.instant();
    store.execute(
        () -> {
          try {
            leads.apply(lead.id(), event, at);
          } catch (RuntimeException e) {
            log.warn(
                "lead {}: line check result {} not filed: {}", lead.id(), event, e.getMessage());
          }
        });
    pump();
  }

  /** Checks done so far by what they learned, and how many are in flight. */
  public CompletableFuture<Stats> stats() {
    return CompletableFuture.supplyAsync(() -> new Stats(inFlight, Map.copyOf(results)), loop);
  }

  /** A snapshot of the checker. */
  public record Stats(int inFlight, Map<LineCheckResult, Long> results) {}

  @Override
  public void close() {
    loop.shutdownNow();
    store.shutdownNow();
  }
}
