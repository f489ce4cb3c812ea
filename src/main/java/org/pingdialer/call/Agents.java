package org.pingdialer.call;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The agents as the call engine sees them: who a call answered now would get, and what the engine
 * tells the owner of the agents' state ({@code agent.AgentPool}) about its calls. The engine and
 * the agents share one owner thread, so every method here is called on it, answers at once and
 * never blocks: an answered call is added to an agent's bridge without a hand-over.
 */
public interface Agents {
  /**
   * The agent an answered call of {@code campaign} would take now: one ready for that campaign (or
   * one it may borrow), who waited longest first. Not taken yet.
   */
  Optional<AgentSeat> longestReady(String campaign);

  /**
   * Takes the agent for a call about to be placed for it (a callback, a redial after an abandon, a
   * preview) and gives its seat: it was ready, or reserved by the dialer for that call and no call
   * yet. Empty when it is neither.
   */
  Optional<AgentSeat> takeForPlacing(String agentId);

  /**
   * The agent is taken for {@code call}: it gets no other call until released. False when it cannot
   * be (it left, sat down on another phone, paused, or is another call's): the call must not count
   * on it.
   */
  boolean reserve(AgentSeat agent, AttemptKey call);

  /**
   * Whether the agent is still on {@code agent}'s phone and reserved for {@code call}: asked before
   * a callee is put through to an agent reserved when its call was placed.
   */
  boolean isReservedFor(AgentSeat agent, AttemptKey call);

  /** The customer of {@code call} is in the agent's bridge. */
  void connected(AgentSeat agent, AttemptKey call);

  /**
   * {@code call} no longer needs the agent: a connected agent wraps up, a reserved one is ready
   * again (or takes the pause it asked for meanwhile).
   */
  void released(AgentSeat agent, AttemptKey call);

  /**
   * Tells {@code listener} (on the owner thread) when an agent's phone leaves: hung up, logged out,
   * or found gone after an events gap. Its call, if any, goes on without it.
   */
  void watchLeaving(Consumer<AgentSeat> listener);
}
