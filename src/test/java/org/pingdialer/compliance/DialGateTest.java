package org.pingdialer.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.InMemoryLeadStore;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;

class DialGateTest {
  /** Saturday 2026-11-28, 11:00 in Berlin; the campaign calls Saturdays 10:00-14:00. */
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  private static final String CAMPAIGN =
      """
      name: summer
      lists: [summer-2026]
      trunk: sipgate
      default_region: DE
      caller_id: "+49 30 12345678"
      calling_windows:
        sat: 10:00-14:00
      attempt_caps: {per_24h: 2, lifetime: 2}
      pacing: {mode: progressive, ring_timeout: 20s}
      line_check: full
      drop_message: {sound: custom/drop-de}
      agent_group: sales
      dnc_lists: [summer-dnc]
      """;

  private final InMemoryLeadStore store = new InMemoryLeadStore();
  private final DialGate gate = new DialGate(store);

  private int leads;

  private Lead claimedLead(boolean consent) {
    var contact =
        new Contact(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            consent ? Optional.of(NOW.minusSeconds(86_400)) : Optional.empty());
    var number =
        ((PhoneNumbers.Parsed.Valid) new PhoneNumbers("DE").parse("030 100000" + ++leads)).number();
    try (var session = store.beginImport("summer-2026", "DE", "x.csv", NOW)) {
      session.add(List.of(new NewLead(2, number, contact, Map.of())));
      session.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
    }
    long id = store.leadsOf("summer-2026", 100).getLast().id();
    store.apply(id, new LeadEvent.CheckStarted(), NOW);
    store.apply(id, new LeadEvent.CheckedLive(), NOW);
    return store.apply(id, new LeadEvent.Claimed("summer", "dialer-1"), NOW);
  }

  private static Campaign campaign() throws Exception {
    return CampaignFiles.parse(CAMPAIGN, "summer.yaml");
  }

  @Test
  void aClaimedConsentedLeadInsideTheWindowMayBeDialed() throws Exception {
    assertThat(gate.refusal(campaign(), claimedLead(true), NOW)).isEmpty();
  }

  @Test
  void aDncEntryMadeAfterTheClaimStopsTheDial() throws Exception {
    Lead lead = claimedLead(true);
    store.addDnc("summer-dnc", List.of(lead.e164()), "opted out on another call", NOW);
    assertThat(gate.refusal(campaign(), lead, NOW)).contains("on DNC list summer-dnc");
  }

  @Test
  void theTwentyFourHourCapIsCheckedAgainAtDialTime() throws Exception {
    Lead lead = claimedLead(true);
    store.recordCall(lead.e164(), NOW.minusSeconds(3600));
    assertThat(gate.refusal(campaign(), lead, NOW)).isEmpty();
    store.recordCall(lead.e164(), NOW.minusSeconds(60));
    assertThat(gate.refusal(campaign(), lead, NOW))
        .contains("24-hour attempt cap reached (2 of 2)");
  }

  @Test
  void aWindowThatClosedSinceTheClaimStopsTheDial() throws Exception {
    assertThat(gate.refusal(campaign(), claimedLead(true), NOW.plusSeconds(3 * 3600)))
        .contains("outside the calling window in Europe/Berlin (Sat 14:00 there)");
  }

  @Test
  void consentTheLifetimeCapAndTheClaimAreChecked() throws Exception {
    assertThat(gate.refusal(campaign(), claimedLead(false), NOW))
        .contains("no consent time on record and the campaign requires consent");
    Lead lead = claimedLead(true);
    store.apply(lead.id(), new LeadEvent.DialStarted(), NOW);
    store.apply(
        lead.id(),
        new LeadEvent.Scheduled(LeadEvent.WaitReason.REDIAL, NOW, Optional.empty()),
        NOW);
    Lead again = store.apply(lead.id(), new LeadEvent.Claimed("summer", "dialer-1"), NOW);
    assertThat(again.attempts()).isEqualTo(2); // the line check and one call
    assertThat(gate.refusal(campaign(), again, NOW))
        .contains("lifetime attempt cap reached (2 of 2)");
    Lead released = store.apply(lead.id(), new LeadEvent.Released("stopped"), NOW);
    assertThat(gate.refusal(campaign(), released, NOW))
        .contains("not claimed for campaign summer (state WAITING)");
  }
}
