package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;

class DispositionRulesTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  private static final String BASE =
      """
      name: summer
      profile: lab
      lists: [summer-2026]
      trunk: carrier
      default_region: DE
      calling_windows: {mon-sun: 08:00-20:00}
      pacing: {mode: progressive}
      agent_group: sales
      """;

  @Test
  void eachDispositionMovesTheLeadOn() throws Exception {
    Campaign campaign =
        CampaignFiles.parse(
            BASE + "retry: {machine: {after: 24h, max: 2, agent_reserved: true}}\n", "c.yaml");
    assertThat(DispositionRules.leadEvent(new Disposition.Sale(), campaign, T))
        .isEqualTo(new LeadEvent.Finished(DoneReason.SALE));
    assertThat(DispositionRules.leadEvent(new Disposition.Refused(), campaign, T))
        .isEqualTo(new LeadEvent.Finished(DoneReason.REFUSED));
    assertThat(DispositionRules.leadEvent(new Disposition.DoNotCall(), campaign, T))
        .isEqualTo(new LeadEvent.Finished(DoneReason.DNC));
    assertThat(DispositionRules.leadEvent(new Disposition.WrongNumber(), campaign, T))
        .isEqualTo(new LeadEvent.Finished(DoneReason.WRONG_NUMBER));
    Instant at = T.plus(Duration.ofHours(3));
    assertThat(
            DispositionRules.leadEvent(
                new Disposition.Callback(at, Optional.of("agent1")), campaign, T))
        .isEqualTo(new LeadEvent.Scheduled(WaitReason.CALLBACK, at, Optional.of("agent1")));
    assertThat(DispositionRules.leadEvent(new Disposition.Machine(), campaign, T))
        .isEqualTo(
            new LeadEvent.Scheduled(
                WaitReason.AGENT_REDIAL, T.plus(Duration.ofHours(24)), Optional.empty()));
  }

  @Test
  void aMachineWithoutARetryRuleEndsTheLeadAndDncGoesToTheCampaignsList() throws Exception {
    Campaign campaign = CampaignFiles.parse(BASE, "c.yaml");
    assertThat(DispositionRules.leadEvent(new Disposition.Machine(), campaign, T))
        .isEqualTo(new LeadEvent.Finished(DoneReason.MAX_ATTEMPTS));
    assertThat(DispositionRules.dncListFor(campaign)).isEqualTo("global");
    Campaign withList = CampaignFiles.parse(BASE + "dnc_lists: [summer-dnc, other]\n", "c.yaml");
    assertThat(DispositionRules.dncListFor(withList)).isEqualTo("summer-dnc");
  }
}
