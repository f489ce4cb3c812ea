package org.pingdialer.call;

class InMemoryAttemptStoreTest extends AttemptStoreContract {
  @Override
  protected AttemptStore newStore() {
    return new InMemoryAttemptStore();
  }
}
