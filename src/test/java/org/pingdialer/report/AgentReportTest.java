package org.pingdialer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.inbound.InboundOutcome;

class AgentReportTest {
  private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");

  private static InboundCallStore.Row inbound(
      long id, String queue, String agent, long talkSeconds, Optional<String> code) {
    return new InboundCallStore.Row(
        id,
        queue,
        "4930777100",
        "4930999111120",
        T,
        Optional.of(T.plusSeconds(5)),
        Optional.of(T.plusSeconds(5 + talkSeconds)),
        Optional.of(agent),
        Optional.of(InboundOutcome.ANSWERED),
        Optional.empty(),
        Optional.empty(),
        code);
  }

  @Test
  void anAgentsWorkSpansItsCampaignsAndQueues() {
    var outbound =
        Map.of(
            "summer",
            List.of(
                new CampaignReport.AgentLine(
                    "agent1",
                    3,
                    Duration.ofSeconds(90),
                    Duration.ofSeconds(12),
                    Map.of("sale", 1L, "refused", 2L))),
            "winter",
            List.of(
                new CampaignReport.AgentLine(
                    "agent1", 1, Duration.ofSeconds(30), Duration.ofSeconds(4), Map.of("sale", 1L)),
                new CampaignReport.AgentLine(
                    "agent2", 2, Duration.ofSeconds(50), Duration.ZERO, Map.of())));
    List<InboundCallStore.Row> calls =
        List.of(
            inbound(1, "support", "agent1", 40, Optional.of("refused")),
            inbound(2, "support", "agent1", 20, Optional.empty()),
            // Not answered: nobody's work.
            new InboundCallStore.Row(
                3,
                "support",
                "4930777100",
                "4930999111121",
                T,
                Optional.empty(),
                Optional.of(T.plusSeconds(9)),
                Optional.empty(),
                Optional.of(InboundOutcome.ABANDONED),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));

    AgentReport report = AgentReport.of(T, outbound, calls);

    assertThat(report.agents())
        .extracting(AgentReport.Agent::agent)
        .containsExactly("agent1", "agent2");
    AgentReport.Agent one = report.agents().getFirst();
    assertThat(one.calls()).isEqualTo(6);
    assertThat(one.talk()).isEqualTo(Duration.ofMinutes(3));
    assertThat(one.wrap()).isEqualTo(Duration.ofSeconds(16));
    assertThat(one.dispositions()).isEqualTo(Map.of("sale", 2L, "refused", 3L));
    assertThat(one.parts())
        .extracting(AgentReport.Part::name, AgentReport.Part::inbound, AgentReport.Part::calls)
        .containsExactly(
            tuple("summer", false, 3L), tuple("support", true, 2L), tuple("winter", false, 1L));
    assertThat(report.agents().get(1).parts()).hasSize(1);
  }
}
