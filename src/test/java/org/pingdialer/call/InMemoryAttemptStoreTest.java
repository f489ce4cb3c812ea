package org.pingdialer.call;

class InMemoryAttemptStoreTest extends AttemptStoreContract {
  @Override
  AttemptStore newStore() {
    return new InMemoryAttemptStore();
  }
}
