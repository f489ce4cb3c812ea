package org.pingdialer.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-29T00:00:00Z"));
  private final DashboardSessions sessions = new DashboardSessions(InstantSource.fixed(now.get()));

  @Test
  void aSessionIsValidUntilItExpiresAndUnknownIdsNever() {
    var clocked = new DashboardSessions(now::get);
    String id = clocked.open();
    assertThat(clocked.valid(id)).isTrue();
    assertThat(clocked.valid(null)).isFalse();
    assertThat(clocked.valid(id + "x")).isFalse();
    now.set(now.get().plus(DashboardSessions.LIFETIME).minus(Duration.ofSeconds(1)));
    assertThat(clocked.valid(id)).isTrue();
    now.set(now.get().plus(Duration.ofSeconds(1)));
    assertThat(clocked.valid(id)).isFalse();
  }

  @Test
  void idsAreFreshAndLongAndTheCookieIsHttpOnlyStrictAndScoped() {
    String a = sessions.open();
    String b = sessions.open();
    assertThat(a).isNotEqualTo(b).hasSize(43); // 32 random bytes, base64url
    assertThat(DashboardSessions.cookie(a))
        .isEqualTo(
            "pd_dashboard=" + a + "; Path=/dashboard; Max-Age=43200; HttpOnly; SameSite=Strict");
  }
}
