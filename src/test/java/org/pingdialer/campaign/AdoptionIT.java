package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Evidence;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcDispositionStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * Issue 17: the controller dies while its agent talks to a customer, and the agent's phone (a real
 * phone, here a lab baresip in the test's JVM) stays in the call. The next run adopts the call: the
 * conversation goes on, the agent ends it and files its disposition on the phone, the new run
 * records the call's outcome and the filing, and the agent takes the next call.
 */
@LabStack
class AdoptionIT {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aCallAnAgentWasOnWhenItsRunDiedIsFollowedToItsEndAndFiled(AsteriskStack stack)
      throws Exception {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: off
            wrap_up: 5s
            """);
    try (Database database = LabRuns.database("h2-adopt-")) {
      var leads = new JdbcLeadStore(database);
      // People who ring 2 s and stay 30 s: the agent, not the callee, ends each call.
      LabCampaigns.importNumbers(
          leads, "bought", "+4930999111060", "+4930999111061", "+4930999111062");
      var settings =
          new CampaignRun.Settings(
              stack.ari(), Optional.of(stack.ami()), database, "it-adopt", BERLIN, 2);
      CampaignRun dead =
          CampaignRun.start(campaign, settings, InstantSource.system(), Duration.ofSeconds(10));
      try (var agents =
          LabAgents.start(
              stack.settings().orElseThrow(),
              dead.desk(),
              1,
              LabAgent.Behaviour.defaults()
                  .withTalk(TalkTime.fixed(Duration.ofSeconds(12)))
                  .withMix(DispositionMix.of(0, 0, 100)),
              5,
              BERLIN,
              Path.of("target/baresip"))) {
        String agent = agents.agents().getFirst().id();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> status(dead, agent) == AgentState.Status.ON_CALL);
        var ari = new OkHttpAriClient(stack.ari());
        AttemptKey call =
            ari.channels().stream()
                .flatMap(c -> AttemptKey.fromChannelId(c.id()).stream())
                .filter(k -> k.campaign().equals(campaign.name()))
                .findFirst()
                .orElseThrow();
        Thread.sleep(1_000);
        dead.crash();

        try (CampaignRun run =
            CampaignRun.start(campaign, settings, InstantSource.system(), Duration.ofSeconds(10))) {
          // The lab phone keeps its own timers; from here it watches the new run's desk.
          agents.agents().forEach(run.desk()::observe);
          assertThat(status(run, agent)).isEqualTo(AgentState.Status.ON_CALL);
          assertThat(ari.channel(call.channelId())).as("the customer is still there").isPresent();
          assertThat(ari.bridge("pd-agent-" + agent).orElseThrow().channels())
              .contains(call.channelId())
              .hasSize(2);

          var attempts = new JdbcAttemptStore(database);
          AttemptResult result =
              await()
                  .atMost(Duration.ofSeconds(40))
                  .until(() -> attempts.find(call).flatMap(a -> a.result()), Optional::isPresent)
                  .orElseThrow();
          assertThat(result.outcome())
              .as(result.evidence().toString())
              .isEqualTo(DialOutcome.ANSWERED);
          assertThat(result.agentId()).contains(agent);
          assertThat(result.evidence()).extracting(Evidence::event).contains("Adopted");
          // Filed on the phone as a sale, taken by the new run.
          var dispositions = new JdbcDispositionStore(database);
          await().atMost(Duration.ofSeconds(20)).until(() -> dispositions.of(call).isPresent());
          assertThat(dispositions.of(call).orElseThrow().code()).isEqualTo("sale");
          Lead lead =
              leads.leadsOf("bought", 10).stream()
                  .filter(
                      l ->
                          l.dialDigits()
                              .equals(attempts.find(call).orElseThrow().attempt().number()))
                  .findFirst()
                  .orElseThrow();
          assertThat(lead.state()).isEqualTo(LeadState.DONE);
          // And the agent goes on with the next call of the new run.
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> run.loop().stats().get(5, TimeUnit.SECONDS).placed() >= 1);
          run.stop();
          run.drain(Duration.ofSeconds(1));
        }
      }
    }
  }

  private static AgentState.Status status(CampaignRun run, String agent) throws Exception {
    AgentState state = run.desk().states().get(5, TimeUnit.SECONDS).get(agent);
    return state == null ? AgentState.Status.LOGGED_OUT : state.status();
  }
}
