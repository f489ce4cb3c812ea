package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#inTransaction} at the JDBC boundary: what a caller is told when the connection
 * fails after the commit, or the work fails.
 */
class DatabaseTransactionTest {
  private final JdbcDataSource h2 = new JdbcDataSource();
  private final AtomicInteger closesThatFail = new AtomicInteger();
  private Database database;

  @BeforeEach
  void open() throws SQLException {
    h2.setURL("jdbc:h2:mem:tx-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = h2.getConnection();
        var statement = c.createStatement()) {
      statement.execute("CREATE TABLE t (n INT)");
    }
    database = new Database(closingBadly(h2), () -> {});
  }

  /** Connections whose close (after closing for real) fails while {@link #closesThatFail} > 0. */
  private DataSource closingBadly(JdbcDataSource real) {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object out = invoke(method, real, args);
              return method.getName().equals("getConnection")
                  ? connectionClosingBadly((Connection) out)
                  : out;
            });
  }

  private Connection connectionClosingBadly(Connection real) {
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              Object out = invoke(method, real, args);
              if (method.getName().equals("close") && closesThatFail.getAndDecrement() > 0) {
                throw new SQLException("connection reset while handed back");
              }
              return out;
            });
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private int rows() {
    return database.inTransaction(
        "count",
        c -> {
          try (var statement = c.createStatement();
              ResultSet r = statement.executeQuery("SELECT COUNT(*) FROM t")) {
            r.next();
            return r.getInt(1);
          }
        });
  }

  @Test
  void aCommittedWriteWhoseConnectionFailsToCloseIsStillASuccess() {
    closesThatFail.set(1);
    int written =
        database.inTransaction(
            "insert",
            c -> {
              try (var statement = c.createStatement()) {
                return statement.executeUpdate("INSERT INTO t VALUES (1)");
              }
            });
    assertThat(written).isEqualTo(1);
    assertThat(closesThatFail.get()).as("the failing close ran").isZero();
    assertThat(rows()).isEqualTo(1);
  }

  @Test
  void aFailedWriteIsRolledBackAndNamedWithTheCloseFailureAttached() {
    closesThatFail.set(1);
    assertThatThrownBy(
            () ->
                database.inTransaction(
                    "insert twice",
                    c -> {
                      try (var statement = c.createStatement()) {
                        statement.executeUpdate("INSERT INTO t VALUES (1)");
                        statement.executeUpdate("INSERT INTO no_such_table VALUES (1)");
                        return null;
                      }
                    }))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("insert twice failed: ")
        .satisfies(
            e ->
                assertThat(e.getCause().getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("connection reset while handed back"));
    assertThat(rows()).isZero();
  }
}
