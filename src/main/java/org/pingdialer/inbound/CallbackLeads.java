package org.pingdialer.inbound;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;

/**
 * A waiting caller's request to be called back, as a lead: the caller's number (caller ID in E.164
 * digits, with or without '+') is added to a lead list in one import of one row, with the request
 * as its consent. The campaign that dials that list calls it back under its own rules (calling
 * windows, DNC, caps). A number already in the list, on a DNC list or not valid adds nothing.
 */
public final class CallbackLeads {
  private final LeadStore leads;

  public CallbackLeads(LeadStore leads) {
    this.leads = leads;
  }

  /**
   * Adds the caller's number to {@code list}; empty when it was added, else why not. Blocks (a
   * store worker calls it).
   */
  public Optional<String> add(String list, String callerNumber, String queue, Instant at) {
    String digits = callerNumber.startsWith("+") ? callerNumber.substring(1) : callerNumber;
    if (!digits.matches("\\d{6,15}")) {
      return Optional.of("the caller's number '" + callerNumber + "' is not an E.164 number");
    }
    // With its country code the number needs no default region; DE is only the parser's fallback.
    PhoneNumbers.Parsed parsed = new PhoneNumbers("DE").parse("+" + digits);
    if (!(parsed instanceof PhoneNumbers.Parsed.Valid valid)) {
      return Optional.of("the caller's number is not dialable: " + parsed);
    }
    String e164 = valid.number().e164();
    try (LeadStore.ImportSession session =
        leads.beginImport(list, valid.number().region(), "inbound callback from " + queue, at)) {
      boolean[] known = {false};
      session.forEachExistingNumber(n -> known[0] |= n.equals(e164));
      if (known[0]) {
        return Optional.of(e164 + " is in list " + list + " already");
      }
      if (!session.onDnc(List.of(e164), List.of()).isEmpty()) {
        return Optional.of(e164 + " is on a DNC list");
      }
      var contact =
          new Contact(
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.of("inbound:" + queue),
              Optional.of("asked to be called back while waiting in queue " + queue),
              Optional.of(at));
      session.add(List.of(new NewLead(1, valid.number(), contact, Map.of("queue", queue))));
      session.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("adding the callback lead failed: " + e.getMessage());
    }
  }
}
