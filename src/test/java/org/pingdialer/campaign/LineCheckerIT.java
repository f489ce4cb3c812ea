package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.LineCheckResult;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EngineWithAgents;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/** Line checks ("pings") of bought numbers against the simulated network's personas. */
@LabStack
class LineCheckerIT {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  @Test
  void eachNumberIsFiledLiveDeadOrCheckedAgainLater(AsteriskStack stack) throws Exception {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 8s}
            line_check: ping
            wrap_up: 5s
            """);
    Map<String, LeadState> expected =
        Map.of(
            "+4930999300001", LeadState.LIVE, // rings (released at the first ring)
            "+4930999200001", LeadState.LIVE, // busy
            "+4930999900001", LeadState.LIVE, // answers at once
            "+4930999400001", LeadState.DEAD, // unallocated
            "+4930999410001", LeadState.DEAD, // intercept announcement
            "+4930999500001", LeadState.NEW); // congestion: could not tell
    Database database = LabRuns.database("h2-ping-");
    toClose.add(database);
    var leads = new JdbcLeadStore(database);
    LabCampaigns.importNumbers(leads, "bought", expected.keySet().toArray(String[]::new));
    var ari = new OkHttpAriClient(stack.ari());
    var floor =
        EngineWithAgents.start(
            campaign.name(),
            campaign.trunk(),
            ari,
            new JdbcAttemptStore(database),
            campaign.dialPolicy());
    var engine = floor.engine;
    toClose.add(floor);
    var recorder = new EventRecorder();
    var stream =
        new AriEventStream(
            ari,
            Set.of(),
            InstantSource.system(),
            AriEventStream.Listener.all(List.of(engine, recorder)));
    toClose.add(stream);
    stream.start();
    recorder.await(EventRecorder.Connected.class, c -> true, AriSession.WAIT);
    var checker = new LineChecker(campaign, "it-checker", leads, engine, 3, InstantSource.system());
    toClose.add(checker);

    long begin = System.nanoTime();
    checker.start().get(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                checker.stats().get().results().values().stream().mapToLong(Long::longValue).sum()
                    == expected.size());
    System.out.printf(
        "%d line checks, 3 at a time: %d ms%n",
        expected.size(), Duration.ofNanos(System.nanoTime() - begin).toMillis());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                leads.leadsOf("bought", 10).stream()
                    .noneMatch(l -> l.state() == LeadState.CHECKING));
    for (Lead lead : leads.leadsOf("bought", 10)) {
      assertThat(lead.state()).as(lead.e164()).isEqualTo(expected.get(lead.e164()));
      assertThat(lead.attempts()).as(lead.e164()).isEqualTo(1);
    }
    Lead congested =
        leads.leadsOf("bought", 10).stream()
            .filter(l -> l.e164().equals("+4930999500001"))
            .findFirst()
            .orElseThrow();
    assertThat(congested.dueAt().orElseThrow()).isAfter(Instant.now().plusSeconds(500));
    assertThat(checker.stats().get().results())
        .containsEntry(LineCheckResult.LIVE, 3L)
        .containsEntry(LineCheckResult.DEAD, 2L)
        .containsEntry(LineCheckResult.UNKNOWN, 1L);
    await().atMost(AriSession.WAIT).until(() -> ari.channels().isEmpty());
  }
}
