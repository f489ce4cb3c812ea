package org.pingdialer.api;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's browser sessions. A browser cannot send a bearer header when it loads a page or
 * opens an event stream, so whoever shows an API token once (in the dashboard URL, or in the login
 * form) gets a session: a fresh random id in an {@code HttpOnly; SameSite=Strict} cookie scoped to
 * {@code /dashboard}. The cookie is not the token: it opens only the dashboard, which is read-only,
 * expires, and scripts on the page cannot read it.
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
  private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

  DashboardSessions(InstantSource clock) {
    this.clock = clock;
  }

  /** Opens a session; returns its id. */
  String open() {
    Instant now = clock.instant();
    expiries.values().removeIf(expiry -> expiry.isBefore(now));
    if (expiries.size() >= MAX) {
      expiries.entrySet().stream()
          .min(Map.Entry.comparingByValue())
          .ifPresent(oldest -> expiries.remove(oldest.getKey()));
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    expiries.put(id, now.plus(LIFETIME));
    return id;
  }

  /** True for a session opened here and not expired. */
  boolean valid(String id) {
    if (id == null) {
      return false;
    }
    Instant expiry = expiries.get(id);
    return expiry != null && clock.instant().isBefore(expiry);
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
