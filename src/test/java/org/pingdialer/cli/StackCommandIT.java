package org.pingdialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AriSession;
import picocli.CommandLine;

/** The stack commands a user types, against a stack of their own in a temporary state dir. */
// Runs on both runtimes: the rootfs here, containerized Asterisk in CI's Docker half.
@Tag("docker")
class StackCommandIT {
  private Path stateDir;
  private Path projectCopy;
  private String projectDirBefore;

  /**
   * A state dir of our own, and a copy of the templates and scripts as the "checkout", so the
   * reload test can edit the dialplan like a telephony engineer would.
   */
  @BeforeEach
  void useOwnStateDirAndCheckout() throws Exception {
    stateDir = Files.createDirectories(Path.of("target/it-cli-state").toAbsolutePath());
    projectCopy = Path.of("target/it-cli-project").toAbsolutePath();
    for (String dir : List.of("asterisk-config/pbx", "asterisk-config/pstn", "docker")) {
      Files.createDirectories(projectCopy.resolve(dir));
      try (var files = Files.list(Path.of(dir))) {
        for (Path file : files.toList()) {
          Files.copy(
              file,
              projectCopy.resolve(dir).resolve(file.getFileName()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    System.setProperty("pingdialer.stateDir", stateDir.toString());
    projectDirBefore = System.getProperty("pingdialer.projectDir");
    System.setProperty("pingdialer.projectDir", projectCopy.toString());
  }

  @AfterEach
  void stopStack() {
    run("stack", "down");
    System.clearProperty("pingdialer.stateDir");
    if (projectDirBefore != null) {
      System.setProperty("pingdialer.projectDir", projectDirBefore);
    }
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

    assertThat(run("stack", "status").exit()).isZero();
    assertThat(run("stack", "down").exit()).isZero();

    Result after = run("stack", "status", "--json");
    assertThat(after.exit()).isEqualTo(PingdialerCommand.EXIT_NOT_RUNNING);
    assertThat(new ObjectMapper().readTree(after.out()).get("running").asBoolean()).isFalse();
  }

  @Test
  void reloadAppliesAnEditedNumberPlanToTheRunningNetwork() throws Exception {
    assertThat(run("stack", "up", "--agents", "1").exit()).isZero();
    StackState state = StackState.load().orElseThrow();
    assertThat(causeOfCallTo(state, "4930999200007")).as("busy persona").isEqualTo(17);

    Path plan = projectCopy.resolve("asterisk-config/pstn/extensions.conf");
    Files.writeString(
        plan,
        Files.readString(plan)
            .replace(" same => n,Busy(1)\n same => n,Hangup(17)", " same => n,Hangup(1)"));
    Result reload = run("stack", "reload");

    assertThat(reload.exit()).as(reload.out()).isZero();
    assertThat(causeOfCallTo(state, "4930999200007")).as("after the edit").isEqualTo(1);
  }

  private static int causeOfCallTo(StackState state, String number) {
    var settings = state.settings();
    var client =
        new OkHttpAriClient(
            new AriEndpoint(
                URI.create("http://127.0.0.1:" + settings.ports().pbxHttp() + "/ari"),
                settings.ariUser(),
                settings.ariPassword(),
                settings.ariApp()));
    try (var ari = AriSession.open(client, Set.of())) {
      String id = ari.dial(number, AsteriskStack.TRUNK, Duration.ofSeconds(10));
      return ari.recorder()
          .awaitEvent(AriEvent.ChannelDestroyed.class, id, AriSession.WAIT)
          .cause();
    }
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
        PingdialerCommand.configure(new CommandLine(new PingdialerCommand()))
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Result(exit, out + err.toString());
  }
}
