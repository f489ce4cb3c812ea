package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.agent.AgentState;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.concurrent.Loops;

/** The engine's own duties around the transitions, with an in-memory ARI. */
class CallEngineTest {
  private final FakeAriClient ari = new FakeAriClient();
  private final InMemoryAttemptStore store = new InMemoryAttemptStore();

  /** The owner thread of the engines and their agents, as in a campaign run. */
  private final ScheduledExecutorService owner = Loops.ownerThread("test-calls");

  private final AgentPool agents =
      new AgentPool(owner, InstantSource.system(), Duration.ofMinutes(1));
  private final CallEngine engine = engine("c1", store, DialPolicy.lab(Duration.ofSeconds(5)));

  private CallEngine engine(String campaign, AttemptStore attempts, DialPolicy policy) {
    return new CallEngine(
        campaign,
        "carrier",
        ari,
        attempts,
        policy,
        InstantSource.system(),
        agents,
        CallEngine.Threads.around(owner, campaign));
  }

  @AfterEach
  void close() {
    engine.close();
    owner.shutdownNow();
  }

  /** Runs {@code change} on the owner thread and waits for it. */
  private void onOwner(Consumer<AgentPool> change) throws Exception {
    owner.submit(() -> change.accept(agents)).get(5, TimeUnit.SECONDS);
  }

  private void seat(AgentSeat seat) throws Exception {
    onOwner(pool -> pool.seat(seat));
  }

  /** The ready agents, the one ready longest first (who the next answered call gets). */
  private List<String> readyInLine() throws Exception {
    return owner.submit(agents::readyInLine).get(5, TimeUnit.SECONDS);
  }

  @Test
  void refusesToPlaceWhileTheEventsSocketIsDownAndStoresNothing() {
    assertThatThrownBy(
            () -> engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("events socket is down");
    assertThat(store.find(new AttemptKey("c1", 1))).isEmpty();
    assertThat(ari.requests()).isEmpty();
  }

  @Test
  void attemptIsStoredBeforeItsChannelIsCreated() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    AttemptKey key = engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);

