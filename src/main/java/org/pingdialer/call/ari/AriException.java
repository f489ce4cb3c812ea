package org.pingdialer.call.ari;

/**
 * ARI answered a REST call with an error status. Carries the status, the request and ARI's own
 * message, so callers can tell "gone" from "wrong state" without parsing text. Broken I/O (refused
 * connection, timeout) is an {@link java.io.UncheckedIOException} instead.
 */
public final class AriException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What the status means for the dialer (ari-reference 1.10). */
  public enum Kind {
    /** 400: a bad or missing parameter (also: unknown channel in addChannel). */
    BAD_REQUEST,
    /** 401/403: wrong ARI credentials or a read-only user. */
    NOT_AUTHORIZED,
    /** 404: the channel, bridge or playback does not exist (any more). */
    GONE,
    /** 409: duplicate id, or the channel is not in Stasis / not in a dialable state. */
    CONFLICT,
    /** 412/422: the channel is in the wrong state for the operation. */
    WRONG_STATE,
    /** 5xx: Asterisk could not do it (e.g. unknown or unregistered endpoint). */
    SERVER_ERROR,
    OTHER;

    static Kind of(int status) {
      return switch (status) {
        case 400 -> BAD_REQUEST;
        case 401, 403 -> NOT_AUTHORIZED;
        case 404 -> GONE;
        case 409 -> CONFLICT;
        case 412, 422 -> WRONG_STATE;
        default -> status >= 500 ? SERVER_ERROR : OTHER;
      };
    }
  }

  private final int status;
  private final String request;
  private final String ariMessage;

  AriException(int status, String request, String ariMessage) {
    super(request + " failed with HTTP " + status + ": " + ariMessage);
    this.status = status;
    this.request = request;
    this.ariMessage = ariMessage;
  }

  public int status() {
    return status;
  }

  public Kind kind() {
    return Kind.of(status);
  }

  /** The request as {@code METHOD /path}, without credentials. */
  public String request() {
    return request;
  }

  /** ARI's {@code message} field, or the raw body when it had none. */
  public String ariMessage() {
    return ariMessage;
  }
}
