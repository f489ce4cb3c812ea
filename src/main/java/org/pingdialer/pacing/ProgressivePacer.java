package org.pingdialer.pacing;

/**
 * One call per ready agent: never drops a callee for want of an agent. Preview campaigns are paced
 * by it too (their agent is reserved first and sees the lead before the call is placed).
 */
public final class ProgressivePacer implements Pacer {
  @Override
  public int callsToPlace(State state) {
    int inFlightRoom = state.channelLimit() - state.callsDialing();
    return Math.max(0, Math.min(state.readyAgents() - state.callsDialing(), inFlightRoom));
  }
}
