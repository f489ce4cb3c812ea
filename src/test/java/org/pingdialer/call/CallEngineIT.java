package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EngineOnStack;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabStack;

/** The call engine against real Asterisk and the simulated network's personas. */
@LabStack
class CallEngineIT {
  /**
   * The tests that also run on containerized Asterisk in CI's Docker half (tagged so): what the
   * PBX's packaging could change (personas, bridges, drop messages, line checks, fifty calls at
   * once). The rest test the engine's own recovery rules, the same on either runtime.
   */
  private static final String BOTH_RUNTIMES = "docker";

  private static final List<String> DROP_MESSAGE =
      List.of("sound:vm-nobodyavail", "digits:4930999000000");

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private OkHttpAriClient ari;
  private EventRecorder recorder;
  private EngineOnStack current;

  /** Whether ARI events reach the engine; closed to simulate a lost socket for the engine alone. */
  private final Gate gate = new Gate();

  private static final class Gate {
    private volatile boolean open = true;

    /** Events of these types for the engine's calls (channels pd-*) never reach the engine. */
    private volatile Set<Class<? extends AriEvent>> lostTypes = Set.of();

    void close() {
      open = false;
    }

    void lose(Set<Class<? extends AriEvent>> types) {
      lostTypes = types;
    }

    boolean loses(AriEvent event) {
      String channel = AriCallEvents.subjectChannel(event); // a playback's too
      return channel != null && channel.startsWith("pd-") && lostTypes.contains(event.getClass());
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  @Test
  @Tag(BOTH_RUNTIMES)
  void eachPersonaEndsWithItsOutcomeCauseAndEvidence(AsteriskStack stack) throws Exception {
    // 8 s: long enough for the intercept announcement (5 s of early media) to end by itself.
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(8)));
    Map<String, DialOutcome> expected =
        Map.of(
            "4930999200001", DialOutcome.BUSY,
            "4930999300001", DialOutcome.NO_ANSWER,
            "4930999400001", DialOutcome.UNALLOCATED,
            "4930999410001", DialOutcome.UNALLOCATED,
            "4930999500001", DialOutcome.CONGESTION,
            "4930999600001", DialOutcome.REJECTED,
            // A callee who hangs up while it rings reaches us as a decline (603, cause 21).
            "4930999710001", DialOutcome.REJECTED);
    Map<String, CompletableFuture<AttemptResult>> results = new HashMap<>();
    for (String number : expected.keySet()) {
      results.put(number, resultOf(engine, number, Attempt.Kind.CALL));
    }
    for (var entry : expected.entrySet()) {
      AttemptResult result = results.get(entry.getKey()).get(40, TimeUnit.SECONDS);
      assertThat(result.outcome())
          .as(entry.getKey() + " " + result.evidence())
          .isEqualTo(entry.getValue());
      assertThat(result.evidence())
          .extracting(Evidence::event)
          .contains("StasisStart", "ChannelDestroyed");
      assertThat(result.controllerError()).isFalse();
    }

    AttemptResult busy = results.get("4930999200001").get();
    assertThat(List.of(busy.cause(), busy.techCause())).isEqualTo(List.of(17, 486));
    AttemptResult noAnswer = results.get("4930999300001").get();
    assertThat(noAnswer.cause()).isEqualTo(19);
    assertThat(noAnswer.timeline().ringDuration())
        .isBetween(Duration.ofSeconds(7), Duration.ofSeconds(10));
    assertThat(results.get("4930999410001").get().timeline().progressAt()).isNotNull();
    AttemptResult hungUp = results.get("4930999710001").get();
    assertThat(List.of(hungUp.cause(), hungUp.techCause())).isEqualTo(List.of(21, 603));
    assertThat(hungUp.timeline().ringDuration()).isGreaterThan(Duration.ofMillis(1500));
    assertThat(hungUp.timeline().answeredAt()).isNull();
    assertNothingLeftInAsterisk(Set.of());
  }

