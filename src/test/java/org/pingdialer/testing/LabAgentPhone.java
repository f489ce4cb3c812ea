package org.pingdialer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.host.HostPrograms;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lab.stack.StackSettings;

/**
 * A real SIP phone for an agent account: sipp running {@code sipp/agent-login.xml}, which
 * registers, dials the login extension 9000, types a PIN as RFC 4733 DTMF and stays in the call
 * until the PBX hangs up (sending PCMU silence once done typing), then unregisters. Output and SIP
 * traces go to {@code target/sipp/}.
 *
 * <p>One owner thread; {@link #close} kills sipp if it is still running.
 */
public final class LabAgentPhone implements AutoCloseable {
  /**
   * Offsets in the stack's port block that no Asterisk listens on (see PortAllocator): phone slot
   * {@code n} listens for SIP on {@code pbxSip + 60 + n} and for RTP from {@code pbxSip + 70 + 4n}.
   */
  private static final int SIP_PORT_OFFSET = 60;

  private static final int RTP_PORT_OFFSET = 70;

  /** Phones that can run at once on one stack. */
  public static final int SLOTS = 4;

  private final Process process;
  private final Path dir;
  private final String name;

  private LabAgentPhone(Process process, Path dir, String name) {
    this.process = process;
    this.dir = dir;
    this.name = name;
  }

  /**
   * Starts the phone of {@code agent}; it types {@code digits} {@code tries} times (a wrong PIN
   * needs 3 to be refused by the dialplan).
   */
  public static LabAgentPhone login(
      AsteriskStack stack, AgentAccount agent, String digits, int tries) {
    return login(stack, agent, digits, tries, 0);
  }

  /**
   * As {@link #login(AsteriskStack, org.pingdialer.agent.AgentAccount, String, int)}, in phone slot
   * {@code slot}.
   */
  public static LabAgentPhone login(
      AsteriskStack stack, AgentAccount agent, String digits, int tries, int slot) {
    if (slot < 0 || slot >= SLOTS) {
      throw new IllegalArgumentException("phone slot " + slot + " is not in 0.." + (SLOTS - 1));
    }
    StackSettings settings =
        stack.settings().orElseThrow(() -> new AssertionError("needs a lab stack"));
    int pbxSip = settings.ports().pbxSip();
    String name = "agent-login-" + agent.id() + "-" + System.nanoTime();
    try {
      Path dir = Files.createDirectories(Path.of("target/sipp"));
      Path injection = dir.resolve(name + ".csv");
      Files.writeString(
          injection, "SEQUENTIAL\n" + digits + ";" + tries + ";\n", StandardCharsets.US_ASCII);
      Path silence = dir.resolve("silence-pcmu.raw");
      if (!Files.exists(silence)) {
        byte[] second = new byte[8000]; // 1 s of PCMU silence: 0xFF is mu-law zero
        Arrays.fill(second, (byte) 0xFF);
        Files.write(silence, second);
      }
      Path scenario = Path.of("src/test/resources/sipp/agent-login.xml").toAbsolutePath();
      Process process =
          HostPrograms.listed()
              .start(
                  new ProcessBuilder(
                          "sipp",
                          "-sf",
                          scenario.toString(),
                          "-inf",
                          injection.toAbsolutePath().toString(),
                          "-s",
                          agent.id(),
                          "-au",
                          agent.id(),
                          "-ap",
                          agent.password(),
                          "-i",
                          "127.0.0.1",
                          "-p",
                          Integer.toString(pbxSip + SIP_PORT_OFFSET + slot),
                          "-mp",
                          Integer.toString(pbxSip + RTP_PORT_OFFSET + 4 * slot),
                          "-m",
                          "1",
                          "-aa",
                          "-nostdin",
                          "-timeout",
                          "60s",
                          "-timeout_error",
                          "-trace_err",
                          "-trace_msg",
                          "-message_file",
                          name + "-messages.log",
                          "-error_file",
                          name + "-errors.log",
                          "127.0.0.1:" + pbxSip)
                      .directory(dir.toFile())
                      .redirectErrorStream(true)
                      .redirectOutput(dir.resolve(name + ".out").toFile()));
      return new LabAgentPhone(process, dir, name);
    } catch (IOException e) {
      throw new UncheckedIOException("starting sipp for " + agent.id(), e);
    }
  }

  /** Waits until sipp has finished (or {@code timeout} passed); true if it finished. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until sipp has finished its scenario and asserts it succeeded. */
  public void awaitSuccess(Duration timeout) throws InterruptedException {
    assertThat(awaitExit(timeout))
        .as("sipp finished within %s (see target/sipp/%s.out)", timeout, name)
        .isTrue();
    assertThat(process.exitValue())
        .as("sipp exit code (see target/sipp/%s-errors.log and .out)", name)
        .isZero();
  }

  /** The SIP messages sipp sent and received, as traced by {@code -trace_msg}. */
  public String messages() {
    try {
      return Files.readString(dir.resolve(name + "-messages.log"), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a signal to sipp, e.g. {@code STOP} to freeze the phone and {@code CONT} to thaw it. */
  public void signal(String name) {
    try {
      Process kill =
          HostPrograms.listed()
              .start(
                  new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO());
      assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0)
          .as("kill -%s sipp", name)
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
