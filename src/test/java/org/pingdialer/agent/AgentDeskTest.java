package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
import org.pingdialer.testing.RecordingDialer;

/** The desk's login, relogin and logout rules, against the in-memory ARI fake. */
class AgentDeskTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  private final FakeAriClient ari = new FakeAriClient();
  private final RecordingDialer dialer = new RecordingDialer();
  private final List<AgentSeat> seats = dialer.seats();

  /** What the desk told the dialer besides seating agents ({@link #seats}). */
  private List<String> told() {
    return dialer.told().stream().filter(line -> !line.startsWith("seated ")).toList();
  }

  private final AgentDesk desk =
      new AgentDesk(
          ari, dialer, InstantSource.fixed(T), ZoneId.of("Europe/Berlin"), Duration.ofMillis(300));

  @AfterEach
  void close() {
    desk.close();
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
    assertThat(told()).containsExactly("hold agent1", "hold agent1", "release agent1");

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

    desk.reserved("agent1", call);
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.RESERVED);
    desk.connected("agent1", call);
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.ON_CALL);
    desk.released("agent1", call);
    assertThat(stateOf("agent1").status()).isEqualTo(AgentState.Status.WRAP_UP);
    // Held at the dialer from the connect on; released when the 300 ms wrap-up ends.
    await().atMost(Duration.ofSeconds(5)).until(() -> told().contains("release agent1"));
    assertThat(told()).containsExactly("hold agent1", "release agent1");
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
    assertThat(desk.stats("agent1").get(5, TimeUnit.SECONDS).orElseThrow().calls()).isEqualTo(1);
  }

  @Test
  void readyOnThePhoneEndsWrapUpEarlyAndAPauseDuringTheCallIsTakenAfterIt() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    var call = new AttemptKey("c1", 1);
    desk.reserved("agent1", call);
    desk.connected("agent1", call);
    desk.released("agent1", call);
    desk.onEvent(new AriEvent.ChannelDtmfReceived(T, "pingdialer", channel("phone-1"), "*", 80));
    desk.onEvent(new AriEvent.ChannelDtmfReceived(T, "pingdialer", channel("phone-1"), "*", 80));
    await().atMost(Duration.ofSeconds(5)).until(() -> told().contains("release agent1"));
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);

    var second = new AttemptKey("c1", 2);
    desk.reserved("agent1", second);
    desk.connected("agent1", second);
    assertThat(
            desk.pause("agent1", AgentState.PauseReason.byAgent("break"))
                .get(5, TimeUnit.SECONDS)
                .status())
        .isEqualTo(AgentState.Status.ON_CALL);
    desk.released("agent1", second);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> stateOf("agent1").status() == AgentState.Status.PAUSED);
    // Its call and wrap-up are over, but it stays held: the dialer is told so (a pacer must not
    // count on it), and told again when it resumes.
    await().atMost(Duration.ofSeconds(5)).until(() -> told().contains("done but held agent1"));
    assertThat(told())
        .containsExactly(
            "hold agent1",
            "release agent1",
            "keyed agent1 Ready[]",
            "hold agent1",
            "done but held agent1");
    assertThat(desk.resume("agent1").get(5, TimeUnit.SECONDS)).isEqualTo(AgentState.READY);
    assertThat(told()).endsWith("release agent1");
  }

  @Test
  void aReservationThatEndsBeforeTheConnectLeavesTheAgentReady() throws Exception {
    phoneLogsIn("agent1", "phone-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> seats.size() == 1);
    var call = new AttemptKey("c1", 1);
    desk.reserved("agent1", call);
    desk.released("agent1", call);
    assertThat(stateOf("agent1")).isEqualTo(AgentState.READY);
    assertThat(told()).isEmpty(); // never held: the dialer gives it the next call itself
  }

  private static ContactStatus contact(String agent, ContactStatus.Status status) {
    return new ContactStatus(agent, agent, "sip:" + agent + "@127.0.0.1:5070", status, T);
  }
}
