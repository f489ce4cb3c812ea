package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lab.agents.AgentVoice;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.persona.GoatLog;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.store.JdbcReports;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * A lab agent on a real baresip phone, speaking with pauses, gets the phone goat from a campaign:
 * the goat replies in the agent's pauses and keeps the agent until the agent's patience (its talk
 * time) runs out; the agent ends the call, never the goat.
 */
@LabStack
class GoatLabAgentIT {
  private static final Duration PATIENCE = Duration.ofSeconds(14);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  @Test
  void theGoatKeepsASpeakingLabAgentUntilItsPatienceRunsOut(AsteriskStack stack) throws Exception {
    // The goat's log is a file of the network instance: only a stack of ours has it here.
    Assumptions.assumeTrue(
        stack.pstnDir() != null, "the simulated network of an external stack is not ours");
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 15s}
            line_check: off
            wrap_up: 30s
            """);
    Database database = LabRuns.database("h2-goat-");
    toClose.add(database);
    LabCampaigns.importNumbers(new JdbcLeadStore(database), "bought", "+4930999950101");
    Instant begin = Instant.now();
    var run = LabRuns.start(stack, campaign, database, "it-goat");
    toClose.add(run);
    toClose.add(
        LabRuns.agents(
            stack,
            run,
            1,
            LabAgent.Behaviour.defaults()
                .withTalk(TalkTime.fixed(PATIENCE))
                .withVoice(AgentVoice.natural())
                .withMix(DispositionMix.of(100, 0, 0))
                .withVia(LabAgent.Via.PHONE)
                .withWrapUpEnd(LabAgent.WrapUpEnd.READY),
            7));

    await()
        .atMost(Duration.ofSeconds(50))
        .until(
            () ->
                run.leads().leadsOf("bought", 10).stream()
                    .allMatch(l -> l.state() == LeadState.DONE));

    GoatLog.Call call =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    GoatLog.of(stack.pstnDir()).calls().stream()
                        .filter(c -> c.at().isAfter(begin))
                        .findFirst()
                        .orElse(null),
                c -> c != null);
    List<GoatLog.Phrase> phrases = GoatLog.of(stack.pstnDir()).phrasesOf(call.call());
    System.out.printf(
        "goat held the lab agent %d ms, %d phrases: %s%n",
        call.held().toMillis(),
        call.phrases(),
        phrases.stream().map(p -> p.name() + "/" + p.why()).toList());
    // The agent's voice talked and paused: the goat took turns, replying after the pauses.
    assertThat(phrases).extracting(GoatLog.Phrase::why).contains("reply");
    // It held the agent for the agent's whole patience, and the agent (our side) hung up.
    assertThat(call.held()).isGreaterThanOrEqualTo(PATIENCE.minusSeconds(1));
    assertThat(call.endedByGoat()).as("hangup_by=%s", call.hangupBy()).isFalse();
    assertThat(run.dispositions().codesBy("agent1")).containsExactly("refused");
    assertThat(
            new JdbcAttemptStore(database).countsOf(campaign.name()).of(DialOutcome.CALLEE_HUNGUP))
        .isZero();
    // The campaign report shows how long the goat held the agent, from our own attempts table.
    var goat =
        JdbcReports.catalog(database, List.of(campaign), Persona.goats())
            .report(campaign.name(), Optional.empty(), Instant.now())
            .orElseThrow()
            .compliance()
            .goatHold();
    System.out.println("report: goat hold " + goat);
    assertThat(goat.calls()).isEqualTo(1);
    assertThat(goat.total()).isGreaterThanOrEqualTo(PATIENCE.minusSeconds(2));
  }
}
