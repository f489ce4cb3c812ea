package org.pingdialer.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Our database as Quartz's JDBC job store (tables from migration 4): the scheduler names a data
 * source and a driver delegate in its properties, and this gives it both, so JDBC stays in the
 * store.
 */
public final class QuartzJobStore {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private QuartzJobStore() {}

  /**
   * Registers the database's pool with Quartz under a new name and returns that name (the value of
   * {@code org.quartz.jobStore.dataSource}).
   */
  public static String dataSource(Database database) {
    String name = "pingdialer-db-" + INSTANCES.incrementAndGet();
    DBConnectionManager.getInstance().addConnectionProvider(name, new Connections(database));
    return name;
  }

  /** Quartz's SQL dialect for the database ({@code org.quartz.jobStore.driverDelegateClass}). */
  public static String delegateClass(Database database) {
    try (Connection connection = database.dataSource().getConnection()) {
      String product = connection.getMetaData().getDatabaseProductName();
      return product.toLowerCase(Locale.ROOT).equals("postgresql")
          ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
          : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
    } catch (SQLException e) {
      throw new StoreException("cannot read the database's product name", e);
    }
  }

  /** Quartz takes its connections from our pool. */
  private record Connections(Database database) implements ConnectionProvider {
    @Override
    public Connection getConnection() throws SQLException {
      return database.dataSource().getConnection();
    }

    @Override
    public void shutdown() {}

    @Override
    public void initialize() {}
  }
}
