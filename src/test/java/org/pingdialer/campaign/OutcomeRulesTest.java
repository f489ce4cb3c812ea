package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;
import org.pingdialer.lead.LeadState;
import org.pingdialer.testing.TestLeads;

class OutcomeRulesTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  private static Campaign campaign(String retry, String caps) throws Exception {
    return CampaignFiles.parse(
        """
        name: rules
        profile: lab
        lists: [l]
        trunk: carrier
        default_region: DE
        calling_windows:
          mon-sun: 00:00-24:00
        retry:
        %s
        %s
        pacing:
          mode: progressive
          ring_timeout: 10s
        line_check: off
        agent_group: a
        wrap_up: 5s
        """
            .formatted(retry.indent(2), caps),
        "rules.yaml");
  }

  /** A lead whose calls so far (this one included) number {@code attempts}. */
  private static Lead dialed(int attempts) {
    return TestLeads.lead(1, LeadState.DIALING, T, attempts, "rules");
  }

  @Test
  void aCallAnAgentTookWaitsForTheAgentsDisposition() throws Exception {
    Campaign campaign = campaign("busy: {after: 10m, max: 2}", "");
    assertThat(OutcomeRules.after(DialOutcome.ANSWERED, true, dialed(1), campaign, T, 1)).isEmpty();
    assertThat(OutcomeRules.after(DialOutcome.CALLEE_HUNGUP, true, dialed(1), campaign, T, 1))
        .isEmpty();
  }

  @Test
  void deadNumbersAreDead() throws Exception {
    Campaign campaign = campaign("busy: {after: 10m, max: 2}", "");
    assertThat(OutcomeRules.after(DialOutcome.UNALLOCATED, false, dialed(1), campaign, T, 1))
        .contains(new LeadEvent.FoundDead("UNALLOCATED"));
    assertThat(OutcomeRules.after(DialOutcome.INVALID_NUMBER, false, dialed(1), campaign, T, 1))
        .contains(new LeadEvent.FoundDead("INVALID_NUMBER"));
  }

  @Test
  void anOutcomeWithARuleIsRedialedAfterItsDelayUntilItsMaxThenFinished() throws Exception {
    Campaign campaign = campaign("busy: {after: 10m, max: 2}", "");
    LeadEvent redial =
        new LeadEvent.Scheduled(
            WaitReason.REDIAL, T.plus(Duration.ofMinutes(10)), Optional.empty());
    assertThat(OutcomeRules.after(DialOutcome.BUSY, false, dialed(1), campaign, T, 1))
        .contains(redial);
    assertThat(OutcomeRules.after(DialOutcome.BUSY, false, dialed(2), campaign, T, 2))
        .contains(redial);
    assertThat(OutcomeRules.after(DialOutcome.BUSY, false, dialed(3), campaign, T, 3))
        .contains(new LeadEvent.Finished(DoneReason.MAX_ATTEMPTS));
  }

  @Test
  void theRulesMaxCountsOnlyCallsWithThatOutcome() throws Exception {
    Campaign campaign = campaign("busy: {after: 10m, max: 2}", "");
    // Four calls so far, only the last one busy: still two redials to go after busy.
    assertThat(OutcomeRules.after(DialOutcome.BUSY, false, dialed(4), campaign, T, 1))
        .contains(
            new LeadEvent.Scheduled(
                WaitReason.REDIAL, T.plus(Duration.ofMinutes(10)), Optional.empty()));
  }

  @Test
  void anOutcomeWithoutARuleFinishesTheLead() throws Exception {
    Campaign campaign = campaign("busy: {after: 10m, max: 2}", "");
    assertThat(OutcomeRules.after(DialOutcome.CONGESTION, false, dialed(1), campaign, T, 1))
        .contains(new LeadEvent.Finished(DoneReason.MAX_ATTEMPTS));
  }

  @Test
  void anAbandonWithAnAgentReservedRuleWaitsForAnAgentRedial() throws Exception {
    Campaign campaign = campaign("abandoned: {after: 2m, max: 3, agent_reserved: true}", "");
    assertThat(OutcomeRules.after(DialOutcome.ABANDONED, false, dialed(1), campaign, T, 1))
        .contains(
            new LeadEvent.Scheduled(
                WaitReason.AGENT_REDIAL, T.plus(Duration.ofMinutes(2)), Optional.empty()));
  }

  @Test
  void theLifetimeCapEndsRedialsBeforeTheRuleDoes() throws Exception {
    Campaign campaign =
        campaign("busy: {after: 10m, max: 5}", "attempt_caps:\n  lifetime: 2\n  per_24h: 2");
    assertThat(OutcomeRules.after(DialOutcome.BUSY, false, dialed(1), campaign, T, 1)).isPresent();
    assertThat(OutcomeRules.after(DialOutcome.BUSY, false, dialed(2), campaign, T, 2))
        .contains(new LeadEvent.Finished(DoneReason.MAX_ATTEMPTS));
  }

  @Test
  void anUnfiledCallIsRedialedLikeANoAnswerOrInAnHour() throws Exception {
    assertThat(OutcomeRules.unfiled(dialed(1), campaign("no_answer: {after: 2h, max: 5}", ""), T))
        .isEqualTo(
            new LeadEvent.Scheduled(
                WaitReason.REDIAL, T.plus(Duration.ofHours(2)), Optional.empty()));
    assertThat(OutcomeRules.unfiled(dialed(1), campaign("busy: {after: 10m, max: 2}", ""), T))
        .isEqualTo(
            new LeadEvent.Scheduled(
                WaitReason.REDIAL, T.plus(Duration.ofHours(1)), Optional.empty()));
  }
}
