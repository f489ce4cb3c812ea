package org.pingdialer.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;

/** Campaigns and leads for integration tests against the lab stack. */
public final class LabCampaigns {
  private LabCampaigns() {}

  /**
   * A lab campaign on the simulated network that may call at any hour, with a fresh name (so its
   * channel ids never meet another test's) and the keys of {@code rest} (lists, pacing, line check,
   * wrap-up, ...), written as in a campaign file.
   */
  public static Campaign parse(String rest) throws CampaignFileException {
    return parse(rest, "00:00-24:00");
  }

  /** As {@link #parse(String)}, calling every day in {@code window}, e.g. {@code 00:00-12:00}. */
  public static Campaign parse(String rest, String window) throws CampaignFileException {
    String yaml =
        """
        name: it-%s
        profile: lab
        trunk: carrier
        default_region: DE
        agent_group: lab
        calling_windows:
          mon-sun: %s
        """
                .formatted(UUID.randomUUID().toString().substring(0, 8), window)
            + rest;
    return CampaignFiles.parse(yaml, "it-campaign.yaml");
  }

  /** Imports the numbers (E.164) into {@code list} as NEW leads, in this order. */
  public static void importNumbers(LeadStore leads, String list, String... numbers) {
    var parser = new PhoneNumbers("DE");
    try (var session = leads.beginImport(list, "DE", list + ".csv", Instant.now())) {
      List<NewLead> rows = new ArrayList<>();
      for (String number : numbers) {
        var parsed = (PhoneNumbers.Parsed.Valid) parser.parse(number);
        rows.add(new NewLead(rows.size() + 2L, parsed.number(), Contact.none(), Map.of()));
      }
      session.add(rows);
      session.commit(new LeadStore.ImportCounts(rows.size(), rows.size(), 0, 0, 0, 0));
    }
  }
}
