package org.pingdialer.store;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.AttemptStoreContract;
import org.pingdialer.testing.PostgresServer;

/** The attempt store contract on a real PostgreSQL server, through the same migrations as H2. */
class JdbcAttemptStorePostgresIT extends AttemptStoreContract {
  private final List<Database> opened = new ArrayList<>();

  @Override
  protected AttemptStore newStore() {
    Database database = Database.connect(PostgresServer.freshDatabaseUrl(), "pingdialer", "");
    opened.add(database);
    return new JdbcAttemptStore(database);
  }

  @AfterEach
  void closeDatabases() {
    opened.forEach(Database::close);
  }
}
