package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.Disposition;
import org.pingdialer.agent.DispositionStore;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.InMemoryAttemptStore;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lead.InMemoryLeadStore;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.schedule.Redials;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.ManualScheduler;

/**
 * The campaign loop with its call engine on an in-memory ARI and in-memory stores, every thread of
 * both on one scheduler whose time the test moves: the preview flow, abandon handling and the
 * redials they lead to, without a PBX and without a wait.
 */
class CampaignLoopTest {
  private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

  private final ManualScheduler time = new ManualScheduler(T);
  private final FakeAriClient ari = new FakeAriClient();
  private final InMemoryAttemptStore attempts = new InMemoryAttemptStore();
  private final InMemoryLeadStore leads = new InMemoryLeadStore();
  private final List<String> scheduled = new ArrayList<>();
  private AgentPool agents;
  private CallEngine engine;
  private CampaignLoop loop;

  private final Redials redials =
      new Redials() {
        @Override
        public void schedule(
            String campaign, long leadId, LeadEvent.WaitReason reason, Instant at) {
          scheduled.add(leadId + " " + reason + " in " + Duration.between(time.now(), at));
        }

        @Override
        public int rebuild(String campaign, List<Lead> waiting) {
          return 0;
        }

        @Override
        public void close() {}
      };

  private final DispositionStore dispositions =
      new DispositionStore() {
        @Override
        public void file(Filing filing) {}

        @Override
        public Optional<Disposition> of(AttemptKey attempt) {
          return Optional.empty();
        }

        @Override
        public List<String> codesBy(String agentId) {
          return List.of();
        }
      };

  private void start(Campaign campaign, String... numbers) {
    LabCampaigns.importNumbers(leads, "bought", numbers);
    agents = new AgentPool(time, time.clock(), campaign.wrapUp());
    engine =
        new CallEngine(
            campaign.name(),
            campaign.trunk(),
            ari,
            attempts,
            campaign.dialPolicy(),
            time.clock(),
            agents,
            new CallEngine.Threads(time, time, time));
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    loop =
        new CampaignLoop(
            campaign,
            "test",
            leads,
            dispositions,
            attempts,
            redials,
            engine,
            agents,
            time.clock(),
            time,
            time);
    var started = loop.start();
    time.runPending();
    assertThat(started).isCompleted();
  }

  private void seat(String agent) {
    ari.createBridge("pd-agent-" + agent, "mixing", agent);
    agents.seat(new AgentSeat(agent, "phone-" + agent, "pd-agent-" + agent)); // as the desk does
    time.runPending();
  }

  @AfterEach
  void close() {
    if (loop != null) {
      loop.close();
      engine.close();
    }
  }

  private List<String> created() {
    return ari.requests().stream().filter(r -> r.startsWith("create ")).toList();
  }

  private static AriChannel channel(String id, ChannelState state) {
    return new AriChannel(id, "PJSIP/carrier-1", state, null, null, null, T, Map.of());
  }

