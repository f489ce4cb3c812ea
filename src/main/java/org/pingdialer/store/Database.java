package org.pingdialer.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's database: an embedded H2 file database by default, PostgreSQL by JDBC URL. The
 * schema is migrated by Flyway from {@code db/migration} on open; the same scripts run on both.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final DataSource dataSource;

  /** Closes the pool. */
  private final AutoCloseable pool;

  /** The embedded database's directory, whose files are made owner-only again on close. */
  private Path embeddedDir;

  private Database(HikariDataSource dataSource) {
    this(dataSource, dataSource);
  }

  /** On {@code dataSource}, whose pool {@code pool} closes (tests wrap the JDBC objects). */
  Database(DataSource dataSource, AutoCloseable pool) {
    this.dataSource = dataSource;
    this.pool = pool;
  }

  /**
   * The embedded database in {@code dataDir} (created owner-only if missing; its files are made
   * owner-only: they hold customers' numbers and names).
   *
   * <p>{@code WRITE_DELAY=0} writes each commit to the file at once: with H2's default (500 ms) a
   * {@code kill -9} lost the attempts committed just before it, and the next run minted their
   * numbers again (measured: 3 of 3 kills lost commits by default, none with 0).
   *
   * <p>{@code retry:} is H2's file system that reopens the file when a thread was interrupted while
   * it wrote: with each commit written by the committing thread, an executor's {@code shutdownNow}
   * or Quartz stopping mid-commit otherwise closed the file for every thread ("The database has
   * been closed"; {@code DatabaseFilesIT} reproduces it).
   */
  public static Database embedded(Path dataDir) {
    Path dir = dataDir.toAbsolutePath();
    OwnerOnly.createDirectories(dir);
    String url =
        "jdbc:h2:retry:" + dir.resolve("pingdialer") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    Database database = connect(url, "sa", "");
    OwnerOnly.restrictFiles(dir, "pingdialer.");
    // H2 writes its trace file (pingdialer.trace.db) when it has something to say: made owner-only
    // on close too (the directory keeps others out meanwhile).
    database.embeddedDir = dir;
    return database;
  }

  /**
   * A database by JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/pingdialer}.
   *
   * @throws StoreException naming the URL (without password) when it cannot be opened or migrated
   */
  public static Database connect(String jdbcUrl, String user, String password) {
    var config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(8);
    config.setPoolName("pingdialer-db");
    config.setAutoCommit(true);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open the database at " + jdbcUrl + ": " + e.getMessage(), e);
    }
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .javaMigrations(new QuartzTables(), new LeadIndexes(), new LeadImportKey())
          .load()
          .migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw new StoreException(
          "cannot migrate the database at " + jdbcUrl + ": " + e.getMessage(), e);
    }
    return new Database(dataSource);
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** Work that runs in one transaction. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in one transaction: all of it is committed, or none of it. */
  <T> T inTransaction(String what, Work<T> work) {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
    T result;
    try {
      connection.setAutoCommit(false);
      result = work.run(connection);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      closeAfterFailure(connection, e);
      throw e instanceof SQLException sql
          ? new StoreException(what + " failed: " + sql.getMessage(), sql)
          : (RuntimeException) e;
    }
    // Committed: a failure to hand the connection back must not look like a failed write. Callers
    // retry failed writes (the attempt writer runs a failed batch again item by item), and a
    // committed placement run again is a second attempt of the same call.
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("{}: committed, but closing its connection failed: {}", what, e.getMessage());
    }
    return result;
  }

  private static void closeAfterFailure(Connection connection, Exception failure) {
    try {
      connection.close();
    } catch (SQLException closeFailed) {
      failure.addSuppressed(closeFailed);
    }
  }

  @Override
  public void close() {
    try {
      pool.close();
    } catch (Exception e) {
      throw new StoreException("closing the database failed: " + e.getMessage(), e);
    }
    if (embeddedDir != null) {
      OwnerOnly.restrictFiles(embeddedDir, "pingdialer.");
    }
  }
}
