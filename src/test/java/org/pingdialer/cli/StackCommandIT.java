package org.pingdialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The stack commands a user types, against a stack of their own in a temporary state dir. */
class StackCommandIT {
  private Path stateDir;

  @BeforeEach
  void useOwnStateDir() throws Exception {
    stateDir = Files.createDirectories(Path.of("target/it-cli-state").toAbsolutePath());
    System.setProperty("pingdialer.stateDir", stateDir.toString());
  }

  @AfterEach
  void stopStack() {
    run("stack", "down");
    System.clearProperty("pingdialer.stateDir");
  }

  @Test
  void upStatusAndDownReportTheStackAsJsonWithExitCodes() throws Exception {
    Result up = run("stack", "up", "--agents", "2", "--json");
    assertThat(up.exit()).as(up.out()).isZero();
    JsonNode status = new ObjectMapper().readTree(up.out());
    assertThat(status.get("running").asBoolean()).isTrue();
    assertThat(status.get("trunk").asText()).isEqualTo("online");
    assertThat(status.get("asteriskVersion").asText()).startsWith("22.");
    assertThat(status.get("agents")).hasSize(2);
    assertThat(up.out()).as("no secrets on stdout").doesNotContain("password");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stateDir.resolve("stack/stack.json"))))
        .isEqualTo("rw-------");

    assertThat(run("stack", "reload").exit()).isZero();
    assertThat(run("stack", "status").exit()).isZero();
    assertThat(run("stack", "down").exit()).isZero();

    Result after = run("stack", "status", "--json");
    assertThat(after.exit()).isEqualTo(PingdialerCommand.EXIT_NOT_RUNNING);
    assertThat(new ObjectMapper().readTree(after.out()).get("running").asBoolean()).isFalse();
  }

  @Test
  void unknownSubcommandIsAUsageErrorWithExitCode2() {
    assertThat(run("stack", "sideways").exit()).isEqualTo(2);
  }

  private record Result(int exit, String out) {}

  private static Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit =
        new CommandLine(new PingdialerCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Result(exit, out + err.toString());
  }
}
