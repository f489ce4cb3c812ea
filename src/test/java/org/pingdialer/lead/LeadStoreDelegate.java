package org.pingdialer.lead;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A {@link LeadStore} that forwards everything; tests override what they want to slow or break. */
class LeadStoreDelegate implements LeadStore {
  private final LeadStore inner;

  LeadStoreDelegate(LeadStore inner) {
    this.inner = inner;
  }

  @Override
  public ImportSession beginImport(String list, String region, String fileName, Instant at) {
    return inner.beginImport(list, region, fileName, at);
  }

  @Override
  public Optional<Lead> find(long leadId) {
    return inner.find(leadId);
  }

  @Override
  public List<Lead> leadsOf(String list, int limit) {
    return inner.leadsOf(list, limit);
  }

  @Override
  public List<Lead> claimForLineCheck(ClaimRequest request) {
    return inner.claimForLineCheck(request);
  }

  @Override
  public List<Lead> waiting(String list) {
    return inner.waiting(list);
  }

  @Override
  public Map<String, String> attributesOf(long leadId) {
    return inner.attributesOf(leadId);
  }

  @Override
  public Map<LeadState, Long> countByState(String list) {
    return inner.countByState(list);
  }

  @Override
  public Lead apply(long leadId, LeadEvent event, Instant at) {
    return inner.apply(leadId, event, at);
  }

  @Override
  public List<Lead> claim(ClaimRequest request) {
    return inner.claim(request);
  }

  @Override
  public List<Lead> dialing(String campaign) {
    return inner.dialing(campaign);
  }

  @Override
  public int releaseClaims(String claimer, String why, Instant at) {
    return inner.releaseClaims(claimer, why, at);
  }

  @Override
  public int addDnc(String dncList, Collection<String> e164s, String reason, Instant at) {
    return inner.addDnc(dncList, e164s, reason, at);
  }

  @Override
  public int callsInLast24h(String e164, Instant now) {
    return inner.callsInLast24h(e164, now);
  }

  @Override
  public List<String> dncListsHolding(String e164, Collection<String> dncLists) {
    return inner.dncListsHolding(e164, dncLists);
  }

  /** Forwards an import session. */
  static class ImportSessionDelegate implements ImportSession {
    private final ImportSession inner;

    ImportSessionDelegate(ImportSession inner) {
      this.inner = inner;
    }

    @Override
    public void forEachExistingNumber(Consumer<String> e164) {
      inner.forEachExistingNumber(e164);
    }

    @Override
    public Set<String> onDnc(Collection<String> e164s, Collection<String> dncLists) {
      return inner.onDnc(e164s, dncLists);
    }

    @Override
    public void add(List<NewLead> leads) {
      inner.add(leads);
    }

    @Override
    public long commit(ImportCounts counts) {
      return inner.commit(counts);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
