package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.campaign.spec.QueueFiles;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.inbound.InboundOutcome;
import org.pingdialer.lab.persona.InboundCallers;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcInboundStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * A controller that dies with callers in line (its threads and sockets stop as with {@code kill
 * -9}): the next run on the same database and PBX finds the callers still in Stasis and puts them
 * back in line under their first row and arrival time; a caller who hung up meanwhile ends LOST.
 */
@LabStack
class InboundRestartIT {
  @Test
  void callersInLineWhenTheControllerDiesWaitOnInTheNextRun(AsteriskStack stack) throws Exception {
    InboundQueue queue =
        QueueFiles.parse(
            """
            name: restart-q
            dids: ["4930777103"]
            announcement: []
            max_wait: 25s
            overflow: hangup
            """,
            "restart-q.yaml");
    try (Database database = LabRuns.database("h2-inbound-restart-")) {
      var calls = new JdbcInboundStore(database);
      var settings =
          new CampaignRun.Settings(
              stack.ari(), Optional.of(stack.ami()), database, "it-restart", LabRuns.BERLIN, 2);
      Floor dead =
          Floor.start(
              "it-restart",
              List.of(),
              List.of(queue),
              settings,
              InstantSource.system(),
              Duration.ofSeconds(10));
      InboundCallers.call(
          stack.pstnDir(),
          "4930777103",
          InboundCallers.Caller.waits(Duration.ofSeconds(60), "4930999111131"));
      InboundCallers.call(
          stack.pstnDir(),
          "4930777103",
          InboundCallers.Caller.givesUp(Duration.ofSeconds(6), "4930999111132"));
      await().atMost(Duration.ofSeconds(20)).until(() -> calls.open().size() == 2);
      // The caller who waits on (the two call files may be taken in either order).
      Instant firstArrival =
          calls.calls(Optional.empty(), Instant.EPOCH).stream()
              .filter(r -> r.caller().endsWith("31"))
              .findFirst()
              .orElseThrow()
              .arrivedAt();
      dead.crash();
      // The second caller hangs up while no controller runs.
      Thread.sleep(8_000);

      try (Floor next =
          Floor.start(
              "it-restart",
              List.of(),
              List.of(queue),
              settings,
              InstantSource.system(),
              Duration.ofSeconds(10))) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> next.inbound().waiting().get().get("restart-q") == 1);
        // Nobody answers: after the queue's max wait from its first arrival it overflows.
        await().atMost(Duration.ofSeconds(40)).until(() -> calls.open().isEmpty());
        List<InboundCallStore.Row> rows = calls.calls(Optional.empty(), Instant.EPOCH);
        assertThat(rows).hasSize(2);
        InboundCallStore.Row waited =
            rows.stream().filter(r -> r.caller().endsWith("31")).findFirst().orElseThrow();
        InboundCallStore.Row gone =
            rows.stream().filter(r -> r.caller().endsWith("32")).findFirst().orElseThrow();
        assertThat(waited.outcome()).contains(InboundOutcome.OVERFLOWED);
        assertThat(waited.arrivedAt()).isEqualTo(firstArrival);
        assertThat(gone.outcome()).contains(InboundOutcome.LOST);
        await().atMost(AriSession.WAIT).until(() -> next.ari().channels().isEmpty());
      } finally {
        dead.close();
      }
    }
  }
}
