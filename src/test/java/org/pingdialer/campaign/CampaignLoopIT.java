package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.Disposition;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.ami.AmiMonitor;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.schedule.QuartzRedials;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcDispositionStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabAgentPhone;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabStack;

/**
 * The whole agent side of the loop against real Asterisk, the simulated network's personas, a real
 * SIP phone (sipp) logged in with its PIN, and the embedded database: leads claimed and dialed, an
 * answered callee put into the agent's bridge, the call ended and filed from the API, wrap-up,
 * pause, and what happens when the agent or the callee leaves.
 */
@LabStack
class CampaignLoopIT {
  /** Persona 90 answers at once and stays silent on the line for an hour. */
  private static final String STAYS = "+4930999900001";

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Database database;
  private JdbcLeadStore leads;
  private JdbcDispositionStore dispositions;
  private JdbcAttemptStore attempts;
  private OkHttpAriClient ari;
  private CallEngine engine;
  private CampaignLoop loop;
  private AgentDesk desk;
  private AgentAccount agent;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
    // Callees who stay on the line (persona 90) would outlive the test, and an agent's bridge
    // whose phone left as the desk closed would be found by the next test class on this stack.
    if (ari != null) {
      for (var channel : ari.channels()) {
        try {
          ari.hangup(channel.id(), "normal");
        } catch (RuntimeException e) {
          // gone meanwhile
        }
      }
      for (var bridge : ari.bridges()) {
        if (bridge.id().startsWith("pd-agent-")) {
          try {
            ari.destroyBridge(bridge.id());
          } catch (RuntimeException e) {
            // gone meanwhile
          }
        }
      }
    }
  }

  private static Campaign campaign(String pacing) throws Exception {
    return campaign(pacing, "no_answer: {after: 1h, max: 2}");
  }

  private static Campaign campaign(String pacing, String retry) throws Exception {
    return LabCampaigns.parse(
        """
        lists: [it]
        retry:
        %s
        pacing:
        %s
        line_check: off
        wrap_up: 4s
        """
            .formatted(retry.indent(2), pacing.indent(2)));
  }

  /** Everything of one dialer: store, engine, loop, desk, events socket; leads imported. */
  private void floor(AsteriskStack stack, Campaign campaign, String... numbers) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "h2-loop-");
    database = Database.embedded(dir);
    toClose.add(database);
    leads = new JdbcLeadStore(database);
    dispositions = new JdbcDispositionStore(database);
    LabCampaigns.importNumbers(leads, "it", numbers);
    ari = new OkHttpAriClient(stack.ari());
    attempts = new JdbcAttemptStore(database);
    ScheduledExecutorService owner = Loops.ownerThread("floor-it");
    toClose.add(() -> owner.shutdownNow().clear());
    var agents = new AgentPool(owner, InstantSource.system(), campaign.wrapUp());
    engine =
        new CallEngine(
            campaign.name(),
            campaign.trunk(),
            ari,
            attempts,
            campaign.dialPolicy(),
            InstantSource.system(),
            agents,
            CallEngine.Threads.around(owner, campaign.name()));
    toClose.add(engine);
    var redials =
        QuartzRedials.start(database, (c, lead, reason, at) -> loop.due(c, lead, reason, at));
    toClose.add(redials);
    loop =
        new CampaignLoop(
            campaign,
            "it-dialer",
            leads,
            dispositions,
            attempts,
            redials,
            engine,
            agents,
            InstantSource.system(),
            owner,
            Loops.worker("it-loop-store"));
    toClose.add(loop);
    desk =
        new AgentDesk(
            ari, agents, loop, ZoneId.of("Europe/Berlin"), owner, Loops.worker("it-desk-ari"));
    toClose.add(desk);
    var recorder = new EventRecorder();
    var stream =
        new AriEventStream(
            ari,
            Set.of(),
            InstantSource.system(),
            AriEventStream.Listener.all(List.of(engine, desk, recorder)));
    toClose.add(stream);
    stream.start();
    recorder.await(EventRecorder.Connected.class, c -> true, AriSession.WAIT);
    agent = stack.settings().orElseThrow().agents().getFirst();
  }

  private LabAgentPhone loginPhone(AsteriskStack stack) {
    var phone = LabAgentPhone.login(stack, agent, agent.pin(), 1);
    toClose.add(phone);
    await().atMost(WAIT).until(() -> status() == AgentState.Status.READY);
    return phone;
  }

  private AgentState.Status status() throws Exception {
    return status(agent);
  }

  private AgentState.Status status(AgentAccount who) throws Exception {
    AgentState state = desk.states().get(5, TimeUnit.SECONDS).get(who.id());
    return state == null ? AgentState.Status.LOGGED_OUT : state.status();
  }

  private CampaignLoop.Stats stats() throws Exception {
    return loop.stats().get(5, TimeUnit.SECONDS);
  }

  private Lead lead(String e164) {
    return leads.leadsOf("it", 100).stream()
        .filter(l -> l.e164().equals(e164))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anAnsweredCallJoinsTheAgentWhoEndsAndFilesItFromTheApiThenWrapUpEndsByItself(
      AsteriskStack stack) throws Exception {
    floor(stack, campaign("mode: progressive\nring_timeout: 10s"), STAYS);
    loginPhone(stack);
    long begin = System.nanoTime();
    loop.start().get(10, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> status() == AgentState.Status.ON_CALL);
    System.out.printf(
        "start -> agent on call: %d ms%n", Duration.ofNanos(System.nanoTime() - begin).toMillis());
    List<String> inBridge = ari.bridge(AgentDesk.bridgeOf(agent.id())).orElseThrow().channels();
    assertThat(inBridge).hasSize(2);
    String customer =
        inBridge.stream()
            .filter(id -> AttemptKey.fromChannelId(id).isPresent())
            .findFirst()
            .orElseThrow();
    assertThat(lead(STAYS).state()).isEqualTo(LeadState.DIALING);

    assertThat(desk.endCall(agent.id()).get(5, TimeUnit.SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> ari.channel(customer).isEmpty());
    await().atMost(WAIT).until(() -> status() == AgentState.Status.WRAP_UP);
    // The agent is still in its bridge, alone.
    assertThat(ari.bridge(AgentDesk.bridgeOf(agent.id())).orElseThrow().channels()).hasSize(1);

    assertThat(desk.file(agent.id(), new Disposition.Sale()).get(5, TimeUnit.SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> lead(STAYS).state() == LeadState.DONE);
    assertThat(lead(STAYS).doneReason()).contains(LeadEvent.DoneReason.SALE);
    AttemptKey call = AttemptKey.fromChannelId(customer).orElseThrow();
    assertThat(dispositions.of(call)).contains(new Disposition.Sale());
    assertThat(dispositions.codesBy(agent.id())).containsExactly("sale");

    // wrap_up: 4s, then ready again; nothing else to dial.
    await()
        .atMost(Duration.ofSeconds(8))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status() == AgentState.Status.READY);
    CampaignLoop.Stats stats = stats();
    assertThat(stats.placed()).isEqualTo(1);
    assertThat(stats.outcomes()).containsEntry(DialOutcome.ANSWERED, 1L);
    assertThat(stats.filed()).containsEntry("sale", 1L);
    assertThat(stats.awaitingFiling()).isZero();

    var agentStats = desk.stats(agent.id()).get(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(agentStats.calls()).isEqualTo(1);
    assertThat(agentStats.dispositions()).containsExactly(Map.entry("sale", 1));
    assertThat(agentStats.talk()).isPositive();
    assertThat(agentStats.wrap()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(6));
    assertThat(agentStats.loggedIn())
        .isGreaterThanOrEqualTo(agentStats.talk().plus(agentStats.wrap()));
  }

  /**
   * The hopper ran dry with an agent waiting; leads imported then (the API tells the loop) are
   * dialed at once, not at the hopper's retry 30 s later.
   */
  @Test
  void leadsImportedWhileTheHopperIsDryAreDialedAsSoonAsTheLoopIsTold(AsteriskStack stack)
      throws Exception {
    floor(stack, campaign("mode: progressive\nring_timeout: 10s"));
    loginPhone(stack);
    loop.start().get(10, TimeUnit.SECONDS);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> stats().placed() == 0 && status() == AgentState.Status.READY);

    LabCampaigns.importNumbers(leads, "it", STAYS);
    long told = System.nanoTime();
    loop.leadsArrived();
    await().atMost(Duration.ofSeconds(5)).until(() -> status() == AgentState.Status.ON_CALL);
    System.out.printf(
        "leads arrived -> agent on call: %d ms%n",
        Duration.ofNanos(System.nanoTime() - told).toMillis());
    assertThat(stats().placed()).isEqualTo(1);
  }

  @Test
  void aCalleeWhoHangsUpLeavesTheAgentInWrapUpAndAnUnfiledCallIsRedialedLater(AsteriskStack stack)
      throws Exception {
    // Persona 70 answers after 1 s and hangs up about 3 s later.
    String hangsUp = "+4930999700001";
    floor(stack, campaign("mode: progressive\nring_timeout: 10s"), hangsUp);
    loginPhone(stack);
    loop.start().get(10, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> status() == AgentState.Status.ON_CALL);
    await().atMost(WAIT).until(() -> status() == AgentState.Status.WRAP_UP);
    // Nobody files: when wrap-up ends the lead waits for a redial (the no_answer rule's 1 h).
    await().atMost(Duration.ofSeconds(10)).until(() -> status() == AgentState.Status.READY);
    await().atMost(WAIT).until(() -> lead(hangsUp).state() == LeadState.WAITING);
    Lead waiting = lead(hangsUp);
    assertThat(waiting.waitReason()).contains(LeadEvent.WaitReason.REDIAL);
    assertThat(waiting.dueAt().orElseThrow())
        .isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plusSeconds(3600));
    assertThat(stats().placed()).isEqualTo(1);
  }

  @Test
  void aBusyNumberIsRedialedWhenItsQuartzTriggerFiresUntilTheRulesMaxThenFinished(
      AsteriskStack stack) throws Exception {
    // Persona 20 is busy at once. busy: after 4s, max 2 -> three calls in all, ~4 s apart; the
    // hopper's own retry is 30 s, so only the Quartz trigger can make the redials this quick.
    String busy = "+4930999200001";
    floor(
        stack, campaign("mode: progressive\nring_timeout: 10s", "busy: {after: 4s, max: 2}"), busy);
    loginPhone(stack);
    long begin = System.nanoTime();
    loop.start().get(10, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(25)).until(() -> lead(busy).state() == LeadState.DONE);
    System.out.printf(
        "three busy calls, two Quartz redials: %d ms%n",
        Duration.ofNanos(System.nanoTime() - begin).toMillis());
    assertThat(lead(busy).doneReason()).contains(LeadEvent.DoneReason.MAX_ATTEMPTS);
    assertThat(lead(busy).attempts()).isEqualTo(3);
    assertThat(stats().outcomes()).containsEntry(DialOutcome.BUSY, 3L);
    assertThat(status()).isEqualTo(AgentState.Status.READY);
  }

  @Test
  void anAgentOnlyCallbackFiresAtItsTimeWithItsOwnAgentReservedThoughAnotherWaitedLonger(
      AsteriskStack stack) throws Exception {
    floor(stack, campaign("mode: progressive\nring_timeout: 10s"), STAYS);
    AgentAccount second = stack.settings().orElseThrow().agents().get(1);
    loginPhone(stack); // the first agent, paused for now
    desk.pause(agent.id(), AgentState.PauseReason.byAgent("break")).get(5, TimeUnit.SECONDS);
    var phone = LabAgentPhone.login(stack, second, second.pin(), 1, 1);
    toClose.add(phone);
    await().atMost(WAIT).until(() -> status(second) == AgentState.Status.READY);
    loop.start().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> status(second) == AgentState.Status.ON_CALL);

    // The callee asks the second agent to call back in a few seconds; the first agent comes back
    // from its break while the second is still in wrap-up, so the first has waited longest.
    assertThat(desk.endCall(second.id()).get(5, TimeUnit.SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> status(second) == AgentState.Status.WRAP_UP);
    assertThat(desk.resume(agent.id()).get(5, TimeUnit.SECONDS).status())
        .isEqualTo(AgentState.Status.READY);
    Instant at = Instant.now().plusSeconds(8);
    var callback = new Disposition.Callback(at, Optional.of(second.id()));
    assertThat(desk.file(second.id(), callback).get(5, TimeUnit.SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> lead(STAYS).state() == LeadState.WAITING);
    assertThat(lead(STAYS).callbackAgent()).contains(second.id());
    await().atMost(WAIT).until(() -> status(second) == AgentState.Status.READY);
    assertThat(Instant.now()).isBefore(at);

    // Any other call would go to the first agent (longest idle); the callback is the second's.
    await().atMost(WAIT).until(() -> status(second) == AgentState.Status.ON_CALL);
    assertThat(Instant.now()).isAfterOrEqualTo(at.minusMillis(100));
    assertThat(status()).isEqualTo(AgentState.Status.READY);
    assertThat(ari.bridge(AgentDesk.bridgeOf(second.id())).orElseThrow().channels()).hasSize(2);
    assertThat(ari.bridge(AgentDesk.bridgeOf(agent.id())).orElseThrow().channels()).hasSize(1);
    assertThat(stats().placed()).isEqualTo(2);
    // Progressive: every call is placed with its agent reserved, the callback with its own.
    assertThat(stats().placedWithAgent()).isEqualTo(2);
    assertThat(stats().agentRedials()).isEqualTo(1); // the callback
  }

  @Test
  void whenTheAgentLeavesMidCallTheCalleeIsHungUpAndNothingMoreIsDialed(AsteriskStack stack)
      throws Exception {
    String second = "+4930999900002";
    floor(stack, campaign("mode: progressive\nring_timeout: 10s"), STAYS, second);
    LabAgentPhone phone = loginPhone(stack);
    loop.start().get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> status() == AgentState.Status.ON_CALL);
    String customer =
        ari.bridge(AgentDesk.bridgeOf(agent.id())).orElseThrow().channels().stream()
            .filter(id -> AttemptKey.fromChannelId(id).isPresent())
            .findFirst()
            .orElseThrow();

    // The agent's phone leaves (the PBX hangs it up, as when the agent hangs up).
    assertThat(desk.logout(agent.id()).get(5, TimeUnit.SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> ari.channel(customer).isEmpty());
    await().atMost(WAIT).until(() -> status() == AgentState.Status.LOGGED_OUT);
    phone.awaitSuccess(Duration.ofSeconds(15));

    // The last agent is gone: the second lead is not dialed.
    Thread.sleep(4_000);
    CampaignLoop.Stats stats = stats();
    assertThat(stats.seatedAgents()).isZero();
    assertThat(stats.placed()).isEqualTo(1);
    assertThat(lead(second).state()).isEqualTo(LeadState.NEW);
    assertThat(ari.channels()).isEmpty();
  }

  @Test
  void aPredictiveCampaignIsPacedByThePredictivePacerUnderTheGovernor(AsteriskStack stack)
      throws Exception {
    floor(
        stack,
        campaign("mode: predictive\nmax_abandon_rate: 0.03\nmax_channels: 5\nring_timeout: 10s"),
        STAYS,
        "+4930999900002",
        "+4930999900003");
    loginPhone(stack);
    loop.start().get(10, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> status() == AgentState.Status.ON_CALL);
    // A campaign with no answers yet today: one drop would pass the cap, so the governor allows
    // one call per agent (each with its agent reserved): one call at a time, no callee dropped.
    Thread.sleep(2_000);
    CampaignLoop.Stats stats = stats();
    assertThat(stats.placed()).isEqualTo(1);
    assertThat(stats.placedWithAgent()).isEqualTo(1);
    assertThat(stats.governor()).isPresent();
    assertThat(stats.governor().get().why()).contains("one more abandon would pass the cap");
    assertThat(stats.outcomes()).doesNotContainKey(DialOutcome.ABANDONED);
  }

  @Test
  void aPausedAgentGetsNoCallUntilResumed(AsteriskStack stack) throws Exception {
    floor(stack, campaign("mode: progressive\nring_timeout: 10s"), STAYS);
    loginPhone(stack);
    assertThat(desk.pause(agent.id(), AgentState.PauseReason.byAgent("break")).get().status())
        .isEqualTo(AgentState.Status.PAUSED);
    loop.start().get(10, TimeUnit.SECONDS);
    Thread.sleep(3_000);
    assertThat(stats().placed()).isZero();
    assertThat(lead(STAYS).state()).isEqualTo(LeadState.NEW);

    assertThat(desk.resume(agent.id()).get().status()).isEqualTo(AgentState.Status.READY);
    await().atMost(WAIT).until(() -> status() == AgentState.Status.ON_CALL);
    assertThat(stats().placed()).isEqualTo(1);

    // A pause asked for during the call starts after the wrap-up; from then on the agent is not
    // busy with a call any more (a predictive pacer must not expect it back), only held.
    assertThat(desk.pause(agent.id(), AgentState.PauseReason.byAgent("break")).get().status())
        .isEqualTo(AgentState.Status.ON_CALL);
    assertThat(stats().agentsTalking()).isEqualTo(1);
    assertThat(desk.endCall(agent.id()).get(5, TimeUnit.SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> status() == AgentState.Status.PAUSED);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> stats().agentsTalking() == 0 && stats().agentsWrappingUp() == 0);
    assertThat(stats().awaitingFiling()).isZero(); // not filed: settled for a redial
    assertThat(stats().placed()).isEqualTo(1);
  }

  @Test
  void anAgentWhosePhoneStopsAnsweringIsPausedAndGetsNoCall(AsteriskStack stack) throws Exception {
    floor(stack, campaign("mode: progressive\nring_timeout: 10s"), STAYS);
    var ami = AmiMonitor.connect(stack.ami(), InstantSource.system(), desk);
    toClose.add(ami);
    LabAgentPhone phone = loginPhone(stack);
    // A frozen phone answers no OPTIONS: qualify (every 15 s) marks it unreachable.
    phone.signal("STOP");
    await().atMost(Duration.ofSeconds(40)).until(() -> status() == AgentState.Status.PAUSED);
    assertThat(desk.states().get().get(agent.id()).pause())
        .contains(AgentState.PauseReason.PHONE_UNREACHABLE);
    loop.start().get(10, TimeUnit.SECONDS);
    Thread.sleep(3_000);
    assertThat(stats().placed()).isZero();
    assertThat(lead(STAYS).state()).isEqualTo(LeadState.NEW);
    phone.signal("CONT");
  }

  @Test
  void withAmdAMachineIsStoredAsMachineAndRedialedByItsRuleWhileAPersonReachesTheAgent(
      AsteriskStack stack) throws Exception {
    // Persona 81: a machine with a 2.8 s greeting; persona 85: a person who says "Hello?".
    String machine = "+4930999810001";
    String person = "+4930999850001";
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [it]
            retry:
              machine: {after: 1h, max: 2}
            pacing:
              mode: progressive
              ring_timeout: 10s
            line_check: off
            wrap_up: 4s
            amd: {enabled: true}
            """);
    floor(stack, campaign, machine, person);
    loginPhone(stack);
    loop.start().get(10, TimeUnit.SECONDS);

    // Progressive, one agent: the two leads are dialed one after the other, in either order.
    await().atMost(Duration.ofSeconds(40)).until(() -> status() == AgentState.Status.ON_CALL);
    assertThat(desk.endCall(agent.id()).get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(desk.file(agent.id(), new Disposition.Sale()).get(5, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(40)).until(() -> lead(machine).state() == LeadState.WAITING);

    Lead waiting = lead(machine);
    assertThat(waiting.waitReason()).contains(LeadEvent.WaitReason.REDIAL);
    assertThat(waiting.dueAt().orElseThrow())
        .isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plusSeconds(3600));
    await().atMost(WAIT).until(() -> lead(person).state() == LeadState.DONE);

    List<AttemptResult> results = new ArrayList<>();
    for (long n = 1; n <= 2; n++) {
      attempts
          .find(new AttemptKey(campaign.name(), n))
          .flatMap(AttemptStore.StoredAttempt::result)
          .ifPresent(results::add);
    }
    assertThat(results).hasSize(2);
    for (var result : results) {
      String verdict = result.machineDetection().orElseThrow().detail();
      if (result.attempt().number().replace("+", "").equals(machine.substring(1))) {
        assertThat(result.outcome()).isEqualTo(DialOutcome.MACHINE);
        assertThat(verdict).startsWith("MACHINE LONGGREETING-");
        assertThat(result.agentId()).isEmpty();
      } else {
        assertThat(result.outcome()).isEqualTo(DialOutcome.ANSWERED);
        assertThat(verdict).startsWith("HUMAN HUMAN-");
        assertThat(result.agentId()).contains(agent.id());
      }
    }
    assertThat(stats().outcomes())
        .containsEntry(DialOutcome.MACHINE, 1L)
        .containsEntry(DialOutcome.ANSWERED, 1L);
  }
}
