package org.pingdialer.pacing;

/**
 * A fixed number of calls per ready agent (power dialing): {@code ratio} calls for each agent
 * waiting, rounded up. The abandon governor's limit lowers the ratio, never below one call per
 * agent: at one call per agent no callee is dropped for want of one.
 */
public final class PowerPacer implements Pacer {
  private final double ratio;

  /**
   * @param ratio calls per ready agent, at least 1
   */
  public PowerPacer(double ratio) {
    if (!(ratio >= 1)) {
      throw new IllegalArgumentException(
          "a power ratio is at least 1 call per agent, was " + ratio);
    }
    this.ratio = ratio;
  }

  @Override
  public int callsToPlace(State state) {
    if (state.readyAgents() <= 0) {
      return 0;
    }
    double perAgent = Math.min(ratio, Math.max(1, state.allowedRatio()));
    int target = (int) Math.ceil(state.readyAgents() * perAgent);
    return Math.max(0, Math.min(target, state.channelLimit()) - state.callsDialing());
  }
}