  @Test
  @Tag(BOTH_RUNTIMES)
  void answeredCallJoinsTheLongestIdleAgentsBridgeAndTheAgentIsFreeAgainAfterwards(
      AsteriskStack stack) throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(10)));
    List<String> agentCalls = new CopyOnWriteArrayList<>();
    current.floor.agents.watch(
        new AgentPool.Listener() {
          @Override
          public void reserved(String agentId, AttemptKey call) {
            agentCalls.add("reserved " + agentId + " " + call.channelId());
          }

          @Override
          public void connected(String agentId, AttemptKey call) {
            agentCalls.add("connected " + agentId + " " + call.channelId());
          }

          @Override
          public void workDone(String agentId, Duration talk, Duration wrapUp) {
            agentCalls.add("work done " + agentId);
          }
        });
    AgentSeat first = agent(engine);
    AgentSeat second = agent(engine);

    AttemptKey key = engine.place("4930999101001", Attempt.Kind.CALL).get(10, TimeUnit.SECONDS);
    CompletableFuture<AttemptResult> result = engine.result(key);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> ari.bridge(first.bridgeId()).orElseThrow().channels().contains(key.channelId()));
    assertThat(ari.bridge(first.bridgeId()).orElseThrow().channels())
        .containsExactlyInAnyOrder(first.channelId(), key.channelId());
    assertThat(current.floor.readyInLine()).containsExactly(second.agentId());

    CompletableFuture<AttemptResult> ended = engine.ended(key);
    ari.hangup(key.channelId(), "normal"); // the customer hangs up
    AttemptResult done = result.get(20, TimeUnit.SECONDS);
    assertThat(ended.get(1, TimeUnit.SECONDS)).isEqualTo(done);

    assertThat(done.outcome()).isEqualTo(DialOutcome.ANSWERED);
    assertThat(done.agentId()).contains(first.agentId());
    assertThat(done.timeline().answerToBridge()).isNotNull().isLessThan(Duration.ofMillis(500));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> current.floor.readyInLine().size() == 2); // after its (zero) wrap-up
    assertThat(current.floor.readyInLine()).containsExactly(second.agentId(), first.agentId());
    assertThat(ari.bridge(first.bridgeId()).orElseThrow().channels())
        .containsExactly(first.channelId());
    // The agents' pool learns the agent's part of the call from the engine.
    assertThat(agentCalls)
        .containsExactly(
            "reserved " + first.agentId() + " " + key.channelId(),
            "connected " + first.agentId() + " " + key.channelId(),
            "work done " + first.agentId());
  }

  @Test
  void aGeneratedPersonRingsAndStaysAsItsNumberSays(AsteriskStack stack) throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(10)));
    AgentSeat agent = agent(engine);
    // Persona 11: ring 1 x 2 s, stay 02 x 5 s (after a 0.6 s "hello"), serial 0.
    AttemptResult done =
        resultOf(engine, "4930999111020", Attempt.Kind.CALL).get(40, TimeUnit.SECONDS);

    assertThat(done.outcome()).isEqualTo(DialOutcome.ANSWERED);
    assertThat(done.agentId()).contains(agent.agentId());
    assertThat(done.cause()).isEqualTo(16);
    assertThat(done.timeline().ringDuration())
        .isBetween(Duration.ofMillis(1500), Duration.ofMillis(3000));
    assertThat(Duration.between(done.timeline().answeredAt(), done.timeline().endedAt()))
        .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
  }

  @Test
  void theAgentEndsTheCallAndStaysInItsBridge(AsteriskStack stack) throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(10)));
    AgentSeat agent = agent(engine);
    assertThat(engine.endCallOf(agent.agentId()).get(5, TimeUnit.SECONDS)).isFalse();

    AttemptKey key = engine.place("4930999101002", Attempt.Kind.CALL).get(10, TimeUnit.SECONDS);
    CompletableFuture<AttemptResult> result = engine.result(key);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> ari.bridge(agent.bridgeId()).orElseThrow().channels().contains(key.channelId()));

    assertThat(engine.endCallOf(agent.agentId()).get(5, TimeUnit.SECONDS)).isTrue();

    AttemptResult done = result.get(20, TimeUnit.SECONDS);
    assertThat(done.outcome()).isEqualTo(DialOutcome.ANSWERED);
    assertThat(ari.bridge(agent.bridgeId()).orElseThrow().channels())
        .containsExactly(agent.channelId());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> current.floor.readyInLine().contains(agent.agentId()));
  }

  @Test
  @Tag(BOTH_RUNTIMES)
  void answeredWithNoAgentFreeHearsTheDropMessageWithinTheDeadlineInTheStrictProfile(
      AsteriskStack stack) throws Exception {
    CallEngine engine =
        engine(stack, DialPolicy.strict(Duration.ofSeconds(20), DROP_MESSAGE, "+4930999000000"));

    AttemptResult result =
        resultOf(engine, "4930999100001", Attempt.Kind.CALL).get(40, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(DialOutcome.ABANDONED);
    assertThat(result.timeline().answerToDropMessage())
        .isNotNull()
        .isLessThanOrEqualTo(DialPolicy.MAX_DROP_DEADLINE);
    assertThat(result.evidence())
        .extracting(Evidence::event)
        .contains("PlaybackStarted", "PlaybackFinished");
    assertThat(result.timeline().endedAt())
        .isAfter(result.timeline().dropStartedAt().plusSeconds(2));
    // The campaign's caller ID is on the call (the number in the INVITE's From).
    AriEvent.ChannelStateChange up =
        recorder.awaitEvent(
            AriEvent.ChannelStateChange.class, result.key().channelId(), AriSession.WAIT);
    assertThat(up.channel().caller().number()).isEqualTo("+4930999000000");
    assertNothingLeftInAsterisk(Set.of());
  }

  @Test
  void labProfileDropsSilentlyWhenNoAgentIsFree(AsteriskStack stack) throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(10)));
    AttemptResult result =
        resultOf(engine, "4930999100001", Attempt.Kind.CALL).get(30, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(DialOutcome.ABANDONED);
    assertThat(result.timeline().dropStartedAt()).isNull();
  }

  @Test
  @Tag(BOTH_RUNTIMES)
  void labLineCheckReleasesAtTheFirstRingAndStrictOneRingsTheFullFloor(AsteriskStack stack)
      throws Exception {
    CallEngine lab = engine(stack, DialPolicy.lab(Duration.ofSeconds(10)));
    AttemptResult ping =
        resultOf(lab, "4930999300002", Attempt.Kind.LINE_CHECK).get(20, TimeUnit.SECONDS);
    AttemptResult dead =
        resultOf(lab, "4930999400002", Attempt.Kind.LINE_CHECK).get(20, TimeUnit.SECONDS);
    lab.close();

    assertThat(ping.lineCheck()).contains(LineCheckResult.LIVE);
    assertThat(ping.timeline().ringDuration()).isLessThan(Duration.ofSeconds(1));
    assertThat(dead.lineCheck()).contains(LineCheckResult.DEAD);

    CallEngine strict =
        engine(stack, DialPolicy.strict(Duration.ofSeconds(15), DROP_MESSAGE, "+4930999000000"));
    AttemptResult full =
        resultOf(strict, "4930999300003", Attempt.Kind.LINE_CHECK).get(40, TimeUnit.SECONDS);
    assertThat(full.lineCheck()).contains(LineCheckResult.LIVE);
    assertThat(full.outcome()).isEqualTo(DialOutcome.NO_ANSWER);
    assertThat(full.timeline().ringDuration()).isGreaterThanOrEqualTo(DialPolicy.MIN_RING_TIME);
  }

  @Test
  void agentHangingUpMidCallEndsTheCustomerLegWithOneOutcome(AsteriskStack stack) throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(10)));
    AgentSeat agent = agent(engine);
    AttemptKey key = engine.place("4930999100003", Attempt.Kind.CALL).get(10, TimeUnit.SECONDS);
    CompletableFuture<AttemptResult> result = engine.result(key);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> ari.bridge(agent.bridgeId()).orElseThrow().channels().contains(key.channelId()));

    ari.hangup(agent.channelId(), "normal");
    AttemptResult done = result.get(20, TimeUnit.SECONDS);

    assertThat(done.outcome()).isEqualTo(DialOutcome.ANSWERED);
    assertThat(done.evidence()).extracting(Evidence::event).contains("AgentLeft");
    assertThat(ari.channels()).extracting(AriChannel::id).doesNotContain(key.channelId());
    assertThat(current.floor.readyInLine()).isEmpty();
  }

  @Test
  @Tag(BOTH_RUNTIMES)
  void fiftyConcurrentCallsOfMixedPersonasEachEndWithExactlyOneOutcomeAndLeaveNothing(
      AsteriskStack stack) throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(3)));
    List<AgentSeat> agents = List.of(agent(engine), agent(engine));
    // 70 answers and hangs up 3 s later: bridged (2 agents) or dropped, every answered call ends.
    String[] personas = {"70", "20", "30", "40", "41", "50", "60", "70", "71", "70"};
    List<CompletableFuture<AttemptResult>> results = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String number = String.format("4930999%s%04d", personas[i % personas.length], 1000 + i);
      results.add(resultOf(engine, number, Attempt.Kind.CALL));
    }
    Map<DialOutcome, Integer> counts = new EnumMap<>(DialOutcome.class);
    for (var future : results) {
      AttemptResult result = future.get(60, TimeUnit.SECONDS);
      assertThat(result.controllerError()).as(result.key() + " " + result.evidence()).isFalse();
      counts.merge(result.outcome(), 1, Integer::sum);
    }
    assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
    assertThat(counts)
        .containsKeys(
            DialOutcome.ANSWERED,
            DialOutcome.ABANDONED,
            DialOutcome.BUSY,
            DialOutcome.NO_ANSWER,
            DialOutcome.UNALLOCATED,
            DialOutcome.CONGESTION,
            DialOutcome.REJECTED);
    assertNothingLeftInAsterisk(
        Set.copyOf(agents.stream().flatMap(a -> Stream.of(a.channelId(), a.bridgeId())).toList()));
  }

  @Test
  void aCallThatEndsWhileTheEventsSocketIsDownIsFoundGoneOnReconnect(AsteriskStack stack)
      throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(20)));
    AttemptKey key = engine.place("4930999300009", Attempt.Kind.CALL).get(10, TimeUnit.SECONDS);
    CompletableFuture<AttemptResult> result = engine.result(key);
    recorder.awaitEvent(
        AriEvent.Dial.class,
        key.channelId(),
        d -> d.dialstatus().equals("RINGING"),
        AriSession.WAIT);

    // The engine loses its socket; the call ends unseen meanwhile.
    gate.close();
    engine.onDisconnected("test: socket lost");
    ari.hangup(key.channelId(), "normal");
    recorder.awaitEvent(AriEvent.ChannelDestroyed.class, key.channelId(), AriSession.WAIT);
    assertThat(engine.place("4930999300010", Attempt.Kind.CALL))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .withMessageContaining("events socket is down");
    engine.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(1))));

    AttemptResult done = result.get(10, TimeUnit.SECONDS);
    assertThat(done.cause()).isZero();
    assertThat(done.evidence())
        .extracting(Evidence::detail)
        .anyMatch(d -> d.contains("end not seen"));
  }

  /**
   * The PBX hang of OverloadIT, reduced to its cause: the call's ChannelDestroyed is lost on the
   * way. The engine's check after our hangup finds the channel gone and ends the call.
   */
  @Test
  void aCallWhoseEndIsLostOnTheWayEndsByACheckOfItsChannel(AsteriskStack stack) throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(2)));
    gate.lose(Set.of(AriEvent.ChannelDestroyed.class));
    AttemptKey key = engine.place("4930999300011", Attempt.Kind.CALL).get(10, TimeUnit.SECONDS);

    AttemptResult done = engine.result(key).get(20, TimeUnit.SECONDS);
    assertThat(done.outcome()).isEqualTo(DialOutcome.NO_ANSWER);
    assertThat(done.evidence())
        .extracting(Evidence::event)
        .contains("ChannelHangupRequest", "QuietCheck", "ChannelGone")
        .doesNotContain("ChannelDestroyed");
    assertThat(done.controllerError()).isFalse();
    recorder.awaitEvent(AriEvent.ChannelDestroyed.class, key.channelId(), Duration.ofSeconds(1));
    assertNothingLeftInAsterisk(Set.of());
  }

  /** The call's StasisStart is lost: the check finds the channel in Stasis and dials it. */
  @Test
  void aCallWhoseStasisStartIsLostIsDialedAfterACheckOfItsChannel(AsteriskStack stack)
      throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(2)));
    gate.lose(Set.of(AriEvent.StasisStart.class));
    AttemptKey key = engine.place("4930999300012", Attempt.Kind.CALL).get(10, TimeUnit.SECONDS);

    AttemptResult done = engine.result(key).get(20, TimeUnit.SECONDS);
    assertThat(done.outcome()).isEqualTo(DialOutcome.NO_ANSWER);
    assertThat(done.timeline().ringDuration()).isPositive();
    assertThat(done.evidence())
        .extracting(Evidence::detail)
        .contains("Creating for 5 s: channel DOWN, missed InStasis");
    assertNothingLeftInAsterisk(Set.of());
  }

  /**
   * The callee's entry into the agent's bridge is lost: the check finds it there, the call is
   * bridged, and the agent can end it.
   */
  @Test
  void aCalleeWhoseEntryIntoTheAgentsBridgeIsLostIsFoundThereByACheck(AsteriskStack stack)
      throws Exception {
    CallEngine engine = engine(stack, DialPolicy.lab(Duration.ofSeconds(10)));
    AgentSeat agent = agent(engine);
    gate.lose(Set.of(AriEvent.ChannelEnteredBridge.class));
    AttemptKey key = engine.place("4930999101002", Attempt.Kind.CALL).get(10, TimeUnit.SECONDS);
    CompletableFuture<AttemptResult> result = engine.result(key);
    recorder.awaitEvent(AriEvent.ChannelEnteredBridge.class, key.channelId(), AriSession.WAIT);

    // Bridged only once the check ran: then the agent's key ends the call.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.endCallOf(agent.agentId()).get(5, TimeUnit.SECONDS));
    AttemptResult done = result.get(20, TimeUnit.SECONDS);
    assertThat(done.outcome()).isEqualTo(DialOutcome.ANSWERED);
    assertThat(done.controllerError()).isFalse();
    assertThat(done.timeline().bridgedAt()).isNotNull();
    assertThat(done.evidence())
        .extracting(Evidence::detail)
        .contains("Connecting for 5 s: channel UP, missed EnteredBridge");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> current.floor.readyInLine().contains(agent.agentId()));
  }

  /**
   * The end of the drop message is lost: the check finds the playback done and hangs up, so the
   * callee is not left in silence after the message.
   */
  @Test
  void aDropMessageWhoseEndIsLostIsFoundDoneByACheckAndTheCalleeHungUp(AsteriskStack stack)
      throws Exception {
    CallEngine engine =
        engine(stack, DialPolicy.strict(Duration.ofSeconds(20), DROP_MESSAGE, "+4930999000000"));
    gate.lose(Set.of(AriEvent.PlaybackFinished.class));

    AttemptResult result =
        resultOf(engine, "4930999100001", Attempt.Kind.CALL).get(40, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(DialOutcome.ABANDONED);
    assertThat(result.controllerError()).isFalse();
    assertThat(result.evidence())
        .extracting(Evidence::event)
        .contains("PlaybackStarted", "QuietCheck")
        .doesNotContain("PlaybackFinished");
    assertThat(result.evidence())
        .extracting(Evidence::detail)
        .anyMatch(d -> d.startsWith("Dropping for 5 s: channel UP, missed DropMessageFinished"));
    assertNothingLeftInAsterisk(Set.of());
  }

  // --- helpers ----------------------------------------------------------------------------------

  /**
   * An engine with the app's events socket; the socket also feeds {@link #recorder} so the test can
   * watch its agent channels. One socket per app: a new engine's socket replaces the previous one.
   */
  private CallEngine engine(AsteriskStack stack, DialPolicy policy) throws Exception {
    if (current != null) {
      current.closeSocket();
    }
    current = EngineOnStack.start(stack, "it", policy, event -> gate.open && !gate.loses(event));
    toClose.add(current);
    ari = current.ari;
    recorder = current.recorder;
    return current.engine;
  }

  /**
   * A stand-in agent: a channel to the "answers and talks" persona, answered and parked in its own
   * mixing bridge, the way a logged-in agent's phone waits.
   */
  private AgentSeat agent(CallEngine engine) {
    if (engine != current.engine) {
      throw new IllegalStateException("a stand-in agent is seated with the latest engine only");
    }
    return current.standInAgent("4930999900009");
  }

  private static CompletableFuture<AttemptResult> resultOf(
      CallEngine engine, String number, Attempt.Kind kind) {
    return engine.place(number, kind).thenCompose(engine::result);
  }

  private void assertNothingLeftInAsterisk(Set<String> allowed) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(ari.channels())
                  .extracting(AriChannel::id)
                  .filteredOn(id -> id.startsWith("pd-"))
                  .isEmpty();
              assertThat(ari.bridges())
                  .extracting(b -> b.id())
                  .filteredOn(id -> !allowed.contains(id) && !id.startsWith("it-agent-"))
                  .isEmpty();
            });
  }
}
