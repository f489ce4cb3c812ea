package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * Lab agents on real baresip phones working a campaign: they talk, end the call and file it with
 * keys on the phone, end wrap-up with **; and an agent who hangs up mid-call.
 */
@LabStack
// Rootfs only: lab agents' calls run on containerized Asterisk in ServeIT and DemoIT.
class LabAgentsCallIT {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  private CampaignRun run(AsteriskStack stack, String... numbers) throws Exception {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: off
            wrap_up: 30s
            """);
    Database database = LabRuns.database("h2-lab-");
    toClose.add(database);
    var leads = new JdbcLeadStore(database);
    LabCampaigns.importNumbers(leads, "bought", numbers);
    var run = LabRuns.start(stack, campaign, database, "it-lab");
    toClose.add(run);
    return run;
  }

  private LabAgents agents(AsteriskStack stack, CampaignRun run, LabAgent.Behaviour behaviour) {
    var agents = LabRuns.agents(stack, run, 1, behaviour, 7);
    toClose.add(agents);
    return agents;
  }

  @Test
  void aLabAgentTalksEndsTheCallFilesASaleByKeysAndIsReadyAtOnce(AsteriskStack stack)
      throws Exception {
    CampaignRun run = run(stack, "+4930999900001", "+4930999900002");
    long begin = System.nanoTime();
    LabAgents agents =
        agents(
            stack,
            run,
            LabAgent.Behaviour.defaults()
                .withTalk(TalkTime.fixed(Duration.ofSeconds(3)))
                .withMix(DispositionMix.of(0, 0, 100))
                .withVia(LabAgent.Via.PHONE)
                .withWrapUpEnd(LabAgent.WrapUpEnd.READY));
    String agent = agents.agents().getFirst().id();

    // wrap_up is 30 s: both calls within 25 s only if ** ended the first wrap-up early.
    await()
        .atMost(Duration.ofSeconds(25))
        .until(
            () ->
                run.leads().leadsOf("bought", 10).stream()
                    .allMatch(l -> l.state() == LeadState.DONE));
    System.out.printf(
        "two calls talked, filed by keys and readied: %d ms%n",
        Duration.ofNanos(System.nanoTime() - begin).toMillis());
    for (Lead lead : run.leads().leadsOf("bought", 10)) {
      assertThat(lead.doneReason()).contains(LeadEvent.DoneReason.SALE);
    }
    assertThat(run.dispositions().codesBy(agent)).containsExactly("sale", "sale");
    var stats = run.desk().stats(agent).get(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(stats.calls()).isEqualTo(2);
    assertThat(stats.dispositions()).containsExactly(Map.entry("sale", 2));
    assertThat(stats.talk()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anAgentWhoHangsUpMidCallEndsTheCustomersCallAndIsLoggedOut(AsteriskStack stack)
      throws Exception {
    CampaignRun run = run(stack, "+4930999900003", "+4930999900004");
    LabAgents agents =
        agents(
            stack,
            run,
            LabAgent.Behaviour.defaults().withTalk(TalkTime.fixed(Duration.ofSeconds(60))));
    LabAgent agent = agents.agents().getFirst();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> status(run, agent.id()) == AgentState.Status.ON_CALL);
    String customer =
        run.ari().channels().stream()
            .map(c -> c.id())
            .filter(id -> AttemptKey.fromChannelId(id).isPresent())
            .findFirst()
            .orElseThrow();

    agent.hangUp().get(5, TimeUnit.SECONDS); // baresip sends BYE

    await().atMost(AriSession.WAIT).until(() -> run.ari().channel(customer).isEmpty());
    await()
        .atMost(AriSession.WAIT)
        .until(() -> status(run, agent.id()) == AgentState.Status.LOGGED_OUT);
    Thread.sleep(3_000);
    assertThat(run.loop().stats().get().placed()).isEqualTo(1); // the last agent left
    // Nobody will file the call now: its lead waits for a redial, it is not left dialing.
    assertThat(run.leads().leadsOf("bought", 10))
        .extracting(Lead::state)
        .containsExactlyInAnyOrder(LeadState.WAITING, LeadState.NEW);
    assertThat(run.ari().channels()).isEmpty();
  }

  private static AgentState.Status status(CampaignRun run, String agentId) throws Exception {
    AgentState state = run.desk().states().get(5, TimeUnit.SECONDS).get(agentId);
    return state == null ? AgentState.Status.LOGGED_OUT : state.status();
  }
}