    assertThat(store.find(key)).isPresent();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ari.requests().contains("create " + key.channelId()));
    assertThat(ari.channel(key.channelId()).orElseThrow().name())
        .isEqualTo("PJSIP/4930999100001@carrier");
  }

  @Test
  void aCreateAsteriskRefusesEndsLostAndIsStoredOnce() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    ari.answerCreatesWith(500);

    AttemptKey key = engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    AttemptResult result = engine.result(key).get(5, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(DialOutcome.LOST);
    assertThat(result.evidence()).extracting(Evidence::event).containsExactly("CommandFailed");
    assertThat(store.find(key).orElseThrow().result()).contains(result);
    assertThat(engine.snapshot().get().callsInFlight()).isZero();
    // Once stored, the engine forgets the call; its result is read back from the store.
    assertThat(engine.result(key).get(5, TimeUnit.SECONDS)).isEqualTo(result);
  }

  @Test
  void allCallsEndedCompletesWhenTheLastCallInFlightEndsAndAtOnceWhenNoneIs() throws Exception {
    engine.allCallsEnded().get(5, TimeUnit.SECONDS); // nothing in flight
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    AttemptKey key = engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    String id = key.channelId();
    await().until(() -> ari.requests().contains("create " + id));

    var ended = engine.allCallsEnded();
    engine.onEvent(new AriEvent.StasisStart(Instant.now(), "app", List.of("call"), up(id), null));
    await().until(() -> ari.requests().contains("dial " + id));
    assertThat(engine.snapshot().get(5, TimeUnit.SECONDS).callsInFlight()).isOne();
    assertThat(ended).isNotDone();

    engine.onEvent(
        new AriEvent.ChannelDestroyed(Instant.now(), "app", up(id), 16, "Normal Clearing", null));
    ended.get(5, TimeUnit.SECONDS);
    assertThat(engine.snapshot().get(5, TimeUnit.SECONDS).callsInFlight()).isZero();
  }

  @Test
  void allCallsEndedOfAClosedEngineFailsAtOnce() {
    engine.close();
    assertThatThrownBy(() -> engine.allCallsEnded().get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void allCallsEndedWaitsForACallStillBeingPlaced() throws Exception {
    var storing = new CountDownLatch(1);
    var mayStore = new CountDownLatch(1);
    // The store of a placement blocks until let go: the call is asked for and has no key yet.
    AttemptStore slowStore =
        (AttemptStore)
            Proxy.newProxyInstance(
                AttemptStore.class.getClassLoader(),
                new Class<?>[] {AttemptStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("write")) {
                    storing.countDown();
                    mayStore.await(5, TimeUnit.SECONDS);
                  }
                  try {
                    return method.invoke(store, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    var slow = engine("c2", slowStore, DialPolicy.lab(Duration.ofSeconds(5)));
    try {
      slow.onConnected(new AriEventStream.Connection(1, Optional.empty()));
      var key = slow.place("4930999100001", Attempt.Kind.CALL);
      assertThat(storing.await(5, TimeUnit.SECONDS)).isTrue();

      var ended = slow.allCallsEnded();
      Thread.sleep(200);
      assertThat(ended).as("a call being placed is in flight").isNotDone();

      mayStore.countDown();
      String id = key.get(5, TimeUnit.SECONDS).channelId();
      await().until(() -> ari.requests().contains("create " + id));
      assertThat(ended).isNotDone();
      slow.onEvent(
          new AriEvent.ChannelDestroyed(Instant.now(), "app", up(id), 16, "Normal Clearing", null));
      ended.get(5, TimeUnit.SECONDS);
      assertThat(store.find(key.get()).orElseThrow().result()).isPresent();
    } finally {
      slow.close();
    }
  }

  @Test
  void aReservedCallNeedsItsAgentReadyAndStoresNothingOtherwise() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    seat(new AgentSeat("agent1", "phone-1", "pd-agent-agent1"));
    onOwner(pool -> pool.pause("agent1", AgentState.PauseReason.byAgent("break")));

    assertThatThrownBy(
            () -> engine.placeWithAgent("4930999100001", "agent1").get(5, TimeUnit.SECONDS))
        .hasMessageContaining("agent agent1 is not ready");
    assertThatThrownBy(
            () -> engine.placeWithAgent("4930999100001", "agent9").get(5, TimeUnit.SECONDS))
        .hasMessageContaining("agent agent9 is not ready");
    assertThat(store.find(new AttemptKey("c1", 1))).isEmpty();
  }

  @Test
  void aReservedAgentGetsNoOtherCallAndIsFirstInLineAgainWhenItsCallEndsUnanswered()
      throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    List<String> told = new CopyOnWriteArrayList<>();
    agents.watch(
        new AgentPool.Listener() {
          @Override
          public void reserved(String agentId, AttemptKey call) {
            told.add("reserved " + agentId);
          }

          @Override
          public void changed(String agentId, AgentState before, AgentState after) {
            told.add(agentId + " " + after.status());
          }
        });
    seat(new AgentSeat("agent2", "phone-2", "pd-agent-agent2"));
    seat(new AgentSeat("agent1", "phone-1", "pd-agent-agent1"));
    ari.answerCreatesWith(500); // the call fails before it rings

    AttemptKey key = engine.placeWithAgent("4930999100001", "agent2").get(5, TimeUnit.SECONDS);
    AttemptResult result = engine.result(key).get(5, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(DialOutcome.LOST);
    assertThat(result.agentId()).isEmpty();
    assertThat(result.evidence()).extracting(Evidence::event).contains("AgentReserved");
    assertThat(told)
        .containsExactly(
            "agent2 READY", "agent1 READY", "agent2 RESERVED", "reserved agent2", "agent2 READY");
    // agent2 has waited longest all along: it is first in line again, before agent1.
    assertThat(readyInLine()).containsExactly("agent2", "agent1");
  }

  @Test
  void withAmdTheAnswerGoesToTheAmdContextAndTheAgentIsTakenOnlyWhenAPersonIsHeard()
      throws Exception {
    var amdEngine =
        engine(
            "c2",
            store,
            DialPolicy.lab(Duration.ofSeconds(5))
                .withMachineDetection(DialPolicy.OnMachine.HANG_UP));
    try {
      amdEngine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
      ari.createBridge("pd-agent-agent1", "mixing", "agent");
      seat(new AgentSeat("agent1", "phone-1", "pd-agent-agent1"));
      AttemptKey key = amdEngine.place("4930999850001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
      String id = key.channelId();
      var result = amdEngine.result(key);
      await().until(() -> ari.requests().contains("create " + id));

      amdEngine.onEvent(
          new AriEvent.StasisStart(Instant.now(), "app", List.of("call"), up(id), null));
      await().until(() -> ari.requests().contains("dial " + id));
      amdEngine.onEvent(new AriEvent.Dial(Instant.now(), "app", up(id), null, "ANSWER", "", null));
      await().until(() -> ari.requests().contains("continue " + id + " amd,s,1"));
      // AMD listens; the agent is not held meanwhile.
      assertThat(readyInLine()).containsExactly("agent1");

      amdEngine.onEvent(
          new AriEvent.StasisStart(
              Instant.now(), "app", List.of("amd", "HUMAN", "HUMAN-800-800"), up(id), null));
      await().until(() -> ari.requests().contains("addToBridge pd-agent-agent1 " + id));
      assertThat(readyInLine()).isEmpty();

      amdEngine.onEvent(
          new AriEvent.ChannelDestroyed(Instant.now(), "app", up(id), 16, "Normal Clearing", null));
      AttemptResult done = result.get(5, TimeUnit.SECONDS);
      assertThat(done.machineDetection().orElseThrow().detail()).isEqualTo("HUMAN HUMAN-800-800");
      assertThat(done.timeToDetection()).isPresent();
    } finally {
      amdEngine.close();
    }
  }

  @Test
  void aChannelAsteriskMadeAfterItsCreateTimedOutIsHungUpWhenItEntersStasis() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    // Every try of the create went unanswered (an overloaded PBX): the call is LOST...
    ari.dropNextCreates(Originator.MAX_TRIES);
    AttemptKey key = engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    assertThat(engine.result(key).get(5, TimeUnit.SECONDS).outcome()).isEqualTo(DialOutcome.LOST);
    // ...and then Asterisk works through its backlog and makes the channel all the same.
    ari.createChannel(
        new AriClient.ChannelSpec(
            "PJSIP/4930999100001@carrier", key.channelId(), "ulaw", List.of(), Map.of()));
    engine.onEvent(
        new AriEvent.StasisStart(Instant.now(), "app", List.of("call"), up(key.channelId()), null));

    await().until(() -> ari.channel(key.channelId()).isEmpty());
    assertThat(ari.requests())
        .containsOnlyOnce("hangup " + key.channelId())
        .doesNotContain("dial " + key.channelId());
    assertThat(store.find(key).orElseThrow().result().orElseThrow().outcome())
        .isEqualTo(DialOutcome.LOST);
  }

  @Test
  void pbxTroubleHoldsNewCallsLongerEachTimeUntilAsteriskCreatesAChannelAgain() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    List<AriPressure> told = new CopyOnWriteArrayList<>();
    engine.watchPressure(told::add);
    ari.answerCreatesWith(500);

    Instant before = Instant.now();
    for (int i = 0; i < 3; i++) {
      AttemptKey key = engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
      engine.result(key).get(5, TimeUnit.SECONDS);
    }
    await().until(() -> told.size() == 3);
    assertThat(told).extracting(AriPressure::troubledInARow).containsExactly(1, 2, 3);
    // 0.5 s, 1 s, 2 s: each hold ends after the one before.
    assertThat(told.get(2).holdUntil()).isAfter(before.plusMillis(1_999));
    assertThat(told.get(2).holding(Instant.now())).isPresent();

    ari.answerCreatesWith(0);
    AttemptKey key = engine.place("4930999100002", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    await().until(() -> told.size() == 4);
    assertThat(told.get(3).troubledInARow()).isZero();
    assertThat(told.get(3).holding(Instant.now())).isEmpty();
    assertThat(engine.pressure().get(5, TimeUnit.SECONDS).slow()).isFalse();
    assertThat(ari.channel(key.channelId())).isPresent();
  }

  @Test
  void aDialThePbxFailsToDoIsLostAndHungUpNotFailed() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    ari.answerDialsWith(503);

    AttemptKey key = engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    await().until(() -> ari.channel(key.channelId()).isPresent());
    engine.onEvent(
        new AriEvent.StasisStart(Instant.now(), "app", List.of("call"), up(key.channelId()), null));
    await().until(() -> ari.requests().contains("hangup " + key.channelId()));
    engine.onEvent(
        new AriEvent.ChannelDestroyed(
            Instant.now(), "app", up(key.channelId()), 16, "Normal Clearing", null));
    AttemptResult result = engine.result(key).get(5, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(DialOutcome.LOST);
    assertThat(result.evidence()).extracting(Evidence::event).contains("CommandFailed");
    assertThat(engine.pressure().get(5, TimeUnit.SECONDS).troubledInARow()).isEqualTo(1);
  }

  /**
   * Events Asterisk sent while the socket was down are lost: after the reconnect, a call still
   * waiting for its StasisStart whose channel exists is dialed, and one waiting for an answer whose
   * channel is up is answered (with the ready agent), from what the channels show.
   */
  @Test
  void afterAnEventsGapCallsCatchUpWithWhatTheirChannelsShow() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    seat(new AgentSeat("agent1", "phone-1", "pd-agent-agent1"));
    ari.createBridge("pd-agent-agent1", "mixing", "agent1");
    AttemptKey created = engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    AttemptKey ringing = engine.place("4930999100002", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    await().until(() -> ari.channel(ringing.channelId()).isPresent());
    engine.onEvent(
        new AriEvent.StasisStart(
            Instant.now(), "app", List.of("call"), up(ringing.channelId()), null));
    await().until(() -> ari.requests().contains("dial " + ringing.channelId()));

    engine.onDisconnected("ping timeout");
    // Meanwhile: the first call's StasisStart and the second's answer went unseen.
    ari.setState(ringing.channelId(), ChannelState.UP);
    engine.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(6))));

    await().until(() -> ari.requests().contains("dial " + created.channelId()));
    await()
        .until(
            () ->
                ari.bridge("pd-agent-agent1")
                    .map(b -> b.channels().contains(ringing.channelId()))
                    .orElse(false));
    assertThat(readyInLine()).isEmpty();
  }

  /**
   * A channel of the campaign that no call owns (its create timed out and the call ended LOST, and
   * its StasisStart fell into the gap) is hung up after the reconnect; the run's own call and
   * another campaign's channel stay.
   */
  @Test
  void afterAnEventsGapAChannelOfTheCampaignNoCallOwnsIsHungUp() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    AttemptKey live = engine.place("4930999100002", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    await().until(() -> ari.channel(live.channelId()).isPresent());
    String stray = new AttemptKey("c1", 77).channelId();
    String others = new AttemptKey("c2", 1).channelId();
    ari.createChannel(AriClient.ChannelSpec.of("PJSIP/x", stray));
    ari.createChannel(AriClient.ChannelSpec.of("PJSIP/x", others));

    engine.onDisconnected("ping timeout");
    engine.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(6))));

    await().until(() -> ari.requests().contains("hangup " + stray));
    assertThat(ari.requests()).doesNotContain("hangup " + live.channelId(), "hangup " + others);
  }

  /** A channel query that fails after a gap leaves the call's later commands working. */
  @Test
  void aFailedCheckAfterAnEventsGapDoesNotStopTheCallsCommands() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    seat(new AgentSeat("agent1", "phone-1", "pd-agent-agent1"));
    ari.createBridge("pd-agent-agent1", "mixing", "agent1");
    AttemptKey key = engine.place("4930999100002", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    await().until(() -> ari.channel(key.channelId()).isPresent());
    engine.onEvent(
        new AriEvent.StasisStart(Instant.now(), "app", List.of("call"), up(key.channelId()), null));
    await().until(() -> ari.requests().contains("dial " + key.channelId()));

    engine.onDisconnected("ping timeout");
    ari.failChannelQueries(true);
    long asked = asked(key);
    engine.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(6))));
    await().until(() -> asked(key) > asked); // the engine's check, which fails
    ari.failChannelQueries(false);

    // Answered now: the agent's bridge gets the call, a command on the call's chain.
    engine.onEvent(new AriEvent.ChannelStateChange(Instant.now(), "app", up(key.channelId())));
    await()
        .until(
            () ->
                ari.bridge("pd-agent-agent1")
                    .map(b -> b.channels().contains(key.channelId()))
                    .orElse(false));
  }

  @Test
  void aCalleeWhoseReservedAgentLeftWhileItRangGetsTheAgentReadyLongest() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    seat(new AgentSeat("agent2", "phone-2", "pd-agent-agent2"));
    seat(new AgentSeat("agent1", "phone-1", "pd-agent-agent1"));
    ari.createBridge("pd-agent-agent1", "mixing", "agent1");
    AttemptKey key = engine.placeWithAgent("4930999100001", "agent2").get(5, TimeUnit.SECONDS);
    String id = key.channelId();
    await().until(() -> ari.channel(id).isPresent());
    engine.onEvent(new AriEvent.StasisStart(Instant.now(), "app", List.of("call"), up(id), null));

    onOwner(pool -> pool.leave("agent2", "phone hung up"));
    engine.onEvent(new AriEvent.Dial(Instant.now(), "app", up(id), null, "ANSWER", "", null));

    await().until(() -> ari.requests().contains("addToBridge pd-agent-agent1 " + id));
    assertThat(ari.requests()).doesNotContain("addToBridge pd-agent-agent2 " + id);
    assertThat(agentState("agent1")).isEqualTo(AgentState.Status.RESERVED);
  }

  @Test
  void aCustomerWhoseAgentLeavesMidCallIsHungUpAndTheCallEndsAnswered() throws Exception {
    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    var seat = new AgentSeat("agent1", "phone-1", "pd-agent-agent1");
    seat(seat);
    ari.createBridge("pd-agent-agent1", "mixing", "agent1");
    AttemptKey key = engine.place("4930999100001", Attempt.Kind.CALL).get(5, TimeUnit.SECONDS);
    String id = key.channelId();
    await().until(() -> ari.channel(id).isPresent());
    engine.onEvent(new AriEvent.StasisStart(Instant.now(), "app", List.of("call"), up(id), null));
    engine.onEvent(new AriEvent.Dial(Instant.now(), "app", up(id), null, "ANSWER", "", null));
    await().until(() -> ari.requests().contains("addToBridge pd-agent-agent1 " + id));
    engine.onEvent(
        new AriEvent.ChannelEnteredBridge(
            Instant.now(), "app", ari.bridge("pd-agent-agent1").orElseThrow(), up(id)));
    await().until(() -> agentState("agent1") == AgentState.Status.ON_CALL);

    onOwner(pool -> pool.leave("agent1", "phone hung up")); // the desk saw the phone go

    await().until(() -> ari.requests().contains("hangup " + id));
    engine.onEvent(
        new AriEvent.ChannelDestroyed(Instant.now(), "app", up(id), 16, "Normal Clearing", null));
    AttemptResult result = engine.result(key).get(5, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(DialOutcome.ANSWERED);
    assertThat(result.agentId()).contains("agent1");
    assertThat(agentState("agent1")).isEqualTo(AgentState.Status.LOGGED_OUT);
  }

  private AgentState.Status agentState(String agentId) throws Exception {
    return owner.submit(() -> agents.state(agentId).status()).get(5, TimeUnit.SECONDS);
  }

  /** An adopted call whose customer left before this run's socket connected ends at the connect. */
  @Test
  void anAdoptedCallThatEndedBeforeTheFirstConnectionEndsThere() throws Exception {
    Attempt attempt = store.place("c1", "4930999100001", Attempt.Kind.CALL, Instant.now());
    var seat = new AgentSeat("agent1", "phone-1", "pd-agent-agent1");
    engine.adopt(attempt, Instant.now(), seat).get(5, TimeUnit.SECONDS);
    assertThat(engine.snapshot().get(5, TimeUnit.SECONDS).callsInFlight()).isEqualTo(1);

    engine.onConnected(new AriEventStream.Connection(1, Optional.empty()));

    AttemptResult result = engine.result(attempt.key()).get(5, TimeUnit.SECONDS);
    assertThat(result.agentId()).contains("agent1");
    assertThat(result.evidence()).extracting(Evidence::event).contains("Adopted", "ChannelGone");
  }

  private long asked(AttemptKey key) {
    return ari.requests().stream().filter(r -> r.equals("get " + key.channelId())).count();
  }

  private static AriChannel up(String id) {
    return new AriChannel(
        id, "PJSIP/carrier-1", ChannelState.UP, null, null, null, Instant.now(), Map.of());
  }

  private static ConditionFactory await() {
    return Awaitility.await().atMost(Duration.ofSeconds(5));
  }
}
