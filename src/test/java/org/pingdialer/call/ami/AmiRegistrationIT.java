package org.pingdialer.call.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.host.HostPrograms;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AmiRecorder;
import org.pingdialer.testing.LabStack;

/** AMI sees a real SIP user agent (sipp) register as an agent and unregister again. */
@LabStack
class AmiRegistrationIT {

  @Test
  void agentPhoneRegistrationAndUnregistrationArriveAsContactStatus(AsteriskStack stack)
      throws Exception {
    AgentAccount agent =
        stack.settings().orElseThrow(() -> new AssertionError("needs a lab stack")).agents().get(0);
    var recorder = new AmiRecorder();
    try (var ami = AmiMonitor.connect(stack.ami(), InstantSource.system(), recorder)) {
      assertThat(ami.isConnected()).isTrue();
      Process phone = registerAndUnregister(stack, agent, Duration.ofSeconds(4));

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(recorder.contacts())
                      .anyMatch(s -> s.endpoint().equals(agent.id()) && s.status().isRegistered()));
      assertThat(phone.waitFor(30, TimeUnit.SECONDS)).as("sipp finished").isTrue();
      assertThat(phone.exitValue()).as("sipp exit code (see target/sipp)").isZero();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(recorder.contacts().get(recorder.contacts().size() - 1))
                      .satisfies(
                          last -> {
                            assertThat(last.endpoint()).isEqualTo(agent.id());
                            assertThat(last.status()).isEqualTo(ContactStatus.Status.REMOVED);
                          }));
      assertThat(ami.coreStatus().currentCalls()).isGreaterThanOrEqualTo(0);
      ami.reload("res_pjsip.so");
    }
  }

  @Test
  void wrongSecretIsRefusedWithAMessageNamingTheUser(AsteriskStack stack) {
    var wrong =
        new AmiEndpoint(stack.ami().host(), stack.ami().port(), stack.ami().user(), "wrong");
    assertThatThrownBy(() -> AmiMonitor.connect(wrong, InstantSource.system(), new AmiRecorder()))
        .isInstanceOf(AmiMonitor.AmiException.class)
        .hasMessageContaining("'" + stack.ami().user() + "' refused");
  }

  private static Process registerAndUnregister(
      AsteriskStack stack, AgentAccount agent, Duration registered) throws IOException {
    Path dir = Files.createDirectories(Path.of("target/sipp"));
    Path scenario = Path.of("src/test/resources/sipp/register-unregister.xml").toAbsolutePath();
    int pbxSip = stack.settings().orElseThrow().ports().pbxSip();
    return HostPrograms.listed()
        .start(
            new ProcessBuilder(
                    "sipp",
                    "-sf",
                    scenario.toString(),
                    "-s",
                    agent.id(),
                    "-au",
                    agent.id(),
                    "-ap",
                    agent.password(),
                    "-i",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(pbxSip + 50),
                    "-m",
                    "1",
                    "-d",
                    Long.toString(registered.toMillis()),
                    "-aa",
                    "-nostdin",
                    "-timeout",
                    "25s",
                    "-timeout_error",
                    "-trace_err",
                    "-trace_msg",
                    "127.0.0.1:" + pbxSip)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("register-unregister.out").toFile()));
  }
}
