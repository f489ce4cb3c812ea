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
   * @param busy every agent on a call or in its wrap-up, with how long it has talked and, once its
   *     call has ended, how long it has been in wrap-up
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
      List<Busy> busy,
      int callsDialing,
      int channelLimit,
      double allowedRatio,
      List<Duration> dialingFor) {
    public State {
      busy = List.copyOf(busy);
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
        List<Busy> busy,
        int callsDialing,
        int channelLimit,
        double allowedRatio) {
      this(now, readyAgents, busy, callsDialing, channelLimit, allowedRatio, List.of());
    }

    public int agents() {
      return readyAgents + busy.size();
    }
  }

  /**
   * An agent on a call or in its wrap-up. The phase matters to pacing: an agent still talking may
   * talk for minutes more, one whose call has ended (filing its disposition) frees within its
   * wrap-up, a short and well-known time, about the ring time over which the pacer places calls
   * ahead.
   *
   * @param talked how long it has talked: so far while on the call, in all once in wrap-up
   * @param wrappingFor how long it has been in wrap-up since its call ended; empty while it talks
   */
  record Busy(Duration talked, Optional<Duration> wrappingFor) {
    public Busy {
      if (talked.isNegative() || wrappingFor.map(Duration::isNegative).orElse(false)) {
        throw new IllegalArgumentException(
            "talk and wrap-up times must not be negative, were " + talked + " and " + wrappingFor);
      }
    }

    /** Still on its call, for {@code talkingFor} so far. */
    public static Busy talking(Duration talkingFor) {
      return new Busy(talkingFor, Optional.empty());
    }

    /** Its call ended after {@code talked}; in wrap-up since, for {@code wrappingFor}. */
    public static Busy wrapping(Duration talked, Duration wrappingFor) {
      return new Busy(talked, Optional.of(wrappingFor));
    }

    /** How long since it took its call (talk, plus wrap-up so far). */
    public Duration busyFor() {
      return talked.plus(wrappingFor.orElse(Duration.ZERO));
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

  /**
   * An agent finished a call and its wrap-up: it talked for {@code talk}, then wrapped up for
   * {@code wrap}.
   */
  default void agentFreed(Duration talk, Duration wrap, Instant at) {}

  /**
   * A past call's talk time, its wrap-up unknown: what the dialing loop learns from the attempts
   * table when it starts (the table has each call's bridge and end, not the agent's wrap-up).
   */
  default void talked(Duration talk, Instant at) {}

  /** An answered callee was dropped for want of an agent. */
  default void abandoned(Instant at) {}
}
