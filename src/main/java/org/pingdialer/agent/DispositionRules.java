package org.pingdialer.agent;

import java.time.Instant;
import java.util.Optional;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;

/** What each disposition does to the lead, under the campaign's rules. */
public final class DispositionRules {
  private DispositionRules() {}

  /**
   * The lead's next step: sale, refusal, DNC and wrong number end it; a callback waits for its time
   * (first in the hopper); a machine the AMD missed is redialed by the campaign's machine rule (an
   * agent reserved if the rule says so) or ends the lead when there is no such rule.
   */
  public static LeadEvent leadEvent(Disposition disposition, Campaign campaign, Instant at) {
    return switch (disposition) {
      case Disposition.Sale s -> new LeadEvent.Finished(DoneReason.SALE);
      case Disposition.Refused r -> new LeadEvent.Finished(DoneReason.REFUSED);
      case Disposition.DoNotCall d -> new LeadEvent.Finished(DoneReason.DNC);
      case Disposition.WrongNumber w -> new LeadEvent.Finished(DoneReason.WRONG_NUMBER);
      case Disposition.Callback c ->
          new LeadEvent.Scheduled(WaitReason.CALLBACK, c.at(), c.agent());
      case Disposition.Machine m ->
          Optional.ofNullable(campaign.retry().get(DialOutcome.MACHINE))
              .<LeadEvent>map(
                  rule ->
                      new LeadEvent.Scheduled(
                          rule.agentReserved() ? WaitReason.AGENT_REDIAL : WaitReason.REDIAL,
                          at.plus(rule.after()),
                          Optional.empty()))
              .orElse(new LeadEvent.Finished(DoneReason.MAX_ATTEMPTS));
    };
  }

  /** Where a do-not-call goes: the campaign's first DNC list, else the global one. */
  public static String dncListFor(Campaign campaign) {
    return campaign.dncLists().isEmpty() ? "global" : campaign.dncLists().getFirst();
  }
}
