package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabAgentPhone;
import org.pingdialer.testing.LabStack;

/**
 * A real SIP phone (sipp) logs in as an agent: dials 9000 and types the PIN as RFC 4733 DTMF. The
 * dialplan ({@code [agents-in]}) lets it into the Stasis app only with the right PIN.
 */
@LabStack
// Runs on both runtimes: the rootfs here, containerized Asterisk in CI's Docker half.
@Tag("docker")
class AgentLoginIT {
  private static final Duration LOGIN = Duration.ofSeconds(20);

  @Test
  void rightPinEntersStasisWithAgentLoginAndTheEndpoint(AsteriskStack stack) throws Exception {
    AgentAccount agent = agent(stack);
    try (var ari = AriSession.open(stack)) {
      long begin = System.nanoTime();
      try (var phone = LabAgentPhone.login(stack, agent, agent.pin(), 1)) {
        var start =
            (AriEvent.StasisStart)
                ari.recorder()
                    .await(
                        EventRecorder.Event.class,
                        e -> e.event() instanceof AriEvent.StasisStart,
                        LOGIN)
                    .event();
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        // Asterisk's own clock: channel creation (the INVITE) to StasisStart, i.e. answer, prompt
        // and the typed digits; the rest of "took" is sipp start-up and registration.
        Duration inDialplan = Duration.between(start.channel().creationtime(), start.timestamp());
        System.out.printf(
            "agent login: sipp start to StasisStart %d ms, of which INVITE to StasisStart %d ms%n",
            took.toMillis(), inDialplan.toMillis());

        assertThat(start.args()).containsExactly("agent-login", agent.id());
        assertThat(start.channel().name()).startsWith("PJSIP/" + agent.id() + "-");
        // Logged in, the phone stays and streams silence (rtp_timeout would drop a mute phone).
        // The receive count is reported when the channel hangs up: typing alone is ~100 packets;
        // silence starts about 0.5 s after StasisStart (the scenario's 3.5 s wait after typing)
        // and arrived at ~30 packets/s, not 50, in our runs: assert only that it flows.
        Thread.sleep(5000);
        // The controller would now bridge the phone; the test keeps it, then hangs it up. A
        // channel that entered Stasis from the dialplan leaves the app on hangup: StasisEnd is the
        // last event the app gets about it (no ChannelDestroyed).
        ari.client().hangup(start.channel().id(), "normal");
        ari.recorder().awaitEvent(AriEvent.StasisEnd.class, start.channel().id(), AriSession.WAIT);
        long received = receivedPackets(ari, start.channel().id());
        System.out.printf("RTP packets from the phone (DTMF + ~4.5 s of silence): %d%n", received);
        assertThat(received).as("RTP packets Asterisk received from the phone").isGreaterThan(150);
        phone.awaitSuccess(Duration.ofSeconds(15));
      }
    }
  }

  @Test
  void wrongPinThreeTimesNeverReachesStasisAndTheCallIsRejected(AsteriskStack stack)
      throws Exception {
    AgentAccount agent = agent(stack);
    String wrong = wrongPin(agent.pin());
    try (var ari = AriSession.open(stack)) {
      long begin = System.nanoTime();
      try (var phone = LabAgentPhone.login(stack, agent, wrong, 3)) {
        // 3 tries take about 14 s; a dialplan that let the phone in would keep it until -timeout.
        boolean hungUp = phone.awaitExit(Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        System.out.printf(
            "refused agent login (3 wrong PINs until BYE, then unregister): %d ms%n",
            took.toMillis());

        List<AriEvent> events = ari.recorder().drainEvents();
        assertThat(events)
            .as("a wrong PIN must not reach Stasis")
            .noneMatch(AriEvent.StasisStart.class::isInstance);
        assertThat(hungUp).as("the PBX hung up after 3 wrong PINs").isTrue();
        phone.awaitSuccess(Duration.ZERO);
        // The PBX hung up with cause 21 (call rejected), carried in the BYE's Reason header.
        assertThat(phone.messages())
            .containsPattern("BYE sip:[^\\n]*\\n(?:[^\\n]+\\n)*?Reason: Q\\.850;cause=21");
      }
    }
  }

  /** {@code rxcount} of the channel's RTPAUDIOQOS, which Asterisk sets as the channel ends. */
  private static long receivedPackets(AriSession ari, String channelId) {
    return ari.recorder().eventsOf(channelId).stream()
        .filter(e -> e instanceof AriEvent.ChannelVarset v && v.variable().equals("RTPAUDIOQOS"))
        .map(e -> ((AriEvent.ChannelVarset) e).value())
        .flatMap(value -> Arrays.stream(value.split(";")))
        .filter(field -> field.startsWith("rxcount="))
        .mapToLong(field -> Long.parseLong(field.substring("rxcount=".length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no RTPAUDIOQOS for " + channelId));
  }

  /** The second lab account: AmiRegistrationIT registers the first one. */
  private static AgentAccount agent(AsteriskStack stack) {
    List<AgentAccount> agents =
        stack.settings().orElseThrow(() -> new AssertionError("needs a lab stack")).agents();
    return agents.get(agents.size() - 1);
  }

  /** Same length, every digit different, so no prefix or numeric trick matches. */
  private static String wrongPin(String pin) {
    var wrong = new StringBuilder(pin.length());
    for (int i = 0; i < pin.length(); i++) {
      wrong.append((char) ('0' + (pin.charAt(i) - '0' + 1) % 10));
    }
    return wrong.toString();
  }
}
