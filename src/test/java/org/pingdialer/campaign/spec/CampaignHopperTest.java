package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.lead.ClaimRequest;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.InMemoryLeadStore;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;

/** A campaign file's lists, windows, caps, DNC lists and consent rule drive the hopper. */
class CampaignHopperTest {
  /** Saturday 2026-11-28, 11:00 in Berlin. */
  private static final Instant SATURDAY_11 = Instant.parse("2026-11-28T10:00:00Z");

  private static final PhoneNumbers GERMANY = new PhoneNumbers("DE");

  private final InMemoryLeadStore store = new InMemoryLeadStore();

  private List<Long> importLeads(String... numbers) {
    try (var session = store.beginImport("summer-2026", "DE", "x.csv", SATURDAY_11)) {
      int line = 2;
      for (String number : numbers) {
        var contact =
            new Contact(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                number.endsWith("1")
                    ? Optional.empty()
                    : Optional.of(SATURDAY_11.minusSeconds(86_400)));
        session.add(
            List.of(
                new NewLead(
                    line++,
                    ((PhoneNumbers.Parsed.Valid) GERMANY.parse(number)).number(),
                    contact,
                    Map.of())));
      }
      session.commit(new LeadStore.ImportCounts(numbers.length, numbers.length, 0, 0, 0, 0));
    }
    List<Long> ids = store.leadsOf("summer-2026", 100).stream().map(Lead::id).toList();
    for (long id : ids) {
      store.apply(id, new LeadEvent.CheckStarted(), SATURDAY_11);
      store.apply(id, new LeadEvent.CheckedLive(), SATURDAY_11);
    }
    return ids;
  }

  @Test
  void aStrictCampaignClaimsOnlyConsentedLeadsOffItsDncListsInsideItsWindow() throws Exception {
    Campaign campaign =
        CampaignFiles.parse(
            CampaignFilesTest.STRICT + "dnc_lists: [summer-dnc]\n", CampaignFilesTest.FILE);
    assertThat(campaign.consentRequired()).isTrue();
    List<Long> ids = importLeads("030 1000001", "030 1000002", "030 1000003");
    store.addDnc("summer-dnc", List.of("+49301000003"), "opt-out", SATURDAY_11);

    ClaimRequest request = campaign.claimRequest("dialer-1", SATURDAY_11, 10);
    assertThat(request.maxPer24h()).isEqualTo(3);
    assertThat(request.maxLifetime()).isEqualTo(10);
    assertThat(request.includeUnchecked()).isFalse(); // line_check: full
    // 1000001 has no consent time, 1000003 is on the campaign's DNC list.
    assertThat(store.claim(request)).extracting(Lead::id).containsExactly(ids.get(1));

    // Saturday's window is 10:00-14:00 in Berlin: at 15:00 nothing is claimed.
    assertThat(
            store.claim(campaign.claimRequest("dialer-1", SATURDAY_11.plusSeconds(4 * 3600), 10)))
        .isEmpty();
  }

  @Test
  void consentCanBeSwitchedOffAndLabCampaignsDoNotRequireIt() throws Exception {
    Campaign strict =
        CampaignFiles.parse(
            CampaignFilesTest.STRICT + "consent_required: false\n", CampaignFilesTest.FILE);
    assertThat(strict.consentRequired()).isFalse();
    Campaign lab = CampaignFiles.parse(CampaignFilesTest.LAB, CampaignFilesTest.FILE);
    assertThat(lab.consentRequired()).isFalse();
    assertThat(lab.dncLists()).isEmpty();
    importLeads("030 1000001");
    assertThat(store.claim(strict.claimRequest("d", SATURDAY_11, 10))).hasSize(1);
  }

  @Test
  void dncListsMustBeAListOfNames() {
    assertThat(CampaignFilesTest.problems(CampaignFilesTest.STRICT + "dnc_lists: summer-dnc\n"))
        .containsExactly(
            "campaigns/summer.yaml: dnc_lists: must be a list of DNC list names, e.g."
                + " [summer-dnc], was summer-dnc");
  }
}
