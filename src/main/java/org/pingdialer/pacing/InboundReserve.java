package org.pingdialer.pacing;

import java.time.Duration;

/**
 * How many agents an inbound queue keeps from the outbound campaigns: the fewest that answer the
 * queue's service-level share of callers within its threshold at the expected arrival rate, by
 * Erlang C (callers arrive at random, wait in line, none gives up). The model is a cautious one for
 * a blended floor: outbound agents who free up also take waiting callers first, and callers who
 * give up lighten the load.
 */
public final class InboundReserve {
  /** Enough for any queue a single floor serves. */
  static final int MOST_AGENTS = 1000;

  private InboundReserve() {}

  /**
   * The agents to keep for the queue (0 when no calls are expected).
   *
   * @param callsPerHour expected arrivals
   * @param handleTime mean talk plus wrap-up per call
   * @param answerWithin the service level's threshold, e.g. 20 s
   * @param share the service level's share, e.g. 0.8 for 80 % within the threshold
   * @throws IllegalArgumentException when the numbers are out of range, or the load needs more than
   *     {@value #MOST_AGENTS} agents
   */
  public static int agents(
      double callsPerHour, Duration handleTime, Duration answerWithin, double share) {
    if (!(callsPerHour >= 0) || !(share > 0 && share < 1) || handleTime.isNegative()) {
      throw new IllegalArgumentException(
          "calls per hour must be at least 0 and the share above 0 and below 1, were "
              + callsPerHour
              + " and "
              + share);
    }
    if (callsPerHour == 0 || handleTime.isZero()) {
      return 0;
    }
    double handleSeconds = handleTime.toMillis() / 1000.0;
    double load = callsPerHour / 3600 * handleSeconds; // in Erlangs: agents busy on average
    double erlangB = 1; // blocking with 0 agents
    for (int agents = 1; agents <= MOST_AGENTS; agents++) {
      erlangB = load * erlangB / (agents + load * erlangB);
      if (agents > load
          && serviceLevel(agents, load, erlangB, handleSeconds, answerWithin) >= share) {
        return agents;
      }
    }
    throw new IllegalArgumentException(
        "an inbound load of "
            + Math.round(load)
            + " agents needs more than "
            + MOST_AGENTS
            + " agents to reach its service level");
  }

  /** Share of callers answered within {@code answerWithin} with {@code agents} agents. */
  static double serviceLevel(
      int agents, double load, double erlangB, double handleSeconds, Duration answerWithin) {
    double waitChance = agents * erlangB / (agents - load * (1 - erlangB)); // Erlang C
    double threshold = answerWithin.toMillis() / 1000.0;
    return 1 - waitChance * Math.exp(-(agents - load) * threshold / handleSeconds);
  }
}
