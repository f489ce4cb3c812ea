package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.ami.ContactStatus;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.testing.RecordingDialer;

/** The desk's login, relogin and logout rules, against the in-memory ARI fake. */
class AgentDeskTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  private final FakeAriClient ari = new FakeAriClient();
  private final RecordingDialer dialer = new RecordingDialer();
  private final List<AgentSeat> seats = dialer.seats();

  /** What the desk and its agents told besides seating agents ({@link #seats}) and the login. */
  private List<String> told() {
    return dialer.told().stream()
        .skip(2) // seated agent1 in ..., agent1 READY
        .toList();
  }

  /** The desk's (and its pool's) owner thread: the test touches the pool only there. */
  private final ScheduledExecutorService owner = Loops.ownerThread("test-desk");

  private final AgentDesk desk =
      new AgentDesk(
          ari,
          dialer,
          InstantSource.fixed(T),
          ZoneId.of("Europe/Berlin"),
          Duration.ofMillis(300),
          owner,
          Loops.worker("test-desk-ari"));

  {
    dialer.watch(desk);
  }

  @AfterEach
  void close() {
    desk.close();
  }

  /** Runs {@code change} on the pool's owner thread and waits for it. */
  private void onPool(Consumer<AgentPool> change) throws Exception {
    owner.submit(() -> change.accept(desk.pool())).get(5, TimeUnit.SECONDS);
  }

  private void reserved(AttemptKey call) throws Exception {
    onPool(pool -> pool.reserve(seats.getLast(), call));
  }

  private void connected(AttemptKey call) throws Exception {
    onPool(pool -> pool.connected(seats.getLast(), call));
  }

  private void released(AttemptKey call) throws Exception {
    onPool(pool -> pool.released(seats.getLast(), call));
  }

  /** A phone that dialed the login extension: its channel exists and enters the app. */
  private String phoneLogsIn(String agentId, String channelId) {
    ari.createChannel(AriClient.ChannelSpec.of("PJSIP/" + agentId, channelId));
    desk.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of(AgentDesk.LOGIN, agentId), channel(channelId), null));
    return channelId;
  }

  private static AriChannel channel(String id) {
    return new AriChannel(id, "PJSIP/x-" + id, ChannelState.UP, null, null, null, T, null);
  }

  private AgentState stateOf(String agentId) throws Exception {
    return desk.states().get(5, TimeUnit.SECONDS).get(agentId);
  }

  @Test
  void aLoginPutsThePhoneInTheAgentsBridgeAndSeatsTheAgent() throws Exception {
    phoneLogsIn("agent1", "phone-1");

    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    assertThat(seats.getFirst()).isEqualTo(new AgentSeat("agent1", "phone-1", "pd-agent-agent1"));
    assertThat(ari.bridge("pd-agent-agent1").orElseThrow().channels()).containsExactly("phone-1");
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
  }

  @Test
  void aSecondLoginReplacesTheFirstPhoneAndReusesTheBridge() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);

    phoneLogsIn("agent1", "phone-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 2);

    assertThat(ari.requests()).contains("hangup phone-1");
    assertThat(ari.bridge("pd-agent-agent1").orElseThrow().channels()).containsExactly("phone-2");
    // The old phone's hang-up arrives late and must not log the new session out.
    desk.onEvent(
        new AriEvent.ChannelDestroyed(T, "pingdialer", channel("phone-1"), 16, "Normal", null));
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
  }

  @Test
  void hangingUpLogsOutAndRemovesTheBridge() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);

    desk.onEvent(
        new AriEvent.ChannelDestroyed(T, "pingdialer", channel("phone-1"), 16, "Normal", null));

    assertThat(stateOf("agent1")).isEqualTo(AgentState.LOGGED_OUT);
    await().atMost(Duration.ofSeconds(5)).until(() -> ari.bridge("pd-agent-agent1").isEmpty());
  }

  @Test
  void aPhoneThatWentWhileTheEventsSocketWasDownLogsItsAgentOutAtTheReconnect() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    phoneLogsIn("agent2", "phone-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 2);

    desk.onDisconnected("ping timeout");
    ari.hangup("phone-1", "normal"); // its ChannelDestroyed is lost with the socket
    desk.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(6))));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> stateOf("agent1").status() == AgentState.Status.LOGGED_OUT);
    assertThat(stateOf("agent2")).isEqualTo(AgentState.READY);
  }

  /**
   * A bridge a phone left while Asterisk could not be reached stays behind; the reconnect removes
   * it when it is empty and its agent has no phone here. A seated agent's bridge, and one with a
   * channel in it, stay.
   */
  @Test
  void anEmptyBridgeOfAnAgentWithoutAPhoneIsRemovedAtTheReconnect() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    ari.createBridge("pd-agent-gone", "mixing", "gone");
    ari.createBridge("pd-agent-busy", "mixing", "busy");
    ari.createChannel(AriClient.ChannelSpec.of("PJSIP/x", "caller-1"));
    ari.addToBridge("pd-agent-busy", "caller-1");
    ari.createBridge("other-bridge", "mixing", "not an agent's");

    desk.onDisconnected("ping timeout");
    desk.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(6))));

    await().atMost(Duration.ofSeconds(5)).until(() -> ari.bridge("pd-agent-gone").isEmpty());
    assertThat(ari.bridge("pd-agent-agent1")).isPresent();
    assertThat(ari.bridge("pd-agent-busy")).isPresent();
    assertThat(ari.bridge("other-bridge")).isPresent();
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
  }

  /** The PBX cuts the phone as it stops (a soft hang-up with the shutdown bit), then it goes. */
  private void pbxCuts(String channelId) {
    desk.onEvent(
        new AriEvent.ChannelHangupRequest(T, "pingdialer", channel(channelId), 4, null, true));
    desk.onEvent(new AriEvent.StasisEnd(T, "pingdialer", channel(channelId)));
    ari.hangup(channelId, "normal");
  }

  /**
   * An agent whose phone the PBX cut (a restart) is called back when the events socket is back and
   * the phone is registered: answered, the call back seats the agent as a login does, with no PIN
   * (the phone is the agent's registered endpoint, and the agent typed the PIN before the cut).
   */
  @Test
  void anAgentThePbxCutIsCalledBackAndSeatedWhenItAnswers() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    phoneLogsIn("agent2", "phone-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 2);
    pbxCuts("phone-1");
    // agent2 hangs up by itself: logged out, and never called back.
    desk.onEvent(new AriEvent.StasisEnd(T, "pingdialer", channel("phone-2")));
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.LOGGED_OUT);

    desk.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(11))));
    String back = AgentDesk.CALL_BACK_PREFIX + "agent1-1";
    await().atMost(Duration.ofSeconds(5)).until(() -> ari.requests().contains("create " + back));
    assertThat(ari.channel(back).orElseThrow().name()).isEqualTo("PJSIP/agent1");
    desk.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of(AgentDesk.CALL_BACK, "agent1"), channel(back), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> ari.requests().contains("dial " + back));
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.LOGGED_OUT);

    desk.onEvent(new AriEvent.ChannelStateChange(T, "pingdialer", channel(back)));
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 3);
    assertThat(seats.getLast()).isEqualTo(new AgentSeat("agent1", back, "pd-agent-agent1"));
    assertThat(ari.bridge("pd-agent-agent1").orElseThrow().channels()).containsExactly(back);
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
    assertThat(ari.requests())
        .noneMatch(r -> r.startsWith("create " + AgentDesk.CALL_BACK_PREFIX + "agent2"));
    // Its phone's keys work on the call back as on a login call; its hang-up logs it out.
    desk.onEvent(new AriEvent.StasisEnd(T, "pingdialer", channel(back)));
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.LOGGED_OUT);
  }

  /**
   * Phones found gone after an events gap: called back when Asterisk restarted in the gap (its
   * startup time changed), not when their agents hung up while the socket was down.
   */
  @Test
  void aPhoneGoneInAGapIsCalledBackOnlyWhenThePbxRestarted() throws Exception {
    desk.onConnected(new AriEventStream.Connection(1, Optional.empty()));
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    ari.hangup("phone-1", "normal"); // its events lost in the gap
    desk.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(3))));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> stateOf("agent1").status() == AgentState.Status.LOGGED_OUT);
    Thread.sleep(300);
    assertThat(ari.requests()).noneMatch(r -> r.startsWith("create " + AgentDesk.CALL_BACK_PREFIX));

    phoneLogsIn("agent1", "phone-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 2);
    ari.hangup("phone-2", "normal");
    ari.restartedAt(T);
    desk.onConnected(new AriEventStream.Connection(3, Optional.of(Duration.ofSeconds(12))));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ari.requests().contains("create " + AgentDesk.CALL_BACK_PREFIX + "agent1-1"));
  }

  /** A call back answered while the events socket was down: the reconnect seats its agent. */
  @Test
  void aCallBackAnsweredInAGapSeatsItsAgentAtTheReconnect() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    pbxCuts("phone-1");
    desk.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(11))));
    String back = AgentDesk.CALL_BACK_PREFIX + "agent1-1";
    await().atMost(Duration.ofSeconds(5)).until(() -> ari.requests().contains("create " + back));
    desk.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of(AgentDesk.CALL_BACK, "agent1"), channel(back), null));

    desk.onDisconnected("ping timeout");
    ari.setState(back, ChannelState.UP); // its ChannelStateChange is lost with the socket
    desk.onConnected(new AriEventStream.Connection(3, Optional.of(Duration.ofSeconds(2))));

    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 2);
    assertThat(seats.getLast()).isEqualTo(new AgentSeat("agent1", back, "pd-agent-agent1"));
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
  }

  /** An agent who logs in again by itself before answering: the ringing call back is hung up. */
  @Test
  void aLoginByItselfHangsUpTheRingingCallBack() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    pbxCuts("phone-1");
    desk.onConnected(new AriEventStream.Connection(2, Optional.of(Duration.ofSeconds(11))));
    String back = AgentDesk.CALL_BACK_PREFIX + "agent1-1";
    await().atMost(Duration.ofSeconds(5)).until(() -> ari.requests().contains("create " + back));

    phoneLogsIn("agent1", "phone-1b");
    await().atMost(Duration.ofSeconds(5)).until(() -> ari.requests().contains("hangup " + back));
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 2);
    assertThat(seats.getLast().channelId()).isEqualTo("phone-1b");
    // A second reconnect does not ring it again.
    desk.onConnected(new AriEventStream.Connection(3, Optional.of(Duration.ofSeconds(1))));
    Thread.sleep(300);
    assertThat(ari.requests()).doesNotContain("create " + AgentDesk.CALL_BACK_PREFIX + "agent1-2");
  }

  @Test
  void logoutFromTheApiHangsUpThePhone() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    assertThat(desk.logout("agent1").get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ari.requests()).contains("hangup phone-1");
    assertThat(desk.logout("nobody").get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void otherStasisStartsAreNotLogins() throws Exception {
    ari.createChannel(AriClient.ChannelSpec.of("PJSIP/x", "call-1"));
    desk.onEvent(new AriEvent.StasisStart(T, "pingdialer", List.of(), channel("call-1"), null));
    desk.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of(AgentDesk.LOGIN, ""), channel("call-1"), null));
    assertThat(desk.states().get(5, TimeUnit.SECONDS)).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> ari.requests().contains("hangup call-1"));
    assertThat(seats).isEmpty();
  }

  @Test
  void anUnreachablePhonePausesTheAgentUntilItIsReachableAgain() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);

    desk.onContactStatus(contact("agent1", ContactStatus.Status.UNREACHABLE));
    assertThat(stateOf("agent1"))
        .isEqualTo(AgentState.paused(AgentState.PauseReason.PHONE_UNREACHABLE));
    desk.onContactStatus(contact("agent1", ContactStatus.Status.REMOVED));
    desk.onContactStatus(contact("agent1", ContactStatus.Status.REACHABLE));
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
    assertThat(told()).containsExactly("agent1 PAUSED", "agent1 READY");

    // A phone of an agent who is not logged in changes nothing.
    desk.onContactStatus(contact("agent9", ContactStatus.Status.UNREACHABLE));
    assertThat(desk.states().get(5, TimeUnit.SECONDS)).doesNotContainKey("agent9");
  }

  @Test
  void keysOnTheAgentsPhoneBecomeCommandsAndFiledOnesCount() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    for (String digit : List.of("5", "*", "3", "*", "0")) {
      desk.onEvent(
          new AriEvent.ChannelDtmfReceived(T, "pingdialer", channel("phone-1"), digit, 100));
    }
    // Keys on a phone that is not an agent's are ignored.
    desk.onEvent(new AriEvent.ChannelDtmfReceived(T, "pingdialer", channel("call-9"), "*", 100));
    await().atMost(Duration.ofSeconds(5)).until(() -> told().size() == 2);
    assertThat(told())
        .containsExactly("keyed agent1 File[disposition=Sale[]]", "keyed agent1 EndCall[]");
    assertThat(desk.stats("agent1").get(5, TimeUnit.SECONDS).orElseThrow().dispositions())
        .containsEntry("sale", 1);
  }

  @Test
  void aCallTakesTheAgentThroughReservedOnCallAndWrapUpBackToReady() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    var call = new AttemptKey("c1", 1);

    reserved(call);
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.RESERVED);
    connected(call);
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.ON_CALL);
    released(call);
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.WRAP_UP);
    // Ready again when the 300 ms wrap-up ends.
    await().atMost(Duration.ofSeconds(5)).until(() -> told().contains("work done agent1"));
    assertThat(told())
        .containsExactly(
            "agent1 RESERVED",
            "agent1 ON_CALL",
            "agent1 WRAP_UP",
            "agent1 READY",
            "work done agent1");
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
    assertThat(desk.stats("agent1").get(5, TimeUnit.SECONDS).orElseThrow().calls()).isEqualTo(1);
  }

  @Test
  void readyOnThePhoneEndsWrapUpEarlyAndAPauseDuringTheCallIsTakenAfterIt() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    var call = new AttemptKey("c1", 1);
    reserved(call);
    connected(call);
    released(call);
    desk.onEvent(new AriEvent.ChannelDtmfReceived(T, "pingdialer", channel("phone-1"), "*", 80));
    desk.onEvent(new AriEvent.ChannelDtmfReceived(T, "pingdialer", channel("phone-1"), "*", 80));
    await().atMost(Duration.ofSeconds(5)).until(() -> told().contains("work done agent1"));
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);

    var second = new AttemptKey("c1", 2);
    reserved(second);
    connected(second);
    assertThat(
            desk.pause("agent1", AgentState.PauseReason.byAgent("break"))
                .get(5, TimeUnit.SECONDS)
                .status())
        .isEqualTo(AgentState.Status.ON_CALL);
    released(second);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> stateOf("agent1").status() == AgentState.Status.PAUSED);
    // Its call and wrap-up are over (a pacer learns them), and it is paused, not ready.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> told().stream().filter("work done agent1"::equals).count() == 2);
    assertThat(told())
        .containsExactly(
            "agent1 RESERVED",
            "agent1 ON_CALL",
            "agent1 WRAP_UP",
            "agent1 READY",
            "work done agent1",
            "keyed agent1 Ready[]",
            "agent1 RESERVED",
            "agent1 ON_CALL",
            "agent1 WRAP_UP",
            "agent1 PAUSED",
            "work done agent1");
    assertThat(desk.resume("agent1").get(5, TimeUnit.SECONDS)).isEqualTo(AgentState.READY);
    assertThat(told()).endsWith("agent1 READY");
  }

  @Test
  void aReservationThatEndsBeforeTheConnectLeavesTheAgentReady() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    var call = new AttemptKey("c1", 1);
    reserved(call);
    released(call);
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
    assertThat(told()).containsExactly("agent1 RESERVED", "agent1 READY");
  }

  private static ContactStatus contact(String agent, ContactStatus.Status status) {
    return new ContactStatus(agent, agent, "sip:" + agent + "@127.0.0.1:5070", status, T);
  }
}
