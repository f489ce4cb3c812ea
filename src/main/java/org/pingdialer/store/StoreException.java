package org.pingdialer.store;

import java.sql.SQLException;

/** The database failed; the message names the operation. Nothing of that operation was stored. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A unique key was violated (SQLState 23505 on both H2 and PostgreSQL; PostgreSQL's driver does
   * not use {@link java.sql.SQLIntegrityConstraintViolationException}).
   */
  boolean isUniqueViolation() {
    return getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
  }
}
