package org.pingdialer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProgramsTest {
  private static final String LIST =
      """
      # package        scope    programs                    needed for
      pd-no-such-pkg   runtime  pingdialer-no-such-program  the lab's imaginary phones
      coreutils        runtime  true,cat                    the scripts' everyday tools
      pd-test-only     test     pingdialer-no-such-tester   a test that never runs here
      """;

  @Test
  void aMissingProgramIsNamedWithWhatItIsForAndTheInstallCommand() {
    var programs = HostPrograms.parse("test-list", LIST);
    assertThatThrownBy(() -> programs.start(new ProcessBuilder("pingdialer-no-such-program", "-x")))
        .isInstanceOf(MissingProgramException.class)
        .hasMessage(
            "pingdialer-no-such-program is not installed (needed for the lab's imaginary phones):"
                + " apt-get install pd-no-such-pkg")
        .extracting(e -> ((MissingProgramException) e).program())
        .isEqualTo("pingdialer-no-such-program");
  }

  @Test
  void anUnlistedProgramIsRefusedBeforeItStarts() {
    var programs = HostPrograms.parse("test-list", LIST);
    assertThatThrownBy(() -> programs.start(new ProcessBuilder("echo", "hello")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "pingdialer starts echo, which test-list does not list; add it there with the package"
                + " that installs it");
  }

  @Test
  void aListedProgramStartsAndIsKnownByItsFileName() throws Exception {
    var programs = HostPrograms.parse("test-list", LIST);
    Process process = programs.start(new ProcessBuilder("/usr/bin/true"));
    assertThat(process.waitFor()).isZero();
    assertThat(programs.entryFor("/bin/cat"))
        .map(HostPrograms.Entry::packageName)
        .contains("coreutils");
  }

  @Test
  void aBadLineIsNamedWithItsPlaceAndTheFix() {
    assertThatThrownBy(() -> HostPrograms.parse("list", "# header\nbaresip-core runtime\n"))
        .hasMessage(
            "list:2: expected PACKAGE SCOPE PROGRAMS NEEDED-FOR, was: baresip-core runtime");
    assertThatThrownBy(() -> HostPrograms.parse("list", "baresip-core always baresip phones\n"))
        .hasMessage(
            "list:1: unknown scope 'always'; use runtime, test, brought, optional or image");
    assertThatThrownBy(() -> HostPrograms.parse("list", "a runtime x one\nb test x two\n"))
        .hasMessage("list:2: x is already listed with package a; list each program once");
  }

  @Test
  void theBuiltInListNamesWhatTheLabRuns() {
    HostPrograms listed = HostPrograms.listed();
    assertThat(listed.entryFor("baresip"))
        .hasValueSatisfying(
            e -> {
              assertThat(e.packageName()).isEqualTo("baresip-core");
              assertThat(e.scope()).isEqualTo(HostPrograms.Scope.RUNTIME);
            });
    assertThat(listed.entryFor("/usr/lib/postgresql/15/bin/initdb"))
        .map(HostPrograms.Entry::scope)
        .contains(HostPrograms.Scope.TEST);
  }

  /** The shell side reads the same list: one message, every missing program, one command. */
  @Test
  void theInstallScriptNamesEveryMissingProgramAndTheCommand(@TempDir Path dir) throws Exception {
    Path list = dir.resolve("programs");
    Files.writeString(list, LIST, StandardCharsets.UTF_8);
    String runtime = check(list, "runtime");
    assertThat(runtime)
        .isEqualTo(
            """
            pingdialer: not installed: pingdialer-no-such-program (the lab's imaginary phones)
            install: apt-get install pd-no-such-pkg
            """);
    assertThat(check(list, "test"))
        .contains("pingdialer-no-such-program (the lab's imaginary phones)")
        .contains("pingdialer-no-such-tester (a test that never runs here)")
        .contains("install: apt-get install pd-no-such-pkg pd-test-only");
  }

  private static String check(Path list, String scope) throws Exception {
    var builder =
        new ProcessBuilder("bash", "docker/host-prerequisites.sh", "--check", scope)
            .redirectErrorStream(true);
    builder.environment().putAll(Map.of("PINGDIALER_HOST_PROGRAMS", list.toString()));
    Process process = HostPrograms.listed().start(builder);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isEqualTo(1);
    return output;
  }
}
