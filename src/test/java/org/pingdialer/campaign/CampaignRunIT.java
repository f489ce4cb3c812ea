package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.Disposition;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabAgentPhone;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * A whole campaign run wired by {@link CampaignRun}: bought numbers are line-checked (pinged), the
 * live one is dialed when a real phone's agent logs in, the callee talks with the agent, who ends
 * the call and files a sale; the dead one is never dialed; nothing is left in Asterisk.
 */
@LabStack
class CampaignRunIT {
  @Test
  void boughtNumbersArePingedAndTheLiveOneReachesTheAgentWhoFilesASale(AsteriskStack stack)
      throws Exception {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: ping
            wrap_up: 3s
            """);
    String talks = "+4930999101001"; // rings 1 s, answers, talks
    String dead = "+4930999400001"; // unallocated
    try (Database database = LabRuns.database("h2-run-")) {
      var leads = new JdbcLeadStore(database);
      LabCampaigns.importNumbers(leads, "bought", talks, dead);
      var settings =
          new CampaignRun.Settings(
              stack.ari(),
              Optional.of(stack.ami()),
              database,
              "it-run",
              ZoneId.of("Europe/Berlin"),
              2);
      AgentAccount agent = stack.settings().orElseThrow().agents().getFirst();
      try (var run =
          CampaignRun.start(campaign, settings, InstantSource.system(), Duration.ofSeconds(10))) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    leads.leadsOf("bought", 10).stream()
                        .allMatch(l -> l.state() == LeadState.LIVE || l.state() == LeadState.DEAD));
        assertThat(state(leads, dead)).isEqualTo(LeadState.DEAD);

        try (var phone = LabAgentPhone.login(stack, agent, agent.pin(), 1)) {
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> status(run, agent) == AgentState.Status.ON_CALL);
          assertThat(run.desk().endCall(agent.id()).get(5, TimeUnit.SECONDS)).isTrue();
          assertThat(run.desk().file(agent.id(), new Disposition.Sale()).get(5, TimeUnit.SECONDS))
              .isTrue();
          await().atMost(Duration.ofSeconds(10)).until(() -> state(leads, talks) == LeadState.DONE);
          Lead sold = find(leads, talks);
          assertThat(sold.doneReason()).contains(LeadEvent.DoneReason.SALE);
          assertThat(sold.attempts()).isEqualTo(2); // the line check and the call
          assertThat(find(leads, dead).attempts()).isEqualTo(1); // checked, never dialed

          run.stop();
          assertThat(run.desk().logout(agent.id()).get(5, TimeUnit.SECONDS)).isTrue();
          phone.awaitSuccess(Duration.ofSeconds(15));
        }
        await().atMost(AriSession.WAIT).until(() -> run.ari().channels().isEmpty());
        assertThat(run.loop().stats().get().placed()).isEqualTo(1);
      }
    }
  }

  private static AgentState.Status status(CampaignRun run, AgentAccount agent) throws Exception {
    AgentState state = run.desk().states().get(5, TimeUnit.SECONDS).get(agent.id());
    return state == null ? AgentState.Status.LOGGED_OUT : state.status();
  }

  private static Lead find(JdbcLeadStore leads, String e164) {
    return leads.leadsOf("bought", 10).stream()
        .filter(l -> l.e164().equals(e164))
        .findFirst()
        .orElseThrow();
  }

  private static LeadState state(JdbcLeadStore leads, String e164) {
    return find(leads, e164).state();
  }
}
