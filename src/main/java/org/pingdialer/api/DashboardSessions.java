package org.pingdialer.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's browser sessions. A browser cannot send a bearer header when it loads a page or
 * opens an event stream, so whoever shows an API token once (in the dashboard URL, or in the login
 * form) gets a session: a fresh random id in an {@code HttpOnly; SameSite=Strict} cookie scoped to
 * {@code /dashboard}. The cookie is not the token: it opens only the dashboard, expires, and
 * scripts on the page cannot read it.
 *
 * <p>The dashboard's campaign buttons change state, so each session also has its own random request
 * token: the page asks for it ({@code GET /dashboard/session}) and sends it in a header with every
 * action. A cookie alone (a form posted from another site, were {@code SameSite=Strict} not
 * honoured) acts on nothing.
 *
 * <p>Thread-safe (request threads).
 */
final class DashboardSessions {
  static final String COOKIE = "pd_dashboard";
  static final Duration LIFETIME = Duration.ofHours(12);

  /** Sessions kept at most; the oldest go first (only holders of a token can open one). */
  private static final int MAX = 1000;

  private final SecureRandom random = new SecureRandom();
  private final InstantSource clock;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /** One browser's session: until when it holds, and its request token for actions. */
  private record Session(Instant expiry, String actionToken) {}

  DashboardSessions(InstantSource clock) {
    this.clock = clock;
  }

  /** Opens a session; returns its id. */
  String open() {
    Instant now = clock.instant();
    sessions.values().removeIf(session -> session.expiry().isBefore(now));
    if (sessions.size() >= MAX) {
      sessions.entrySet().stream()
          .min(Map.Entry.comparingByValue(Comparator.comparing(Session::expiry)))
          .ifPresent(oldest -> sessions.remove(oldest.getKey()));
    }
    String id = randomText();
    sessions.put(id, new Session(now.plus(LIFETIME), randomText()));
    return id;
  }

  private String randomText() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The request token of a valid session, for the page to send with its actions. */
  Optional<String> actionToken(String id) {
    if (id == null) {
      return Optional.empty();
    }
    // One look: another request's open() may evict the session at any moment.
    Session session = sessions.get(id);
    return session != null && clock.instant().isBefore(session.expiry())
        ? Optional.of(session.actionToken())
        : Optional.empty();
  }

  /** True when {@code given} is the request token of the valid session {@code id}. */
  boolean actionAllowed(String id, String given) {
    return actionToken(id)
        .map(
            token ->
                given != null
                    && MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8),
                        given.getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }

  /** True for a session opened here and not expired. */
  boolean valid(String id) {
    if (id == null) {
      return false;
    }
    Session session = sessions.get(id);
    return session != null && clock.instant().isBefore(session.expiry());
  }

  /** The Set-Cookie header value that hands the browser its session. */
  static String cookie(String id) {
    return COOKIE
        + "="
        + id
        + "; Path=/dashboard; Max-Age="
        + LIFETIME.toSeconds()
        + "; HttpOnly; SameSite=Strict";
  }
}
