package org.pingdialer.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

class WhyNotTest {
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
      attempt_caps: {per_24h: 2, lifetime: 3}
      pacing: {mode: progressive, ring_timeout: 20s}
      line_check: full
      drop_message: {sound: custom/drop-de}
      agent_group: sales
      dnc_lists: [summer-dnc]
      """;

  private final InMemoryLeadStore store = new InMemoryLeadStore();
  private final WhyNot why = new WhyNot(store);
  private int leads;

  private Lead lead(String list) {
    var number =
        ((PhoneNumbers.Parsed.Valid) new PhoneNumbers("DE").parse("030 100000" + ++leads)).number();
    try (var session = store.beginImport(list, "DE", "x.csv", NOW)) {
      // Strict campaigns call only numbers with a consent time on record.
      var consented =
          new Contact(
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.of(NOW.minus(Duration.ofDays(3))));
      session.add(List.of(new NewLead(2, number, consented, Map.of())));
      session.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
    }
    return store.leadsOf(list, 100).getLast();
  }

  private Lead live(String list) {
    long id = lead(list).id();
    store.apply(id, new LeadEvent.CheckStarted(), NOW);
    return store.apply(id, new LeadEvent.CheckedLive(), NOW);
  }

  private Lead dialed(String list) {
    long id = live(list).id();
    store.apply(id, new LeadEvent.Claimed("summer", "d1"), NOW);
    return store.apply(id, new LeadEvent.DialStarted(), NOW);
  }

  private static Campaign campaign() throws Exception {
    return CampaignFiles.parse(CAMPAIGN, "summer.yaml");
  }

  @Test
  void aLiveLeadInsideTheWindowHasNoReason() throws Exception {
    assertThat(why.lead(campaign(), live("summer-2026"), NOW)).isEmpty();
  }

  @Test
  void everyReasonIsNamedNotOnlyTheFirst() throws Exception {
    Lead lead = lead("spring");
    store.addDnc("summer-dnc", List.of(lead.e164()), "asked", NOW);
    Instant sunday = NOW.plus(Duration.ofDays(1));

    assertThat(why.lead(campaign(), store.find(lead.id()).orElseThrow(), sunday))
        .containsExactly(
            "its list spring is not one of the campaign's lists (summer-2026)",
            "not line-checked yet (line_check: FULL)",
            "on DNC list summer-dnc",
            "outside the calling window in Europe/Berlin (Sun 11:00 there)");
  }

  @Test
  void waitingLeadsSayForWhatAndUntilWhenAndCallbacksForWhom() throws Exception {
    Lead lead = dialed("summer-2026");
    Instant due = NOW.plus(Duration.ofHours(2));
    store.apply(
        lead.id(),
        new LeadEvent.Scheduled(LeadEvent.WaitReason.CALLBACK, due, Optional.of("ann")),
        NOW);

    assertThat(why.lead(campaign(), store.find(lead.id()).orElseThrow(), NOW))
        .containsExactly(
            "waiting for its callback until 2026-11-28T12:00:00Z",
            "a callback for agent ann only, when ready");
  }

  @Test
  void finishedLeadsSayWhyAndCapsAreCounted() throws Exception {
    Lead sold = dialed("summer-2026");
    store.apply(sold.id(), new LeadEvent.Finished(LeadEvent.DoneReason.SALE), NOW);
    assertThat(why.lead(campaign(), store.find(sold.id()).orElseThrow(), NOW))
        .containsExactly("done: SALE");

    Lead tried = dialed("summer-2026");
    // The line check and the first dial were two attempts; one redial makes three.
    store.apply(
        tried.id(),
        new LeadEvent.Scheduled(LeadEvent.WaitReason.REDIAL, NOW, Optional.empty()),
        NOW);
    store.apply(tried.id(), new LeadEvent.Claimed("summer", "d1"), NOW);
    store.apply(tried.id(), new LeadEvent.DialStarted(), NOW);
    store.apply(
        tried.id(),
        new LeadEvent.Scheduled(LeadEvent.WaitReason.REDIAL, NOW, Optional.empty()),
        NOW);
    assertThat(why.lead(campaign(), store.find(tried.id()).orElseThrow(), NOW))
        .containsExactly("lifetime attempt cap reached (3 of 3)");
  }

  @Test
  void theCampaignSummaryCountsLeadsByWhatHoldsThemAndTheNextDueTime() throws Exception {
    live("summer-2026");
    live("summer-2026");
    lead("summer-2026"); // not line-checked
    Lead waiting = dialed("summer-2026");
    Instant due = NOW.plus(Duration.ofMinutes(10));
    store.apply(
        waiting.id(),
        new LeadEvent.Scheduled(LeadEvent.WaitReason.REDIAL, due, Optional.empty()),
        NOW);
    Lead sold = dialed("summer-2026");
    store.apply(sold.id(), new LeadEvent.Finished(LeadEvent.DoneReason.SALE), NOW);

    WhyNot.Summary summary = why.campaign(campaign(), NOW);

    assertThat(summary.leads()).isEqualTo(5);
    assertThat(summary.dialable()).isEqualTo(2);
    assertThat(summary.blocked())
        .containsExactly(
            Map.entry("done: SALE", 1L),
            Map.entry("not line-checked yet", 1L),
            Map.entry("waiting for its redial", 1L));
    assertThat(summary.nextDue()).contains(due);
  }
}
