package org.pingdialer.call.ari;

/** A WebSocket frame or REST response body that is not the ARI JSON we expect. */
public final class AriDecodingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AriDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
