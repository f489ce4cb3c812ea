package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Evidence;
import org.pingdialer.call.InMemoryAttemptStore;
import org.pingdialer.call.LineCheckResult;
import org.pingdialer.call.Timeline;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.InMemoryLeadStore;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumbers;

/**
 * What a killed run leaves, and what the next run's start makes of it, on the in-memory ARI and
 * stores (the real stack's version is {@code serve.KillRecoveryIT}).
 */
class DeadRunCleanupTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
  private static final Instant RESTART = T.plusSeconds(90);

  private final FakeAriClient ari = new FakeAriClient();
  private final InMemoryAttemptStore attempts = new InMemoryAttemptStore();
  private final InMemoryLeadStore leads = new InMemoryLeadStore();

  private static final String CAMPAIGN_YAML =
      """
        name: kill
        profile: lab
        lists: [l]
        trunk: carrier
        default_region: DE
        calling_windows:
          mon-sun: 00:00-24:00
        retry:
          busy: {after: 10m, max: 3}
          no_answer: {after: 1h, max: 3}
        pacing:
          mode: progressive
          ring_timeout: 10s
        line_check: off
        agent_group: a
        wrap_up: 5s
        """;

  private static Campaign campaign() throws Exception {
    return CampaignFiles.parse(CAMPAIGN_YAML, "kill.yaml");
  }

  /** A lead of list l being dialed by a run of campaign kill. */
  private Lead dialing(String written) {
    var number = ((PhoneNumbers.Parsed.Valid) new PhoneNumbers("DE").parse(written)).number();
    try (var session = leads.beginImport("l", "DE", "test.csv", T)) {
      session.add(List.of(new NewLead(2, number, Contact.none(), Map.of())));
      session.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
    }
    Lead lead = leads.leadsOf("l", 100).getLast();
    leads.apply(lead.id(), new LeadEvent.Claimed("kill", "dialer-1"), T);
    return leads.apply(lead.id(), new LeadEvent.DialStarted(), T);
  }

  private Attempt placed(Lead lead) {
    return attempts.place("kill", lead.dialDigits(), Attempt.Kind.CALL, T.plusMillis(5));
  }

  private void channel(String id) {
    ari.createChannel(
        new AriClient.ChannelSpec("PJSIP/x@carrier", id, "ulaw", List.of(), Map.of()));
  }

  @Test
  void aDeadRunsChannelsBridgesAttemptsAndLeadsAreSettledBeforeDialing() throws Exception {
    Campaign campaign = campaign();
    // Killed between DialStarted and the attempt: no attempt, no channel.
    Lead notPlaced = dialing("030 1000001");
    // Killed while the callee talked to agent a1: the channel is in the agent's bridge.
    Lead talking = dialing("030 1000002");
    Attempt talkingCall = placed(talking);
    // Killed while ringing: a channel of ours outside any bridge.
    Lead ringing = dialing("030 1000003");
    Attempt ringingCall = placed(ringing);
    // Its busy result was stored, the lead not yet moved on.
    Lead busy = dialing("030 1000004");
    Attempt busyCall = placed(busy);
    attempts.recordResult(result(busyCall, DialOutcome.BUSY, Optional.empty(), null));
    // Answered by agent a2, ended, the agent's filing never came.
    Lead unfiled = dialing("030 1000005");
    Attempt unfiledCall = placed(unfiled);
    attempts.recordResult(result(unfiledCall, DialOutcome.ANSWERED, Optional.of("a2"), T));

    channel(talkingCall.key().channelId());
    channel(ringingCall.key().channelId());
    channel("agent-leg-a1");
    channel("pd-other-000000000001"); // another campaign's call: not ours to touch
    ari.createBridge("pd-agent-a1", "mixing", "agent a1");
    ari.addToBridge("pd-agent-a1", "agent-leg-a1");
    ari.addToBridge("pd-agent-a1", talkingCall.key().channelId());
    ari.createBridge("pd-agent-a2", "mixing", "agent a2"); // empty: the phone left

    var report = DeadRunCleanup.clear(ari, campaign, attempts, leads, RESTART);

    assertThat(report).isEqualTo(new DeadRunCleanup.Report(3, 0, 2, 2, 5));
    assertThat(ari.channels()).extracting(AriChannel::id).containsExactly("pd-other-000000000001");
    assertThat(ari.bridges()).isEmpty();

    assertThat(attempts.unfinished("kill")).isEmpty();
    AttemptResult lostTalking = attempts.find(talkingCall.key()).orElseThrow().result().get();
    assertThat(lostTalking.outcome()).isEqualTo(DialOutcome.LOST);
    assertThat(lostTalking.evidence())
        .containsExactly(
            new Evidence(DeadRunCleanup.EVIDENCE, RESTART, "in agent bridge pd-agent-a1"));
    assertThat(attempts.find(ringingCall.key()).orElseThrow().result().get().evidence())
        .extracting(Evidence::detail)
        .containsExactly("channel DOWN");

    for (Lead lost : List.of(notPlaced, talking, ringing)) {
      Lead now = leads.find(lost.id()).orElseThrow();
      assertThat(now.state()).isEqualTo(LeadState.WAITING);
      assertThat(now.dueAt()).contains(RESTART);
      assertThat(now.attempts()).as("a lost call is not counted").isEqualTo(lost.attempts() - 1);
    }
    Lead busyNow = leads.find(busy.id()).orElseThrow();
    assertThat(busyNow.waitReason()).contains(LeadEvent.WaitReason.REDIAL);
    assertThat(busyNow.dueAt()).contains(RESTART.plusSeconds(600));
    assertThat(busyNow.attempts()).isEqualTo(busy.attempts());
    Lead unfiledNow = leads.find(unfiled.id()).orElseThrow();
    assertThat(unfiledNow.state()).isEqualTo(LeadState.WAITING);
    assertThat(unfiledNow.dueAt()).contains(RESTART.plusSeconds(3600)); // the no_answer rule
    assertThat(leads.dialing("kill")).isEmpty();

    // A second start finds nothing left.
    assertThat(DeadRunCleanup.clear(ari, campaign, attempts, leads, RESTART).nothing()).isTrue();
  }

  /** A clean stop leaves no attempt without an outcome and no lead DIALING either. */
  @Test
  void whatAStoppedRunHadNoTimeToFinishIsSettledAtItsStop() throws Exception {
    Lead notPlaced = dialing("030 1000007");
    Lead hungUp = dialing("030 1000008");
    Attempt call = placed(hungUp);

    assertThat(DeadRunCleanup.settleAtStop(campaign(), attempts, leads, RESTART)).isEqualTo(3);

    assertThat(attempts.find(call.key()).orElseThrow().result().get().evidence())
        .containsExactly(
            new Evidence(DeadRunCleanup.AT_STOP, RESTART, "hung up by the run's stop"));
    assertThat(leads.find(notPlaced.id()).orElseThrow().state()).isEqualTo(LeadState.WAITING);
    assertThat(leads.find(hungUp.id()).orElseThrow().attempts()).isEqualTo(hungUp.attempts() - 1);
    assertThat(DeadRunCleanup.settleAtStop(campaign(), attempts, leads, RESTART)).isZero();
  }

  /** Strict: an answered customer of the dead run hears the drop message, never silence. */
  @Test
  void aDeadRunsAnsweredCustomerIsSentToTheDropMessageInStrict() throws Exception {
    Campaign strict =
        CampaignFiles.parse(
            """
            name: kill
            lists: [l]
            trunk: carrier
            default_region: DE
            caller_id: "+49 30 12345678"
            calling_windows:
              mon-fri: [09:00-12:00, 13:00-20:00]
            attempt_caps:
              per_24h: 3
              lifetime: 10
            retry:
              abandoned: {after: 72h, max: 1}
            pacing:
              mode: progressive
              ring_timeout: 15s
            line_check: off
            drop_message:
              sound: custom/pingdialer-drop-de
              deadline: 2s
            agent_group: a
            """,
            "strict.yaml");
    Lead answered = dialing("030 1000006");
    Attempt call = placed(answered);
    channel(call.key().channelId());
    ari.setState(call.key().channelId(), ChannelState.UP);
    ari.createBridge("pd-agent-a1", "mixing", "agent a1");
    ari.addToBridge("pd-agent-a1", call.key().channelId());
    // Answered, no agent yet (the run died while it looked for one).
    Lead waiting = dialing("030 1000016");
    Attempt waitingCall = placed(waiting);
    channel(waitingCall.key().channelId());
    ari.setState(waitingCall.key().channelId(), ChannelState.UP);

    var report = DeadRunCleanup.clear(ari, strict, attempts, leads, RESTART);

    assertThat(report).isEqualTo(new DeadRunCleanup.Report(0, 2, 1, 2, 2));
    // With an agent when lost: a live call for the rate, dialed again at once, not counted.
    AttemptResult talked = attempts.find(call.key()).orElseThrow().result().orElseThrow();
    assertThat(talked.lived()).isEqualTo(DialOutcome.ANSWERED);
    assertThat(leads.find(answered.id()).orElseThrow().dueAt()).contains(RESTART);
    assertThat(leads.find(answered.id()).orElseThrow().attempts())
        .isEqualTo(answered.attempts() - 1);
    // Answered and never given an agent: dropped on the person, so an abandoned call for the
    // rate, and the campaign's abandoned rule (72 h) decides the redial; it counts.
    AttemptResult dropped = attempts.find(waitingCall.key()).orElseThrow().result().orElseThrow();
    assertThat(dropped.outcome()).isEqualTo(DialOutcome.LOST);
    assertThat(dropped.timeline().answeredAt()).isEqualTo(RESTART);
    assertThat(dropped.lived()).isEqualTo(DialOutcome.ABANDONED);
    assertThat(attempts.endedSince("kill", T))
        .extracting(AttemptStore.Ended::lived)
        .containsExactlyInAnyOrder(DialOutcome.ANSWERED, DialOutcome.ABANDONED);
    Lead droppedNow = leads.find(waiting.id()).orElseThrow();
    assertThat(droppedNow.waitReason()).contains(LeadEvent.WaitReason.REDIAL);
    assertThat(droppedNow.dueAt()).contains(RESTART.plus(Duration.ofDays(3)));
    assertThat(droppedNow.attempts()).isEqualTo(waiting.attempts());
    assertThat(ari.requests())
        .contains("continue " + call.key().channelId() + " dead-run,s,1")
        .doesNotContain("hangup " + call.key().channelId());
    assertThat(ari.variable(call.key().channelId(), "DROP_MESSAGE"))
        .contains("custom/pingdialer-drop-de");
    assertThat(attempts.find(call.key()).orElseThrow().result().get().evidence())
        .extracting(Evidence::detail)
        .containsExactly("answered: sent to the drop message");
  }

  /**
   * A call an agent was on, still up with the agent's phone in its bridge, is left for the new run
   * to adopt ({@code on_restart: adopt}, the default); with {@code on_restart: end} it is ended.
   */
  @Test
  void aCallAnAgentWasOnIsLeftForTheNewRunToAdoptUnlessTheCampaignSaysEnd() throws Exception {
    Lead talking = dialing("030 1000021");
    Attempt call = placed(talking);
    channel(call.key().channelId());
    channel("agent-leg-a1");
    ari.setState(call.key().channelId(), ChannelState.UP);
    ari.setState("agent-leg-a1", ChannelState.UP);
    ari.createBridge("pd-agent-a1", "mixing", "agent a1");
    ari.addToBridge("pd-agent-a1", "agent-leg-a1");
    ari.addToBridge("pd-agent-a1", call.key().channelId());

    var report = DeadRunCleanup.clear(ari, campaign(), attempts, leads, RESTART);

    assertThat(report.adopted())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.attempt()).isEqualTo(call);
              assertThat(a.lead().id()).isEqualTo(talking.id());
              assertThat(a.agentId()).isEqualTo("a1");
              assertThat(a.agentChannelId()).isEqualTo("agent-leg-a1");
              assertThat(a.bridgeId()).isEqualTo("pd-agent-a1");
            });
    assertThat(ari.channels()).hasSize(2);
    assertThat(ari.bridges()).hasSize(1);
    assertThat(attempts.unfinished("kill")).hasSize(1);
    assertThat(leads.find(talking.id()).orElseThrow().state()).isEqualTo(LeadState.DIALING);

    Campaign ending =
        CampaignFiles.parse(
            CAMPAIGN_YAML.replace("agent_group: a", "agent_group: a\non_restart: end"),
            "kill.yaml");
    var ended = DeadRunCleanup.clear(ari, ending, attempts, leads, RESTART);
    assertThat(ended.adopted()).isEmpty();
    assertThat(ended.bridges()).isEqualTo(1);
    assertThat(ari.channels()).isEmpty();
    assertThat(attempts.find(call.key()).orElseThrow().result().orElseThrow().lived())
        .isEqualTo(DialOutcome.ANSWERED);
    assertThat(leads.find(talking.id()).orElseThrow().state()).isEqualTo(LeadState.WAITING);
  }

  private static AttemptResult result(
      Attempt attempt, DialOutcome outcome, Optional<String> agent, Instant bridged) {
    return new AttemptResult(
        attempt,
        outcome,
        16,
        null,
        Optional.empty(),
        new Timeline(T, T, T, null, bridged, bridged, null, T.plusSeconds(30)),
        agent,
        List.of(),
        false);
  }

  /** Line checks of a dead run are lost too, and their result says: check again. */
  @Test
  void aDeadRunsLineCheckIsLostAndInconclusive() throws Exception {
    Attempt check = attempts.place("kill", "4930100009", Attempt.Kind.LINE_CHECK, T);
    DeadRunCleanup.clear(ari, campaign(), attempts, leads, RESTART);
    AttemptStore.StoredAttempt stored = attempts.find(check.key()).orElseThrow();
    assertThat(stored.result().orElseThrow().outcome()).isEqualTo(DialOutcome.LOST);
    assertThat(stored.result().get().lineCheck()).contains(LineCheckResult.UNKNOWN);
  }
}
