package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.pingdialer.campaign.spec.Campaign;

class PaceTest {
  private static final Duration RING = Duration.ofSeconds(20);

  @Test
  void progressivePlacesOneCallPerReadyAgentCountingCallsAlreadyDialing() {
    var progressive = new Campaign.Pacing.Progressive(RING);
    assertThat(Pace.callsWanted(progressive, 3, 0)).isEqualTo(3);
    assertThat(Pace.callsWanted(progressive, 3, 2)).isEqualTo(1);
    assertThat(Pace.callsWanted(progressive, 3, 5)).isZero();
  }

  @Test
  void noReadyAgentMeansNoCallWhateverTheMode() {
    assertThat(Pace.callsWanted(new Campaign.Pacing.Progressive(RING), 0, 0)).isZero();
    assertThat(Pace.callsWanted(new Campaign.Pacing.Power(3.0, RING), 0, 0)).isZero();
    assertThat(Pace.callsWanted(new Campaign.Pacing.Predictive(0.03, 50, RING), 0, 0)).isZero();
  }

  @Test
  void powerPlacesTheRatioPerReadyAgentRoundedUp() {
    var power = new Campaign.Pacing.Power(2.5, RING);
    assertThat(Pace.callsWanted(power, 1, 0)).isEqualTo(3);
    assertThat(Pace.callsWanted(power, 2, 0)).isEqualTo(5);
    assertThat(Pace.callsWanted(power, 2, 4)).isEqualTo(1);
  }

  @Test
  void theAbandonGovernorLimitsPowerDialingButNeverBelowOneCallPerAgent() {
    var power = new Campaign.Pacing.Power(3.0, RING);
    assertThat(Pace.callsWanted(power, 4, 0, 2.0)).isEqualTo(8);
    assertThat(Pace.callsWanted(power, 4, 0, 1.0)).isEqualTo(4);
    assertThat(Pace.callsWanted(power, 4, 0, 0.5)).isEqualTo(4);
    assertThat(Pace.callsWanted(power, 4, 0, 5.0)).isEqualTo(12);
    assertThat(Pace.callsWanted(new Campaign.Pacing.Progressive(RING), 4, 0, 0.5)).isEqualTo(4);
  }

  @Test
  void predictiveStandsInAsProgressiveUnderItsChannelLimit() {
    var predictive = new Campaign.Pacing.Predictive(0.03, 2, RING);
    assertThat(Pace.callsWanted(predictive, 1, 0)).isEqualTo(1);
    assertThat(Pace.callsWanted(predictive, 5, 0)).isEqualTo(2);
    assertThat(Pace.callsWanted(new Campaign.Pacing.Preview(RING, Duration.ofSeconds(15)), 2, 1))
        .isEqualTo(1);
  }
}
