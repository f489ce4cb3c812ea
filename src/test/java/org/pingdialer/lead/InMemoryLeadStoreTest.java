package org.pingdialer.lead;

import java.time.Instant;

class InMemoryLeadStoreTest extends LeadStoreContract {
  @Override
  protected LeadStore newStore() {
    return new InMemoryLeadStore();
  }

  @Override
  protected void recordCall(LeadStore store, String e164, Instant at) {
    ((InMemoryLeadStore) store).recordCall(e164, at);
  }
}
