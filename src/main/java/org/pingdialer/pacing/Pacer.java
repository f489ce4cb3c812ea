package org.pingdialer.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides how many calls to place now. Asked on events (an agent freed, a call answered or ended),
 * and when it asks to be ({@link #askAgainIn}), never on a fixed tick; time comes in with the
 * state, so the same code runs in the dialing loop and in the simulator's virtual time. Not
 * thread-safe: owned by one loop.
 */
public interface Pacer {
  /**
   * What the pacer sees.
   *
   * @param readyAgents agents waiting for a call
   * @param busyFor for every agent on a call or in wrap-up, how long it has been busy
   * @param callsDialing calls placed and not yet answered or ended
   * @param channelLimit never more calls in flight than this
   * @param allowedRatio the abandon governor's limit on calls per agent
   * @param dialingFor how long each call in flight has been ringing, where known; calls beyond the
   *     list's size count as just placed. A call that has rung for a while without an answer is
   *     less likely to be answered by a person, and one past the longest ring a person takes not at
   *     all, so the ages let the predictive pacer place more calls at the same risk.
   */
  record State(
      Instant now,
      int readyAgents,
      List<Duration> busyFor,
      int callsDialing,
      int channelLimit,
      double allowedRatio,
      List<Duration> dialingFor) {
    public State {
      busyFor = List.copyOf(busyFor);
      dialingFor = List.copyOf(dialingFor);
      if (dialingFor.size() > callsDialing) {
        throw new IllegalArgumentException(
            "more ring ages (" + dialingFor.size() + ") than calls dialing (" + callsDialing + ")");
      }
    }

    /** Without the ring ages of the calls in flight (each counts as just placed). */
    public State(
        Instant now,
        int readyAgents,
        List<Duration> busyFor,
        int callsDialing,
        int channelLimit,
        double allowedRatio) {
      this(now, readyAgents, busyFor, callsDialing, channelLimit, allowedRatio, List.of());
    }

    public int agents() {
      return readyAgents + busyFor.size();
    }
  }

  /** How many more calls to place now (0 or more). */
  int callsToPlace(State state);

  /**
   * How long after its last {@link #callsToPlace} the pacer wants to be asked again if no event
   * comes first: its estimates can move with time alone (a busy agent nears the end of its call, a
   * ringing call grows less likely to be answered). Empty: ask only on events.
   */
  default Optional<Duration> askAgainIn() {
    return Optional.empty();
  }

  /** A call was answered by a person after ringing {@code ring}. */
  default void answered(Duration ring, Instant at) {}

  /** A call ended without a person answering (no answer, busy, machine, ...). */
  default void unanswered(Instant at) {}

  /** An agent finished a call and its wrap-up after {@code handle} (talk + wrap). */
  default void agentFreed(Duration handle, Instant at) {}

  /** An answered callee was dropped for want of an agent. */
  default void abandoned(Instant at) {}
}
