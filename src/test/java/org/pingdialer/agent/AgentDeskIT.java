package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabAgentPhone;
import org.pingdialer.testing.LabStack;
import org.pingdialer.testing.RecordingDialer;

/**
 * A real SIP phone (sipp) logs in with its PIN; the desk puts it into the agent's own mixing bridge
 * and seats the agent; logging out from the API hangs the phone up and clears the bridge.
 */
@LabStack
// Runs on both runtimes: the rootfs here, containerized Asterisk in CI's Docker half.
@Tag("docker")
class AgentDeskIT {
  @Test
  void aPhoneThatLogsInSitsInItsAgentsBridgeUntilItIsLoggedOut(AsteriskStack stack)
      throws Exception {
    List<AgentAccount> agents = stack.settings().orElseThrow().agents();
    AgentAccount agent = agents.getFirst();
    var ari = new OkHttpAriClient(stack.ari());
    var dialer = new RecordingDialer();
    var desk =
        new AgentDesk(
            ari, dialer, InstantSource.system(), ZoneId.of("Europe/Berlin"), Duration.ofSeconds(5));
    dialer.watch(desk);
    var recorder = new EventRecorder();
    try (desk;
        var stream =
            new AriEventStream(
                ari,
                Set.of(),
                InstantSource.system(),
                AriEventStream.Listener.all(List.of(desk, recorder)))) {
      stream.start();
      recorder.await(EventRecorder.Connected.class, c -> true, AriSession.WAIT);
      long begin = System.nanoTime();
      try (var phone = LabAgentPhone.login(stack, agent, agent.pin(), 1)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !dialer.seats().isEmpty());
        System.out.printf(
            "agent seated %d ms after the phone started%n",
            Duration.ofNanos(System.nanoTime() - begin).toMillis());
        String bridge = AgentDesk.bridgeOf(agent.id());
        assertThat(dialer.told().stream().filter(line -> line.startsWith("seated ")))
            .containsExactly("seated " + agent.id() + " in " + bridge);
        assertThat(desk.states().get(5, TimeUnit.SECONDS).get(agent.id()))
            .isEqualTo(AgentState.READY);
        List<String> inBridge = ari.bridge(bridge).orElseThrow().channels();
        assertThat(inBridge).hasSize(1);
        assertThat(ari.channel(inBridge.getFirst()).orElseThrow().name())
            .startsWith("PJSIP/" + agent.id() + "-");

        assertThat(desk.logout(agent.id()).get(5, TimeUnit.SECONDS)).isTrue();
        await()
            .atMost(AriSession.WAIT)
            .until(
                () -> desk.states().get().get(agent.id()).status() == AgentState.Status.LOGGED_OUT);
        await().atMost(AriSession.WAIT).until(() -> ari.bridge(bridge).isEmpty());
        phone.awaitSuccess(Duration.ofSeconds(15));
      }
    }
  }

  @Test
  void anAgentWhoLogsInAgainFromAnotherPhoneReplacesTheOlderSession(AsteriskStack stack)
      throws Exception {
    AgentAccount agent = stack.settings().orElseThrow().agents().getFirst();
    var ari = new OkHttpAriClient(stack.ari());
    var dialer = new RecordingDialer();
    var desk =
        new AgentDesk(
            ari, dialer, InstantSource.system(), ZoneId.of("Europe/Berlin"), Duration.ofSeconds(5));
    dialer.watch(desk);
    var recorder = new EventRecorder();
    try (desk;
        var stream =
            new AriEventStream(
                ari,
                Set.of(),
                InstantSource.system(),
                AriEventStream.Listener.all(List.of(desk, recorder)));
        var first = LabAgentPhone.login(stack, agent, agent.pin(), 1, 0)) {
      stream.start();
      recorder.await(EventRecorder.Connected.class, c -> true, AriSession.WAIT);
      await().atMost(Duration.ofSeconds(20)).until(() -> dialer.seats().size() == 1);
      String bridge = AgentDesk.bridgeOf(agent.id());

      try (var second = LabAgentPhone.login(stack, agent, agent.pin(), 1, 1)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> dialer.seats().size() == 2);
        // The older phone is hung up by the PBX (its scenario ends cleanly on the BYE).
        first.awaitSuccess(Duration.ofSeconds(15));
        await()
            .atMost(AriSession.WAIT)
            .until(() -> ari.channel(dialer.seats().getFirst().channelId()).isEmpty());
        assertThat(ari.bridge(bridge).orElseThrow().channels())
            .containsExactly(dialer.seats().get(1).channelId());
        assertThat(desk.states().get(5, TimeUnit.SECONDS).get(agent.id()))
            .isEqualTo(AgentState.READY);

        assertThat(desk.logout(agent.id()).get(5, TimeUnit.SECONDS)).isTrue();
        second.awaitSuccess(Duration.ofSeconds(15));
        await().atMost(AriSession.WAIT).until(() -> ari.bridge(bridge).isEmpty());
      }
    }
  }
}
