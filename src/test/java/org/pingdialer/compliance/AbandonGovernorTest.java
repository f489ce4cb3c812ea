package org.pingdialer.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.spec.CampaignFiles;

class AbandonGovernorTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
  private static final AbandonGovernor.Limits STRICT = new AbandonGovernor.Limits(0.02, 0.03, 0);

  private static void calls(AbandonGovernor governor, DialOutcome outcome, int n, Instant at) {
    for (int i = 0; i < n; i++) {
      governor.record(outcome, at);
    }
  }

  @Test
  void underTheTargetABigTeamGetsTheWholeRatio() {
    var governor = new AbandonGovernor(STRICT);
    calls(governor, DialOutcome.ANSWERED, 99, T);
    calls(governor, DialOutcome.ABANDONED, 1, T);
    calls(governor, DialOutcome.NO_ANSWER, 500, T); // nobody answered: not in the rate

    AbandonGovernor.Decision decision = governor.allow(2.5, 20, T.plusSeconds(60));
    assertThat(decision.rate24h()).isCloseTo(0.01, within(1e-9));
    assertThat(decision.allowedRatio()).isEqualTo(2.5);
  }

  @Test
  void betweenTargetAndCapTheRatioShrinksAndAtTheCapItIsProgressive() {
    var governor = new AbandonGovernor(STRICT);
    calls(governor, DialOutcome.ANSWERED, 975, T);
    calls(governor, DialOutcome.ABANDONED, 25, T); // 2.5 %: half way from target to cap
    assertThat(governor.allow(3.0, 20, T.plusSeconds(60)).allowedRatio())
        .isCloseTo(2.0, within(1e-9));

    calls(governor, DialOutcome.ABANDONED, 6, T); // 31 of 1006: over 3 %
    AbandonGovernor.Decision capped = governor.allow(3.0, 20, T.plusSeconds(60));
    assertThat(capped.allowedRatio()).isEqualTo(1);
    assertThat(capped.why()).contains("progressive");
  }

  @Test
  void theWorseOfTheDayAndTheMonthCounts() {
    var governor = new AbandonGovernor(STRICT);
    // Twenty days ago a bad day; today clean.
    Instant then = T.minus(Duration.ofDays(20));
    calls(governor, DialOutcome.ANSWERED, 90, then);
    calls(governor, DialOutcome.ABANDONED, 10, then);
    calls(governor, DialOutcome.ANSWERED, 100, T);

    AbandonGovernor.Decision decision = governor.allow(2.0, 20, T.plusSeconds(60));
    assertThat(decision.rate24h()).isZero();
    assertThat(decision.rate30d()).isCloseTo(0.05, within(1e-9));
    assertThat(decision.allowedRatio()).isEqualTo(1);

    // Forty days on, the bad day has left both windows (and the day has answers enough).
    Instant later = T.plus(Duration.ofDays(21));
    calls(governor, DialOutcome.ANSWERED, 40, later.minus(Duration.ofHours(1)));
    assertThat(governor.allow(2.0, 20, later).allowedRatio()).isEqualTo(2.0);
  }

  /**
   * While one more abandoned call would pass the cap (too few answers in the day: at 3 %, one drop
   * in fewer than 34 answers is over it), one call per agent: a campaign's first calls of the day
   * cannot take its rate over the cap, however big the team.
   */
  @Test
  void untilOneMoreAbandonStaysUnderTheCapItIsProgressive() {
    var governor = new AbandonGovernor(STRICT);
    AbandonGovernor.Decision fresh = governor.allow(3.0, 20, T);
    assertThat(fresh.allowedRatio()).isEqualTo(1);
    assertThat(fresh.why()).contains("one more abandon would pass the cap", "progressive");

    calls(governor, DialOutcome.ANSWERED, 32, T);
    assertThat(governor.allow(3.0, 20, T.plusSeconds(60)).allowedRatio()).isEqualTo(1); // 1/33
    calls(governor, DialOutcome.ANSWERED, 1, T);
    assertThat(governor.allow(3.0, 20, T.plusSeconds(60)).allowedRatio()).isEqualTo(3.0); // 1/34

    // 2 drops in 80 answers (2.5 %): a third would be 3.7 %, over the cap.
    var near = new AbandonGovernor(STRICT);
    calls(near, DialOutcome.ANSWERED, 78, T);
    calls(near, DialOutcome.ABANDONED, 2, T);
    assertThat(near.allow(3.0, 20, T.plusSeconds(60)).allowedRatio()).isEqualTo(1);
  }

  /**
   * Past that, the calls that may ring beyond the ready agents are as many as could all be dropped
   * with the windows still at or under the cap: a ratio is a bet on averages, this bound holds
   * whatever the callees do.
   */
  @Test
  void theCallsBeyondTheReadyAgentsAreAsManyAsCouldAllDropUnderTheCap() {
    var governor = new AbandonGovernor(STRICT);
    assertThat(governor.allow(3.0, 20, T).unattended()).isZero();
    calls(governor, DialOutcome.ANSWERED, 33, T);
    // 1 drop in 34 is 2.9 %, 2 in 35 would be 5.7 %.
    assertThat(governor.allow(3.0, 20, T.plusSeconds(60)).unattended()).isEqualTo(1);
    calls(governor, DialOutcome.ANSWERED, 67, T);
    // 100 answered: 3 drops in 103 is 2.9 %, 4 in 104 would be 3.8 %.
    assertThat(governor.allow(3.0, 20, T.plusSeconds(60)).unattended()).isEqualTo(3);
    calls(governor, DialOutcome.ABANDONED, 2, T);
    // 2 of 102 so far: 1 more makes 3 of 103.
    assertThat(governor.allow(3.0, 20, T.plusSeconds(60)).unattended()).isEqualTo(1);

    // A day of 1,000 answers at 1 %: 20 more drops make 30 of 1,020 (2.94 %).
    var busy = new AbandonGovernor(STRICT);
    calls(busy, DialOutcome.ANSWERED, 990, T);
    calls(busy, DialOutcome.ABANDONED, 10, T);
    assertThat(busy.allow(3.0, 20, T.plusSeconds(60)).unattended()).isEqualTo(20);

    // The month counts too: yesterday's drops are out of the day, not of the month.
    var month = new AbandonGovernor(STRICT);
    calls(month, DialOutcome.ANSWERED, 96, T.minus(Duration.ofHours(30)));
    calls(month, DialOutcome.ABANDONED, 4, T.minus(Duration.ofHours(30)));
    calls(month, DialOutcome.ANSWERED, 100, T);
    // The day alone would take 3 more; the month has 4 of 200, and 2 more make 6 of 202 (2.97 %).
    assertThat(month.allow(3.0, 20, T.plusSeconds(60)).unattended()).isEqualTo(2);

    // Progressive whenever the ratio is 1: nothing beyond the ready agents.
    assertThat(busy.allow(1.0, 20, T.plusSeconds(60)).unattended()).isZero();
  }

  @Test
  void aShareOfDetectedMachinesCountsAsPeopleHungUpOn() {
    var governor = new AbandonGovernor(new AbandonGovernor.Limits(0.02, 0.03, 0.1));
    calls(governor, DialOutcome.ANSWERED, 100, T);
    calls(governor, DialOutcome.MACHINE, 20, T); // 2 of them were people: (0 + 2) / (100 + 2)
    assertThat(governor.rate(T.plusSeconds(60), AbandonGovernor.DAY))
        .isCloseTo(2.0 / 102, within(1e-9));
  }

  @Test
  void smallTeamsGetLessOfTheRatio() {
    var governor = new AbandonGovernor(STRICT);
    calls(governor, DialOutcome.ANSWERED, 40, T.minus(Duration.ofHours(1)));
    assertThat(governor.allow(3.0, 5, T).allowedRatio()).isEqualTo(2.0);
    assertThat(governor.allow(3.0, 5, T).why()).contains("small team");
    assertThat(governor.allow(3.0, 10, T).allowedRatio()).isEqualTo(3.0);
  }

  @Test
  void aCampaignsAmdEstimateIsTheShareOfMachinesCountedAsPeople() throws Exception {
    var strict = CampaignFiles.load(Path.of("asterisk-config/campaigns/example-strict.yaml"));
    assertThat(AbandonGovernor.Limits.of(strict).orElseThrow().machineFalsePositives())
        .isEqualTo(0.15);
    var lab = CampaignFiles.load(Path.of("asterisk-config/campaigns/lab-demo.yaml"));
    assertThat(AbandonGovernor.Limits.of(lab).orElseThrow().machineFalsePositives()).isZero();
  }
}
