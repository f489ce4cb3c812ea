package org.pingdialer.campaign;

import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.compliance.AbandonGovernor;

/**
 * How many more calls to place now, from the campaign's pacing mode and what is in flight. Pure.
 *
 * <p>Progressive places one call per ready agent; power a fixed ratio per ready agent. Preview is
 * paced like progressive until its own flow exists (the agent sees the lead first); predictive
 * campaigns are paced by {@code pacing.PredictivePacer} in the loop, and only fall back to this
 * (one call per ready agent, under the channel limit) where no pacer is given.
 */
public final class Pace {
  private Pace() {}

  /**
   * The calls to place now.
   *
   * @param readyAgents agents seated, not paused and not on or reserved for a call
   * @param callsDialing calls placed and not yet answered for an agent or ended
   */
  public static int callsWanted(Campaign.Pacing pacing, int readyAgents, int callsDialing) {
    return callsWanted(pacing, readyAgents, callsDialing, Double.MAX_VALUE);
  }

  /**
   * As above, with the abandon governor's limit on calls per agent.
   *
   * @param allowedRatio at most this many calls per ready agent ({@link AbandonGovernor})
   */
  public static int callsWanted(
      Campaign.Pacing pacing, int readyAgents, int callsDialing, double allowedRatio) {
    if (readyAgents <= 0) {
      return 0;
    }
    int target =
        switch (pacing) {
          case Campaign.Pacing.Power power ->
              (int) Math.ceil(readyAgents * Math.min(power.ratio(), Math.max(1, allowedRatio)));
          case Campaign.Pacing.Predictive predictive ->
              Math.min(readyAgents, predictive.maxChannels());
          case Campaign.Pacing.Progressive progressive -> readyAgents;
          case Campaign.Pacing.Preview preview -> readyAgents;
        };
    return Math.max(0, target - callsDialing);
  }
}
