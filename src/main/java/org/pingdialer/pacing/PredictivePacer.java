package org.pingdialer.pacing;

import java.time.Duration;
import java.time.Instant;

/**
 * Places the number of calls that keeps the expected share of answered callees without an agent
 * under the target. It learns, from recent calls, the chance that a call is answered by a person
 * and how long a person lets it ring, and from recent agents how long a call takes (talk + wrap).
 * Agents count as available if they are ready now or expected to be free by the time the next
 * answers come in (the busy ones, by how long they have been busy against the average handle time).
 * The number of answers among the calls in flight is binomial; the pacer adds calls while the
 * expected abandons stay under {@code target} of the expected answers.
 */
public final class PredictivePacer implements Pacer {
  /** Weight of one new observation in the running estimates (about the last 100 calls). */
  private static final double LEARN = 0.01;

  private final double target;
  private double liveRate;
  private double ringSeconds;
  private double handleSeconds;

  /** The last handle times (talk + wrap, seconds), a ring buffer. */
  private final double[] handles = new double[400];

  private long seen;

  /** Fewer longer calls than this and the estimate falls back to the exponential. */
  private static final int MIN_SAMPLES = 20;

  /**
   * @param target the share of answered callees that may go without an agent (e.g. 0.02)
   * @param liveRatePrior the live-answer chance assumed until calls show it (e.g. 0.2)
   * @param handlePrior the talk + wrap time assumed until agents show it
   */
  public PredictivePacer(double target, double liveRatePrior, Duration handlePrior) {
    this.target = target;
    this.liveRate = liveRatePrior;
    this.ringSeconds = 8;
    this.handleSeconds = handlePrior.toMillis() / 1000.0;
  }

  @Override
  public void answered(Duration ring, Instant at) {
    liveRate += LEARN * (1 - liveRate);
    ringSeconds += LEARN * 5 * (ring.toMillis() / 1000.0 - ringSeconds);
  }

  @Override
  public void unanswered(Instant at) {
    liveRate += LEARN * (0 - liveRate);
  }

  @Override
  public void agentFreed(Duration handle, Instant at) {
    double seconds = handle.toMillis() / 1000.0;
    handleSeconds += LEARN * 5 * (seconds - handleSeconds);
    handles[(int) (seen++ % handles.length)] = seconds;
  }

  @Override
  public int callsToPlace(State state) {
    if (state.agents() == 0) {
      return 0;
    }
    if (state.allowedRatio() <= 1) {
      return new ProgressivePacer().callsToPlace(state); // the governor's fallback at the cap
    }
    double available = state.readyAgents() + expectedFreed(state);
    int maxInFlight =
        Math.min(
            state.channelLimit(),
            (int) Math.floor(Math.max(1, state.allowedRatio()) * state.agents()));
    int calls = state.callsDialing();
    // One call per ready agent is always safe; beyond that only while the expected abandons stay
    // under the target share of expected answers.
    int floor = Math.max(calls, Math.min(state.readyAgents(), maxInFlight));
    int n = floor;
    while (n < maxInFlight && abandonShare(n + 1, available) <= target) {
      n++;
    }
    return Math.max(0, n - calls);
  }

  /**
   * Busy agents expected to be free within the time a person takes to answer: for an agent busy for
   * {@code e} seconds, the share of recent handle times longer than {@code e} that ended within the
   * next {@code horizon} seconds (the distribution as observed, so a long-tailed talk time is not
   * taken for one that ends on time); an exponential around the average until enough calls have
   * been seen.
   */
  private double expectedFreed(State state) {
    double horizon = Math.max(1, ringSeconds);
    double freed = 0;
    for (Duration busy : state.busyFor()) {
      double elapsed = busy.toMillis() / 1000.0;
      int longer = 0;
      int endingSoon = 0;
      for (int i = 0; i < Math.min(seen, handles.length); i++) {
        if (handles[i] > elapsed) {
          longer++;
          if (handles[i] <= elapsed + horizon) {
            endingSoon++;
          }
        }
      }
      freed +=
          longer >= MIN_SAMPLES
              ? (double) endingSoon / longer
              : 1 - Math.exp(-horizon / Math.max(handleSeconds, handleSeconds - elapsed));
    }
    return freed;
  }

  /** Expected abandons over expected answers when {@code n} calls are in flight. */
  private double abandonShare(int n, double available) {
    double p = Math.min(0.99, Math.max(0.01, liveRate));
    double expectedAnswers = n * p;
    double expectedAbandons = 0;
    // P(k answers) for a binomial(n, p), by recurrence.
    double pk = Math.pow(1 - p, n);
    for (int k = 0; k <= n; k++) {
      if (k > available) {
        expectedAbandons += pk * (k - available);
      }
      pk = pk * (n - k) / (k + 1) * p / (1 - p);
    }
    return expectedAnswers == 0 ? 0 : expectedAbandons / expectedAnswers;
  }
}
