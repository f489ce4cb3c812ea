package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.inbound.InboundOutcome;
import org.pingdialer.testing.PostgresServer;

/**
 * The inbound calls and the operator's campaign states on both databases (H2 embedded and a real
 * PostgreSQL), through the same migrations: a call's row from arrival to its one outcome, a move, a
 * filing, the open ones, and the figures; a campaign's last asked state.
 */
class InboundStoreIT {
  private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");

  private final List<Database> opened = new ArrayList<>();

  private Database database(String kind) throws Exception {
    Database database =
        kind.equals("h2")
            ? Database.embedded(Files.createTempDirectory(Path.of("target"), "h2-inbound-store-"))
            : Database.connect(PostgresServer.freshDatabaseUrl(), "pingdialer", "");
    opened.add(database);
    return database;
  }

  @AfterEach
  void close() {
    opened.forEach(Database::close);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void aCallGoesFromArrivalToOneOutcome(String kind) throws Exception {
    var store = new JdbcInboundStore(database(kind));
    long answered = store.arrived("first", "4930777100", "4930999111120", "ch-1", T);
    long moved = store.arrived("first", "4930777100", "4930999111121", "ch-2", T);
    long waiting = store.arrived("first", "4930777100", "4930999111122", "ch-3", T);
    store.answered(answered, "agent1", T.plusSeconds(12));
    store.filed(answered, "agent1", "sale", T.plusSeconds(80));
    store.ended(answered, InboundOutcome.ANSWERED, T.plusSeconds(70), Optional.empty());
    // A second end changes nothing.
    store.ended(answered, InboundOutcome.ABANDONED, T.plusSeconds(90), Optional.empty());
    store.moved(moved, "first", "second");
    store.ended(moved, InboundOutcome.VOICEMAIL, T.plusSeconds(200), Optional.of("pd-vm-2"));

    assertThat(store.open())
        .extracting(InboundCallStore.Open::id, InboundCallStore.Open::channelId)
        .containsExactly(tuple(waiting, "ch-3"));
    InboundCallStore.Row row =
        store.calls(Optional.of("first"), T).stream()
            .filter(r -> r.id() == answered)
            .findFirst()
            .orElseThrow();
    assertThat(row.outcome()).contains(InboundOutcome.ANSWERED);
    assertThat(row.agentId()).contains("agent1");
    assertThat(row.disposition()).contains("sale");
    assertThat(row.answeredAt()).contains(T.plusSeconds(12));
    assertThat(row.endedAt()).contains(T.plusSeconds(70));
    InboundCallStore.Row second = store.calls(Optional.of("second"), T).getFirst();
    assertThat(second.overflowedFrom()).contains("first");
    assertThat(second.recording()).contains("pd-vm-2");
    assertThat(store.calls(Optional.empty(), T)).hasSize(3);
    assertThat(store.calls(Optional.empty(), T.plusSeconds(1))).isEmpty();

    var figures = store.figures("first", T, Duration.ofSeconds(20));
    assertThat(figures.offered()).isEqualTo(2);
    assertThat(figures.waiting()).isEqualTo(1);
    assertThat(figures.outcomes()).isEqualTo(Map.of(InboundOutcome.ANSWERED, 1L));
    assertThat(figures.serviceLevel()).isEqualTo(1.0);
    assertThat(figures.averageSpeedOfAnswer()).isEqualTo(Duration.ofSeconds(12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void theLastStateAnOperatorAskedIsKept(String kind) throws Exception {
    var states = new JdbcCampaignStates(database(kind));
    states.record("winter", JdbcCampaignStates.Wanted.DIALING, T);
    states.record("spring", JdbcCampaignStates.Wanted.DIALING, T);
    states.record("winter", JdbcCampaignStates.Wanted.PAUSED, T.plusSeconds(5));
    assertThat(states.all())
        .isEqualTo(
            Map.of(
                "winter", JdbcCampaignStates.Wanted.PAUSED,
                "spring", JdbcCampaignStates.Wanted.DIALING));
  }
}
