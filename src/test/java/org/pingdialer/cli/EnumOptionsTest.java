package org.pingdialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.pingdialer.lab.stack.AsteriskStack;
import picocli.CommandLine;

/** Choices are taken as the README writes them (lower case), and in any other case. */
class EnumOptionsTest {
  private static AsteriskStack.RuntimeChoice runtime(String... args) {
    CommandLine.ParseResult parsed =
        PingdialerCommand.configure(new CommandLine(new PingdialerCommand())).parseArgs(args);
    CommandLine.ParseResult up = parsed.subcommand().subcommand();
    return up.matchedOptionValue("--runtime", null);
  }

  @Test
  void theReadmesLowerCaseRuntimeIsTaken() {
    assertThat(runtime("stack", "up", "--runtime", "rootfs"))
        .isEqualTo(AsteriskStack.RuntimeChoice.ROOTFS);
    assertThat(runtime("stack", "up", "--runtime", "Docker"))
        .isEqualTo(AsteriskStack.RuntimeChoice.DOCKER);
    assertThat(runtime("stack", "up", "--runtime", "AUTO"))
        .isEqualTo(AsteriskStack.RuntimeChoice.AUTO);
  }

  @Test
  void anUnknownRuntimeIsRefusedNamingTheChoices() {
    var err = new StringWriter();
    int exit =
        PingdialerCommand.configure(new CommandLine(new PingdialerCommand()))
            .setErr(new PrintWriter(err))
            .execute("stack", "up", "--runtime", "podman");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("podman").contains("ROOTFS");
  }
}
