package org.pingdialer.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;

/**
 * What a call's outcome does to its lead, under the campaign's retry rules. Pure.
 *
 * <p>A call an agent took waits for the agent's disposition (see {@link #unfiled}); a dead number
 * is dead; everything else is redialed by the campaign's rule for that outcome while the lead has
 * attempts left, and is finished otherwise.
 */
public final class OutcomeRules {
  /** When an outcome has no rule and the agent filed nothing: look again in an hour. */
  static final Duration UNFILED_REDIAL = Duration.ofHours(1);

  private OutcomeRules() {}

  /**
   * The lead's next step after a call, or empty while an agent's disposition is awaited.
   *
   * @param lead the lead as the dial left it (its attempts count this call)
   * @param connectedToAgent true when the callee was in an agent's bridge
   * @param timesWithOutcome the campaign's calls to the number that ended with {@code outcome},
   *     this one included: what the rule's {@code max} counts
   */
  public static Optional<LeadEvent> after(
      DialOutcome outcome,
      boolean connectedToAgent,
      Lead lead,
      Campaign campaign,
      Instant ended,
      int timesWithOutcome) {
    if (connectedToAgent) {
      return Optional.empty();
    }
    return Optional.of(
        switch (outcome) {
          case UNALLOCATED, INVALID_NUMBER -> new LeadEvent.FoundDead(outcome.name());
          // Lost to a failure of ours: dialed again, not counted.
          case LOST -> new LeadEvent.CallLost(outcome.name());
          // Answered but not connected: the engine calls that ABANDONED; kept for completeness.
          default -> redialOrFinish(outcome, lead, campaign, ended, timesWithOutcome);
        });
  }

  /**
   * The lead's next step after a call that no agent took (the agent's filing decides the others),
   * counting the campaign's earlier calls to the number from the store. A {@link DialOutcome#LOST}
   * call a person answered was dropped on them: the abandon rule applies (in strict: redialed only
   * with an agent reserved, after 72 h) and the call counts; a lost call nobody answered is dialed
   * again at once and does not count.
   */
  public static LeadEvent after(
      AttemptResult result, Lead lead, Campaign campaign, Instant ended, AttemptStore attempts) {
    DialOutcome ruling =
        result.lived() == DialOutcome.ABANDONED ? DialOutcome.ABANDONED : result.outcome();
    int times = attempts.countOutcomes(campaign.name(), lead.dialDigits(), ruling);
    if (ruling != result.outcome()) {
      times++; // stored as LOST: this call is not among them
    }
    return after(ruling, false, lead, campaign, ended, times).orElseThrow();
  }

  /**
   * The lead's next step when its agent's wrap-up ended without a disposition: redialed like a
   * no-answer (the agent decided nothing), or in {@link #UNFILED_REDIAL} without such a rule.
   */
  public static LeadEvent unfiled(Lead lead, Campaign campaign, Instant at) {
    Campaign.RetryRule rule = campaign.retry().get(DialOutcome.NO_ANSWER);
    return new LeadEvent.Scheduled(
        WaitReason.REDIAL, at.plus(rule == null ? UNFILED_REDIAL : rule.after()), Optional.empty());
  }

  /**
   * Redials while the calls that ended with this outcome are at most the rule's {@code max} (busy
   * max 3: three redials after busy calls), and the lead's calls are under the lifetime cap.
   */
  private static LeadEvent redialOrFinish(
      DialOutcome outcome, Lead lead, Campaign campaign, Instant ended, int timesWithOutcome) {
    Campaign.RetryRule rule = campaign.retry().get(outcome);
    int lifetime = campaign.attemptCaps().lifetime().orElse(Integer.MAX_VALUE);
    if (rule == null || timesWithOutcome > rule.max() || lead.attempts() >= lifetime) {
      return new LeadEvent.Finished(DoneReason.MAX_ATTEMPTS);
    }
    return new LeadEvent.Scheduled(
        rule.agentReserved() ? WaitReason.AGENT_REDIAL : WaitReason.REDIAL,
        ended.plus(rule.after()),
        Optional.empty());
  }
}
