package org.pingdialer.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.testing.LabCampaigns;

/**
 * The pacer each campaign mode runs live, and the arithmetic of the progressive and power pacers.
 */
class LivePacersTest {
  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration RING = Duration.ofSeconds(20);

  private static Pacer.State state(int ready, int dialing, int channels, double allowed) {
    return new Pacer.State(T, ready, List.of(), dialing, channels, allowed);
  }

  @Test
  void progressivePlacesOneCallPerReadyAgentUnderTheChannels() {
    var pacer = new ProgressivePacer();
    assertThat(pacer.callsToPlace(state(3, 0, 100, 1))).isEqualTo(3);
    assertThat(pacer.callsToPlace(state(3, 2, 100, 1))).isEqualTo(1);
    assertThat(pacer.callsToPlace(state(3, 5, 100, 1))).isZero();
    assertThat(pacer.callsToPlace(state(0, 0, 100, 1))).isZero();
    assertThat(pacer.callsToPlace(state(5, 0, 2, 1))).isEqualTo(2);
    // The governor never lowers progressive: one call per agent drops nobody.
    assertThat(pacer.callsToPlace(state(4, 0, 100, 0.5))).isEqualTo(4);
  }

  @Test
  void powerPlacesTheRatioPerReadyAgentRoundedUp() {
    var power = new PowerPacer(2.5);
    assertThat(power.callsToPlace(state(1, 0, Integer.MAX_VALUE, 3))).isEqualTo(3);
    assertThat(power.callsToPlace(state(2, 0, Integer.MAX_VALUE, 3))).isEqualTo(5);
    assertThat(power.callsToPlace(state(2, 4, Integer.MAX_VALUE, 3))).isEqualTo(1);
    assertThat(power.callsToPlace(state(0, 0, Integer.MAX_VALUE, 3))).isZero();
    assertThat(power.callsToPlace(state(3, 0, 4, 3))).isEqualTo(4);
  }

  @Test
  void theAbandonGovernorLimitsPowerButNeverBelowOneCallPerAgent() {
    var power = new PowerPacer(3.0);
    assertThat(power.callsToPlace(state(4, 0, Integer.MAX_VALUE, 2.0))).isEqualTo(8);
    assertThat(power.callsToPlace(state(4, 0, Integer.MAX_VALUE, 1.0))).isEqualTo(4);
    assertThat(power.callsToPlace(state(4, 0, Integer.MAX_VALUE, 0.5))).isEqualTo(4);
    assertThat(power.callsToPlace(state(4, 0, Integer.MAX_VALUE, 5.0))).isEqualTo(12);
  }

  @Test
  void aPowerRatioBelowOneIsRefused() {
    assertThatThrownBy(() -> new PowerPacer(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a power ratio is at least 1 call per agent, was 0.5");
  }

  @Test
  void eachModeRunsItsPacer() throws CampaignFileException {
    assertThat(pacerFor("{mode: preview, preview_time: 15s}")).isInstanceOf(ProgressivePacer.class);
    assertThat(pacerFor("{mode: progressive}")).isInstanceOf(ProgressivePacer.class);
    assertThat(pacerFor("{mode: power, ratio: 2.0}")).isInstanceOf(PowerPacer.class);
    assertThat(pacerFor("{mode: predictive, max_channels: 10, max_abandon_rate: 0.03}"))
        .isInstanceOf(PredictivePacer.class);
  }

  @Test
  void theRatioAskedOfTheGovernorIsPowersRatioPredictivesClampOrOne() {
    assertThat(Pacers.wantedRatio(new Campaign.Pacing.Power(2.5, RING))).isEqualTo(2.5);
    assertThat(Pacers.wantedRatio(new Campaign.Pacing.Predictive(0.03, 10, RING))).isEqualTo(3.0);
    assertThat(Pacers.wantedRatio(new Campaign.Pacing.Progressive(RING))).isEqualTo(1.0);
    assertThat(Pacers.wantedRatio(new Campaign.Pacing.Preview(RING, Duration.ofSeconds(15))))
        .isEqualTo(1.0);
  }

  private static Pacer pacerFor(String pacing) throws CampaignFileException {
    return Pacers.forCampaign(LabCampaigns.parse("lists: [bought]\npacing: " + pacing + "\n"));
  }
}