  /** The callee's channel enters the app and is dialed, then answers. */
  private void answers(String channelId) {
    engine.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of("call"), channel(channelId, ChannelState.DOWN), null));
    time.runPending();
    time.advance(Duration.ofSeconds(3));
    engine.onEvent(
        new AriEvent.ChannelStateChange(T, "pingdialer", channel(channelId, ChannelState.UP)));
    time.runPending();
  }

  private void gone(String channelId, int cause) {
    engine.onEvent(
        new AriEvent.ChannelDestroyed(
            T, "pingdialer", channel(channelId, ChannelState.UP), cause, "", null));
    time.runPending();
  }

  private static String idOf(String createRequest) {
    return createRequest.substring("create ".length());
  }

  @Test
  void aCampaignWithNothingToDialHandsItsAgentsToTheFloorsOtherCampaignUntilLeadsArrive()
      throws Exception {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 20s}
            line_check: off
            """);
    start(campaign);
    // Two campaigns on the pool, equal in priority and weight ("it-…" comes first by name).
    agents.join(
        new AgentPool.Membership(campaign.name(), Campaign.Share.EVERYONE, campaign.wrapUp()));
    agents.join(
        new AgentPool.Membership("zz-other", Campaign.Share.EVERYONE, Duration.ofSeconds(10)));
    agents.open("zz-other", true);
    seat("agent1");
    // The hopper had nothing: the agent works the other campaign.
    assertThat(agents.campaignOf("agent1")).contains("zz-other");
    assertThat(created()).isEmpty();

    LabCampaigns.importNumbers(leads, "bought", "+4930999111072");
    loop.leadsArrived();
    time.runPending();
    // A lead again: the campaign wants its agents back, and dials.
    assertThat(created()).hasSize(1);
    assertThat(agents.campaignOf("agent1")).contains(campaign.name());
  }

  /**
   * A campaign stopped while calls it placed without an agent ring keeps its agents until those
   * calls have theirs or end: handed to another campaign at once, they were reserved there and the
   * stopped campaign's callees were dropped. Then they go to the other campaign.
   */
  @Test
  void aStoppedCampaignKeepsItsAgentsUntilItsRingingCallsHaveTheirs() throws Exception {
    Campaign campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: power, ratio: 2.0, ring_timeout: 20s}
            line_check: off
            """);
    start(campaign, "+4930999111070", "+4930999111071", "+4930999111072");
    agents.join(
        new AgentPool.Membership(campaign.name(), Campaign.Share.EVERYONE, campaign.wrapUp()));
    agents.join(
        new AgentPool.Membership("zz-other", Campaign.Share.EVERYONE, Duration.ofSeconds(10)));
    agents.open("zz-other", true);
    seat("agent1");
    assertThat(created()).hasSize(2); // power 2.0: two calls for the one agent, none reserved
    String first = idOf(created().get(0));
    String second = idOf(created().get(1));

    var stopped = loop.stop();
    time.runPending();
    assertThat(stopped).isCompleted();
    assertThat(agents.campaignOf("agent1")).contains(campaign.name());

    answers(first);
    assertThat(ari.requests()).contains("addToBridge pd-agent-agent1 " + first);
    gone(second, 19); // nobody answered the other: nothing of the campaign rings any more
    gone(first, 16);
    time.advance(Duration.ofMinutes(1)); // the wrap-up ends
    time.runPending();
    assertThat(agents.campaignOf("agent1")).contains("zz-other");
    assertThat(created()).hasSize(2);
  }

  /**
   * Progressive: one call per agent, each placed with the agent ready longest reserved for it, so
   * nobody else (an inbound caller, another campaign) takes that agent while the call rings; its
   * callee gets that agent, and a call nobody answers gives the agent back.
   */
  @Test
  void aProgressiveCallIsPlacedWithTheAgentReadyLongestReservedForIt() throws Exception {
    start(
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 20s}
            line_check: off
            """),
        "+4930999111070",
        "+4930999111071",
        "+4930999111072");
    seat("agent2");
    time.advance(Duration.ofSeconds(1));
    seat("agent1");
    time.runPending();

    List<String> calls = created();
    assertThat(calls).hasSize(2);
    // Both agents are reserved, the one ready longest for the first call.
    assertThat(agents.state("agent2").status()).isEqualTo(AgentState.Status.RESERVED);
    assertThat(agents.state("agent1").status()).isEqualTo(AgentState.Status.RESERVED);
    assertThat(agents.readyInLine()).isEmpty();
    var asked = loop.stats();
    time.runPending();
    assertThat(asked.getNow(null).placedWithAgent()).isEqualTo(2);

    answers(idOf(calls.get(0)));
    assertThat(ari.bridge("pd-agent-agent2").orElseThrow().channels()).contains(idOf(calls.get(0)));
    // The second call is not answered: its agent is ready again and gets the third lead.
    gone(idOf(calls.get(1)), 19);
    time.advance(Duration.ofSeconds(1));
    time.runPending();
    assertThat(created()).hasSize(3);
    assertThat(agents.state("agent1").status()).isEqualTo(AgentState.Status.RESERVED);
  }

  @Test
  void aPreviewIsDialedWhenItsTimeIsUpNotBeforeWithItsAgentReserved() throws Exception {
    start(
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: preview, preview_time: 15s, ring_timeout: 20s}
            line_check: off
            """),
        "+4930999111070");
    seat("agent1");
    assertThat(agents.preview("agent1")).map(Lead::e164).contains("+4930999111070");
    assertThat(agents.state("agent1").status()).isEqualTo(AgentState.Status.RESERVED);
    assertThat(created()).isEmpty();

    time.advance(Duration.ofSeconds(15).minusMillis(1));
    assertThat(created()).isEmpty();
    time.advance(Duration.ofMillis(1));

    assertThat(created()).hasSize(1);
    var asked = loop.stats();
    time.runPending();
    assertThat(asked.getNow(null).placedWithAgent()).isEqualTo(1);
    assertThat(leads.leadsOf("bought", 10).getFirst().state()).isEqualTo(LeadState.DIALING);
  }

  @Test
  void aCalleeAnsweredWithNoAgentFreeIsAbandonedAndRedialedWithAnAgentReserved() throws Exception {
    start(
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: power, ratio: 2.0, ring_timeout: 20s}
            line_check: off
            retry:
              abandoned: {after: 1m, max: 3, agent_reserved: true}
            """),
        "+4930999111071",
        "+4930999111072");
    seat("agent1");
    // Power 2.0: two calls for the one agent.
    assertThat(created()).hasSize(2);
    String first = idOf(created().get(0));
    String second = idOf(created().get(1));

    answers(first); // takes the agent
    assertThat(ari.requests()).contains("addToBridge pd-agent-agent1 " + first);
    answers(second); // nobody left: dropped
    assertThat(ari.requests()).contains("hangup " + second);
    gone(second, 16);

    var result = engine.result(AttemptKey.fromChannelId(second).orElseThrow());
    time.runPending();
    assertThat(result.getNow(null).outcome()).isEqualTo(DialOutcome.ABANDONED);
    Lead dropped =
        leads.leadsOf("bought", 10).stream()
            .filter(l -> l.e164().equals("+4930999111072"))
            .findFirst()
            .orElseThrow();
    assertThat(dropped.state()).isEqualTo(LeadState.WAITING);
    assertThat(dropped.waitReason()).contains(LeadEvent.WaitReason.AGENT_REDIAL);
    assertThat(scheduled).containsExactly(dropped.id() + " AGENT_REDIAL in PT1M");
    var stats = loop.stats();
    time.runPending();
    assertThat(stats.getNow(null).outcomes()).containsEntry(DialOutcome.ABANDONED, 1L);
  }

  /**
   * The PBX hang in OverloadIT, reduced: a call's ChannelDestroyed is lost (sent while the events
   * socket reconnected), so nothing ends it. A check of its channel does, and dialing goes on.
   */
  @Test
  void aCallWhoseEndWasNeverSeenIsFoundGoneAndTheNextCallIsPlaced() throws Exception {
    start(
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 20s}
            line_check: off
            """),
        "+4930999111081",
        "+4930999111082");
    seat("agent1");
    assertThat(created()).hasSize(1);
    String first = idOf(created().get(0));
    engine.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of("call"), channel(first, ChannelState.DOWN), null));
    time.runPending();

    time.advance(Duration.ofSeconds(20)); // the ring timeout: hung up, its end never told
    assertThat(ari.requests()).contains("hangup " + first);
    time.advance(Duration.ofSeconds(4));
    assertThat(created()).as("the agent's one call still counts as ringing").hasSize(1);

    time.advance(Duration.ofSeconds(1));
    var result = engine.result(AttemptKey.fromChannelId(first).orElseThrow());
    time.runPending();
    assertThat(result.getNow(null).outcome()).isEqualTo(DialOutcome.NO_ANSWER);
    assertThat(result.getNow(null).cause()).isZero();
    assertThat(result.getNow(null).evidence())
        .anyMatch(
            e ->
                e.event().equals("QuietCheck")
                    && e.detail().equals("Releasing for 5 s: channel gone, missed ChannelGone"));
    assertThat(created()).hasSize(2);
  }

  /**
   * A lost StasisStart: the channel is there, so the call is dialed; the late start changes
   * nothing.
   */
  @Test
  void aCallWhoseStasisStartWasNeverSeenIsDialedAndALateStartChangesNothing() throws Exception {
    start(
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing: {mode: progressive, ring_timeout: 20s}
            line_check: off
            """),
        "+4930999111083");
    seat("agent1");
    String first = idOf(created().get(0));
    time.advance(Duration.ofSeconds(5).minusMillis(1));
    assertThat(ari.requests()).doesNotContain("dial " + first);

    time.advance(Duration.ofMillis(1));
    assertThat(ari.requests()).contains("dial " + first);
    engine.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of("call"), channel(first, ChannelState.DOWN), null));
    time.runPending();
    assertThat(ari.requests()).doesNotContain("hangup " + first);
    engine.onEvent(
        new AriEvent.ChannelStateChange(T, "pingdialer", channel(first, ChannelState.UP)));
    time.runPending();
    assertThat(ari.requests()).contains("addToBridge pd-agent-agent1 " + first);
  }
}
