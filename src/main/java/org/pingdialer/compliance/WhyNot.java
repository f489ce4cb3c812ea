package org.pingdialer.compliance;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.LeadStore;

/**
 * Answers "why is this lead not called?" and "why is nothing dialing?": the lead's state, then
 * every compliance rule it breaks now ({@link DialGate#ruleBreaches}). Read-only.
 */
public final class WhyNot {
  /** Leads looked at per list for a campaign's summary: enough to show the pattern. */
  static final int SUMMARY_SCAN = 100_000;

  private final LeadStore leads;
  private final DialGate gate;

  public WhyNot(LeadStore leads) {
    this.leads = leads;
    this.gate = new DialGate(leads);
  }

  /** Why {@code lead} would not be dialed for {@code campaign} now; empty when it would be. */
  public List<String> lead(Campaign campaign, Lead lead, Instant now) {
    List<String> reasons = new ArrayList<>();
    if (!campaign.lists().contains(lead.list())) {
      reasons.add(
          "its list "
              + lead.list()
              + " is not one of the campaign's lists ("
              + String.join(", ", campaign.lists())
              + ")");
    }
    state(campaign, lead, now).ifPresent(reasons::add);
    lead.callbackAgent()
        .ifPresent(agent -> reasons.add("a callback for agent " + agent + " only, when ready"));
    if (!lead.state().isTerminal()) {
      reasons.addAll(gate.ruleBreaches(campaign, lead, now));
    }
    return List.copyOf(reasons);
  }

  private static Optional<String> state(Campaign campaign, Lead lead, Instant now) {
    return switch (lead.state()) {
      case DONE -> Optional.of("done: " + lead.doneReason().map(Enum::name).orElse("?"));
      case DEAD -> Optional.of("dead number (line check or dial found it unallocated)");
      case CHECKING -> Optional.of("a line check is in progress");
      case QUEUED, DIALING ->
          Optional.of("being dialed now (claimed for " + lead.claimedFor().orElse("?") + ")");
      case WAITING ->
          lead.dueAt()
              .filter(due -> due.isAfter(now))
              .map(
                  due ->
                      "waiting for its "
                          + lead.waitReason().map(Enum::name).orElse("?").toLowerCase(Locale.ROOT)
                          + " until "
                          + DateTimeFormatter.ISO_INSTANT.format(due));
      case NEW ->
          campaign.lineCheck() == Campaign.LineCheck.OFF
              ? Optional.empty()
              : Optional.of("not line-checked yet (line_check: " + campaign.lineCheck() + ")");
      case LIVE -> Optional.empty();
    };
  }

  /**
   * A campaign's leads by what keeps them from being dialed now (the first reason of each), and how
   * many are dialable: the store's half of "why is nothing dialing?". The loop's half (running,
   * agents seated and ready) comes from the loop.
   */
  public Summary campaign(Campaign campaign, Instant now) {
    Map<String, Long> blocked = new TreeMap<>();
    long dialable = 0;
    long scanned = 0;
    Optional<Instant> nextDue = Optional.empty();
    for (String list : campaign.lists()) {
      for (Lead lead : leads.leadsOf(list, SUMMARY_SCAN)) {
        scanned++;
        List<String> reasons = lead(campaign, lead, now);
        if (reasons.isEmpty()) {
          dialable++;
          continue;
        }
        blocked.merge(category(reasons.getFirst()), 1L, Long::sum);
        if (lead.state() == LeadState.WAITING && lead.dueAt().isPresent()) {
          Instant due = lead.dueAt().get();
          if (nextDue.isEmpty() || due.isBefore(nextDue.get())) {
            nextDue = Optional.of(due);
          }
        }
      }
    }
    return new Summary(scanned, dialable, new LinkedHashMap<>(blocked), nextDue);
  }

  /** A reason without its per-lead details (times, counts), for counting. */
  static String category(String reason) {
    int detail = reason.indexOf(" (");
    String head = detail < 0 ? reason : reason.substring(0, detail);
    int until = head.indexOf(" until ");
    return until < 0 ? head : head.substring(0, until);
  }

  /**
   * What a campaign's leads wait for.
   *
   * @param blocked leads by the first reason they are not dialable, e.g. {@code "done: SALE" -> 3}
   * @param nextDue the soonest redial or callback still to come
   */
  public record Summary(
      long leads, long dialable, Map<String, Long> blocked, Optional<Instant> nextDue) {}
}
