package org.pingdialer.call.ari;

import java.time.Instant;

/** The parts of {@code GET /asterisk/info} the controller uses. */
public record AsteriskInfo(SystemInfo system, StatusInfo status) {

  /** Asterisk version and its entity id (stable per installation). */
  public record SystemInfo(String version, String entityId) {}

  /** When Asterisk started and last reloaded; a changed startup time means a restart. */
  public record StatusInfo(Instant startupTime, Instant lastReloadTime) {}
}
