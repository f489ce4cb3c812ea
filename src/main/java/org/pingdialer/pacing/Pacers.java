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
   * {@code wanted} new calls, cut so that no more than {@code unattended} calls ring beyond the
   * ready agents (the abandon governor's {@code Decision.unattended}): if every call in flight were
   * answered at once, at most that many would find no agent.
   */
  public static int withinUnattended(int wanted, Pacer.State state, int unattended) {
    long room = (long) state.readyAgents() + unattended - state.callsDialing();
    return (int) Math.max(0, Math.min(wanted, room));
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

  /**
   * A pacer by its mode's name, as the simulator names them: progressive, power (at {@code
   * powerRatio} calls per ready agent), vicidial (VICIdial's adaptive algorithm, for comparison) or
   * predictive (steering to {@code pacerTarget} abandons and starting from the population's live
   * rate and talk).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Pacer named(
      String mode,
      Population population,
      double maxAbandon,
      double pacerTarget,
      double powerRatio) {
    return switch (mode) {
      case "progressive" -> new ProgressivePacer();
      case "power" -> new PowerPacer(powerRatio);
      case "vicidial" -> new VicidialPacer(maxAbandon);
      case "predictive" ->
          new PredictivePacer(
              pacerTarget, population.liveRate(), population.talkMean(), population.wrap());
      default ->
          throw new IllegalArgumentException(
              "--mode must be progressive, power, vicidial or predictive, was " + mode);
    };
  }

  /** The most calls per agent a simulated pacer asks of the governor, by its mode's name. */
  public static double wantedRatio(String mode, double powerRatio) {
    return switch (mode) {
      case "power" -> powerRatio;
      case "progressive" -> 1.0;
      default -> 3.0;
    };
  }
}
