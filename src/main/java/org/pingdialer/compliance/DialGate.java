package org.pingdialer.compliance;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.LeadStore;

/**
 * The last look before a claimed lead is dialed: the hopper checked the same rules when it claimed
 * the lead, but a number may have gone onto a DNC list (an opt-out on another call), or the calling
 * window may have closed, in the seconds since. Every refusal says why, so that "why was this lead
 * not called?" has an answer.
 */
public final class DialGate {
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("EEE HH:mm");

  private final LeadStore leads;

  public DialGate(LeadStore leads) {
    this.leads = leads;
  }

  /** Empty when {@code lead} may be dialed for {@code campaign} now; otherwise why not. */
  public Optional<String> refusal(Campaign campaign, Lead lead, Instant now) {
    if (lead.state() != LeadState.QUEUED
        || !lead.claimedFor().equals(Optional.of(campaign.name()))) {
      return Optional.of(
          "not claimed for campaign " + campaign.name() + " (state " + lead.state() + ")");
    }
    return ruleBreaches(campaign, lead, now).stream().findFirst();
  }

  /**
   * Every rule that keeps {@code lead} from being dialed for {@code campaign} now, whatever its
   * state: DNC, consent, the calling window in each of the number's zones, the attempt caps. The
   * same rules the hopper applies when it claims.
   */
  public List<String> ruleBreaches(Campaign campaign, Lead lead, Instant now) {
    List<String> breaches = new ArrayList<>();
    List<String> dnc = leads.dncListsHolding(lead.e164(), campaign.dncLists());
    if (!dnc.isEmpty()) {
      breaches.add("on DNC list " + String.join(", ", dnc));
    }
    if (campaign.consentRequired() && lead.contact().consentAt().isEmpty()) {
      breaches.add("no consent time on record and the campaign requires consent");
    }
    if (lead.timezones().isBlank()) {
      breaches.add("no time zone known for the number, so no calling window can be checked");
    }
    for (String zone : lead.timezones().isBlank() ? new String[0] : lead.timezones().split(" ")) {
      ZonedDateTime local = now.atZone(ZoneId.of(zone));
      if (!campaign.callingWindows().isOpen(local)) {
        breaches.add(
            "outside the calling window in " + zone + " (" + HH_MM.format(local) + " there)");
      }
    }
    int lifetime = campaign.attemptCaps().lifetime().orElse(Integer.MAX_VALUE);
    if (lead.attempts() >= lifetime) {
      breaches.add("lifetime attempt cap reached (" + lead.attempts() + " of " + lifetime + ")");
    }
    int per24h = campaign.attemptCaps().per24h().orElse(Integer.MAX_VALUE);
    int lastDay = per24h == Integer.MAX_VALUE ? 0 : leads.callsInLast24h(lead.e164(), now);
    if (lastDay >= per24h) {
      breaches.add("24-hour attempt cap reached (" + lastDay + " of " + per24h + ")");
    }
    return List.copyOf(breaches);
  }
}
