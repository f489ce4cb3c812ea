package org.pingdialer.lead;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where leads, lead lists and do-not-call entries live. Every change to a lead is written together
 * with its audit row in one transaction. Thread-safe; calls block.
 */
public interface LeadStore {

  /** The DNC list that applies to every campaign. */
  String GLOBAL_DNC = "global";

  /**
   * Starts an all-or-nothing import into {@code list} (created with {@code defaultRegion} if it
   * does not exist). Nothing is visible to others until {@link ImportSession#commit}; closing
   * without commit leaves the store as it was.
   */
  ImportSession beginImport(String list, String defaultRegion, String fileName, Instant at);

  /** One import in progress; used by one thread. */
  interface ImportSession extends AutoCloseable {
    /** Calls {@code e164} with every number already in the list. */
    void forEachExistingNumber(Consumer<String> e164);

    /** Which of {@code e164s} are on {@code dncLists} (or the global list). */
    Set<String> onDnc(Collection<String> e164s, Collection<String> dncLists);

    /** Adds leads (state NEW); numbers must be new to the list. */
    void add(List<NewLead> leads);

    /** Makes the import visible, with its counts and an audit row; returns the import id. */
    long commit(ImportCounts counts);

    /** Rolls back unless committed. */
    @Override
    void close();
  }

  /** What an import did, stored with it. */
  record ImportCounts(
      long rows, long imported, long duplicates, long invalid, long premium, long dnc) {}

  Optional<Lead> find(long leadId);

  /** Leads of {@code list} in id order, at most {@code limit}. */
  List<Lead> leadsOf(String list, int limit);

  /** The WAITING leads of {@code list} (redials and callbacks), soonest due first. */
  List<Lead> waiting(String list);

  /** The attributes kept from the file's other columns. */
  Map<String, String> attributesOf(long leadId);

  /** How many leads of {@code list} are in each state. */
  Map<LeadState, Long> countByState(String list);

  /**
   * Applies {@code event} to the lead and audits it, in one transaction.
   *
   * @throws LeadTransitions.IllegalLeadTransitionException when not allowed; nothing is changed
   * @throws java.util.NoSuchElementException when there is no such lead
   */
  Lead apply(long leadId, LeadEvent event, Instant at);

  /**
   * The hopper: claims up to {@code request.max()} dialable leads for the campaign (state QUEUED,
   * audited). Two claimers never get the same lead.
   */
  List<Lead> claim(ClaimRequest request);

  /**
   * Claims up to {@code request.max()} NEW leads for a line check under the same rules (window,
   * caps, DNC, consent, one call per number): each becomes CHECKING, noted as {@code claimer}'s.
   */
  List<Lead> claimForLineCheck(ClaimRequest request);

  /**
   * Gives back every lead {@code claimer} holds QUEUED, and sets its unfinished line checks back to
   * NEW (a dialer stopping or restarting).
   */
  int releaseClaims(String claimer, String why, Instant at);

  /**
   * The leads being dialed for {@code campaign} (state DIALING): at a run's start, the calls of a
   * run that died, whose outcome the new run settles.
   */
  List<Lead> dialing(String campaign);

  /** Adds numbers to a DNC list (idempotent) and ends their open leads with reason DNC. */
  int addDnc(String dncList, Collection<String> e164s, String reason, Instant at);

  /**
   * Calls placed to {@code e164} (any campaign, line checks included) in the 24 h before {@code
   * now}.
   */
  int callsInLast24h(String e164, Instant now);

  /** The DNC lists (among {@code dncLists} and the global one) that hold {@code e164}. */
  List<String> dncListsHolding(String e164, Collection<String> dncLists);
}
