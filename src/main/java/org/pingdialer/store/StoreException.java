package org.pingdialer.store;

/** The database failed; the message names the operation. Nothing of that operation was stored. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
