package org.pingdialer.pacing;

import java.time.Duration;
import org.pingdialer.campaign.spec.Campaign;

/** The pacer a live campaign runs, by its pacing mode; the simulator runs the same classes. */
public final class Pacers {
  /** Where a predictive pacer starts before it has seen any call: 20 % live answers. */
  static final double FIRST_LIVE_RATE = 0.2;

  /** Where a predictive pacer starts before it has seen any talk: 2 minutes. */
  static final Duration FIRST_TALK = Duration.ofMinutes(2);

  private Pacers() {}

  /**
   * A new pacer for {@code campaign}. A predictive pacer steers to two thirds of the campaign's
   * abandon cap (the governor holds the cap itself) and learns answer rates and talk times as the
   * campaign dials; until then it assumes {@link #FIRST_LIVE_RATE} and {@link #FIRST_TALK}.
   */
  public static Pacer forCampaign(Campaign campaign) {
    return switch (campaign.pacing()) {
      case Campaign.Pacing.Preview preview -> new ProgressivePacer();
      case Campaign.Pacing.Progressive progressive -> new ProgressivePacer();
      case Campaign.Pacing.Power power -> new PowerPacer(power.ratio());
      case Campaign.Pacing.Predictive predictive ->
          new PredictivePacer(
              predictive.maxAbandonRate() * 2 / 3, FIRST_LIVE_RATE, FIRST_TALK, campaign.wrapUp());
    };
  }

  /**
   * The most calls per agent the campaign's pacing asks of the abandon governor: a power campaign
   * its ratio, a predictive one VICIdial's clamp of 3 (its pacer decides below that), the others
   * one call per agent.
   */
  public static double wantedRatio(Campaign.Pacing pacing) {
    return switch (pacing) {
      case Campaign.Pacing.Power power -> power.ratio();
      case Campaign.Pacing.Predictive predictive -> 3.0;
      case Campaign.Pacing.Preview preview -> 1.0;
      case Campaign.Pacing.Progressive progressive -> 1.0;
    };
  }
}
