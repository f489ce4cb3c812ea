package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentState.Status;

class AgentStatsTest {
  private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void timeIsSplitByStateAndCallsAndDispositionsAreCounted() {
    var stats = new AgentStats(T0);
    stats.changed(Status.READY, at(60)); // 60 s logged out: not counted as logged in
    stats.changed(Status.RESERVED, at(90));
    stats.changed(Status.ON_CALL, at(92));
    stats.changed(Status.WRAP_UP, at(212));
    stats.filed(new Disposition.Sale());
    stats.changed(Status.READY, at(222));
    stats.changed(Status.ON_CALL, at(230));
    stats.changed(Status.WRAP_UP, at(260));
    stats.filed(new Disposition.Callback(at(9999), Optional.empty()));
    stats.changed(Status.PAUSED, at(265));

    var snapshot = stats.snapshot(at(325)); // paused for 60 s so far
    assertThat(snapshot.talk()).isEqualTo(Duration.ofSeconds(120 + 30));
    assertThat(snapshot.wrap()).isEqualTo(Duration.ofSeconds(10 + 5));
    assertThat(snapshot.pause()).isEqualTo(Duration.ofSeconds(60));
    assertThat(snapshot.idle()).isEqualTo(Duration.ofSeconds(30 + 2 + 8));
    assertThat(snapshot.loggedIn()).isEqualTo(Duration.ofSeconds(325 - 60));
    assertThat(snapshot.calls()).isEqualTo(2);
    assertThat(snapshot.dispositions()).isEqualTo(Map.of("sale", 1, "callback", 1));
  }

  @Test
  void loggingOutStopsTheLoggedInClock() {
    var stats = new AgentStats(T0);
    stats.changed(Status.READY, at(0));
    stats.changed(Status.LOGGED_OUT, at(100));
    assertThat(stats.snapshot(at(1000)).loggedIn()).isEqualTo(Duration.ofSeconds(100));
  }
}
