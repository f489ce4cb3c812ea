package org.pingdialer.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Decides how many calls to place now. Asked on events (an agent freed, a call answered or ended),
 * never on a fixed tick; time comes in with the state, so the same code runs in the dialing loop
 * and in the simulator's virtual time. Not thread-safe: owned by one loop.
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
   */
  record State(
      Instant now,
      int readyAgents,
      List<Duration> busyFor,
      int callsDialing,
      int channelLimit,
      double allowedRatio) {
    public State {
      busyFor = List.copyOf(busyFor);
    }

    public int agents() {
      return readyAgents + busyFor.size();
    }
  }

  /** How many more calls to place now (0 or more). */
  int callsToPlace(State state);

  /** A call was answered by a person after ringing {@code ring}. */
  default void answered(Duration ring, Instant at) {}

  /** A call ended without a person answering (no answer, busy, machine, ...). */
  default void unanswered(Instant at) {}

  /** An agent finished a call and its wrap-up after {@code handle} (talk + wrap). */
  default void agentFreed(Duration handle, Instant at) {}

  /** An answered callee was dropped for want of an agent. */
  default void abandoned(Instant at) {}
}
