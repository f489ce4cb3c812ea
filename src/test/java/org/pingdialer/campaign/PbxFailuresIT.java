package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * Issue 17, Asterisk failing under a running campaign. The dialer PBX restarts while a lab agent
 * talks to a customer. The call cut by the shutdown is LOST (not the callee's hang-up) and its lead
 * is dialed again without the call counting; the desk calls the agent's phone back once it is
 * registered again and seats the agent when it answers, and the campaign dials again with no one
 * touching it. The events socket drops mid-call: the call is followed to its end and dialing goes
 * on, and the reconnect clears a channel of the campaign no call owns and an empty agent bridge.
 */
@LabStack
// Runs on both runtimes: the rootfs here, containerized Asterisk in CI's Docker half.
@Tag("docker")
class PbxFailuresIT {

  @Test
  void aPbxRestartLosesTheCallNotTheLeadAndTheCampaignResumesByItself(AsteriskStack stack)
      throws Exception {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: off
            wrap_up: 5s
            """);
    try (Database database = LabRuns.database("h2-restart-")) {
      var leads = new JdbcLeadStore(database);
      // People who ring 2 s and stay 30 s: the restart finds the first one talking.
      LabCampaigns.importNumbers(
          leads, "bought", "+4930999111060", "+4930999111061", "+4930999111062");
      try (var run = LabRuns.start(stack, campaign, database, "it-restart");
          var agents =
              LabRuns.agents(
                  stack,
                  run,
                  1,
                  // No login of its own after the cut: it comes back as an agent at a real
                  // phone does, by answering the desk's call back once its phone is registered.
                  LabAgent.Behaviour.defaults().withTalk(TalkTime.fixed(Duration.ofSeconds(60))),
                  7)) {
        String agent = agents.agents().getFirst().id();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> status(run, agent) == AgentState.Status.ON_CALL);
        AttemptKey cut = ours(stack, campaign).getFirst();
        Thread.sleep(1_000);

        long begin = System.nanoTime();
        stack.restartPbx();
        long restarted = System.nanoTime();
        // Dialing again by itself: the agent is back and a new call is up.
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(
                () ->
                    ours(stack, campaign).stream().anyMatch(key -> key.attempt() > cut.attempt()));
        long resumed = System.nanoTime();
        System.out.printf(
            "PBX restart took %d ms; the campaign dialed again %d ms after the PBX was up%n",
            Duration.ofNanos(restarted - begin).toMillis(),
            Duration.ofNanos(resumed - restarted).toMillis());
        // Seated on the desk's call back, not on a login of its own.
        assertThat(
                new OkHttpAriClient(stack.ari())
                    .bridge(AgentDesk.bridgeOf(agent))
                    .map(b -> b.channels())
                    .orElse(List.of()))
            .anyMatch(c -> c.startsWith(AgentDesk.CALL_BACK_PREFIX + agent + "-"));

        var attempts = new JdbcAttemptStore(database);
        AttemptResult lost =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> attempts.find(cut).flatMap(a -> a.result()), Optional::isPresent)
                .orElseThrow();
        assertThat(lost.outcome()).as(lost.evidence().toString()).isEqualTo(DialOutcome.LOST);
        // With the agent when cut: a live call in the abandon rate, not an abandoned one.
        assertThat(lost.lived()).isEqualTo(DialOutcome.ANSWERED);
        assertThat(lost.evidence())
            .anyMatch(e -> e.event().equals("ChannelHangupRequest") && e.detail().equals("soft 4"));
        Lead lead =
            leads.leadsOf("bought", 10).stream()
                .filter(l -> l.dialDigits().equals(attemptNumber(attempts, cut)))
                .findFirst()
                .orElseThrow();
        // Not counted, not finished: dialed again (or being dialed) as if the call never was.
        assertThat(lead.state()).isIn(LeadState.WAITING, LeadState.QUEUED, LeadState.DIALING);
        assertThat(lead.doneReason()).isEmpty();
        // Seated again: ready, or reserved for (or on) the progressive call placed for it.
        assertThat(status(run, agent))
            .isIn(AgentState.Status.READY, AgentState.Status.RESERVED, AgentState.Status.ON_CALL);
        run.stop();
        run.drain(Duration.ofSeconds(1));
      }
      var ari = new OkHttpAriClient(stack.ari());
      assertThat(ari.channels()).noneMatch(c -> AttemptKey.fromChannelId(c.id()).isPresent());
      assertThat(ari.bridges())
          .noneMatch(b -> b.id().startsWith("pd-agent-") && !b.channels().isEmpty());
    }
  }

  @Test
  void aDroppedEventsSocketMidCallLosesNothingAndDialingGoesOn(AsteriskStack stack)
      throws Exception {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: off
            wrap_up: 2s
            """);
    try (Database database = LabRuns.database("h2-socket-")) {
      var leads = new JdbcLeadStore(database);
      // People who ring 2 s and stay 10 s.
      LabCampaigns.importNumbers(
          leads, "bought", "+4930999111023", "+4930999111024", "+4930999111025");
      try (var run = LabRuns.start(stack, campaign, database, "it-socket");
          var agents =
              LabRuns.agents(
                  stack,
                  run,
                  1,
                  LabAgent.Behaviour.defaults().withTalk(TalkTime.fixed(Duration.ofSeconds(60))),
                  7)) {
        String agent = agents.agents().getFirst().id();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> status(run, agent) == AgentState.Status.ON_CALL);
        AttemptKey talking = ours(stack, campaign).getFirst();
        // What a reconnect must also clear, made where the run cannot see it: a channel with the
        // campaign's id in another Stasis app (as if its StasisStart fell into the gap), and an
        // empty agent bridge (as if a phone left while Asterisk could not be reached).
        var base = stack.ari();
        String stray = new AttemptKey(campaign.name(), 999_999).channelId();
        String strayBridge = "pd-agent-it-stray";
        try (AriSession elsewhere =
            AriSession.open(
                new OkHttpAriClient(
                    new AriEndpoint(base.baseUrl(), base.user(), base.password(), "it-strays")),
                Set.of())) {
          elsewhere
              .client()
              .createChannel(
                  AriClient.ChannelSpec.of(
                      AsteriskStack.dialString("+4930999111023", "carrier"), stray));
          var ari = new OkHttpAriClient(base);
          ari.createBridge(strayBridge, "mixing", "stray");
          await().atMost(Duration.ofSeconds(5)).until(() -> ari.channel(stray).isPresent());
          long before = run.ariReconnects();
          run.events().dropConnection();
          await().atMost(Duration.ofSeconds(10)).until(() -> run.ariReconnects() > before);
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> ari.channel(stray).isEmpty() && ari.bridge(strayBridge).isEmpty());
        }
        long begin = System.nanoTime();
        // Every lead called once to its end (the callee hangs up after 10 s, the agent files).
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    leads.leadsOf("bought", 10).stream()
                        .allMatch(
                            l -> l.state() == LeadState.DONE || l.state() == LeadState.WAITING));
        System.out.printf(
            "events socket dropped mid-call: all leads settled %d ms after the reconnect%n",
            Duration.ofNanos(System.nanoTime() - begin).toMillis());
        var attempts = new JdbcAttemptStore(database);
        AttemptResult result = attempts.find(talking).orElseThrow().result().orElseThrow();
        assertThat(result.outcome())
            .as(result.evidence().toString())
            .isEqualTo(DialOutcome.ANSWERED);
        assertThat(attempts.unfinished(campaign.name())).isEmpty();
        assertThat(attempts.countsOf(campaign.name()).calls()).isGreaterThanOrEqualTo(3);
        run.stop();
        run.drain(Duration.ofSeconds(1));
      }
      var ari = new OkHttpAriClient(stack.ari());
      assertThat(ari.channels()).noneMatch(c -> AttemptKey.fromChannelId(c.id()).isPresent());
    }
  }

  /**
   * Asterisk refuses every channel (a trunk it cannot build answers 500 "Allocation failed"): the
   * refused calls are LOST, no lead is burned, and the loop backs off (0.5 s, doubling) instead of
   * hammering Asterisk.
   */
  @Test
  void refusedCreatesBurnNoLeadAndTheLoopBacksOff(AsteriskStack stack) throws Exception {
    Campaign campaign =
        CampaignFiles.parse(
            """
            name: it-refused-%s
            profile: lab
            trunk: nosuch
            default_region: DE
            agent_group: lab
            calling_windows:
              mon-sun: 00:00-24:00
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 10s}
            line_check: off
            wrap_up: 2s
            """
                .formatted(UUID.randomUUID().toString().substring(0, 6)),
            "refused.yaml",
            Set.of("nosuch"));
    try (Database database = LabRuns.database("h2-refused-")) {
      var leads = new JdbcLeadStore(database);
      LabCampaigns.importNumbers(
          leads, "bought", "+4930999111023", "+4930999111024", "+4930999111025");
      try (var run = LabRuns.start(stack, campaign, database, "it-refused");
          var agents = LabRuns.agents(stack, run, 1, LabAgent.Behaviour.defaults(), 7)) {
        var attempts = new JdbcAttemptStore(database);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> attempts.countsOf(campaign.name()).calls() >= 1);
        Thread.sleep(10_000);
        var counts = attempts.countsOf(campaign.name());
        System.out.printf(
            "Asterisk refusing every create: %d calls tried in the first ~10 s (backoff), by outcome %s%n",
            counts.calls(), counts.byOutcome());
        // 0.5 + 1 + 2 + 4 s of backoff fit in 10 s: about 5 tries; without it, hundreds.
        assertThat(counts.calls()).isBetween(3L, 8L);
        assertThat(counts.of(DialOutcome.LOST)).isEqualTo(counts.calls());
        for (Lead lead : leads.leadsOf("bought", 10)) {
          assertThat(lead.state()).isNotEqualTo(LeadState.DONE);
          assertThat(lead.attempts()).isLessThanOrEqualTo(1);
        }
        assertThat(agents.agents()).hasSize(1);
        run.stop();
      }
    }
  }

  private static String attemptNumber(JdbcAttemptStore attempts, AttemptKey key) {
    return attempts.find(key).orElseThrow().attempt().number();
  }

  private static AgentState.Status status(CampaignRun run, String agent) throws Exception {
    AgentState state = run.desk().states().get(5, TimeUnit.SECONDS).get(agent);
    return state == null ? AgentState.Status.LOGGED_OUT : state.status();
  }

  private static List<AttemptKey> ours(AsteriskStack stack, Campaign campaign) {
    return new OkHttpAriClient(stack.ari())
        .channels().stream()
            .map(AriChannel::id)
            .flatMap(id -> AttemptKey.fromChannelId(id).stream())
            .filter(k -> k.campaign().equals(campaign.name()))
            .toList();
  }
}
