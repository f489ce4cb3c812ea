package org.pingdialer.lab.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Asterisk from a cached Debian rootfs in a chroot, for machines without a Docker engine. All the
 * work is in {@code docker/asterisk-rootfs.sh} so users can run the same steps by hand.
 */
final class RootfsRuntime implements AsteriskRuntime {
  // The first call builds the rootfs (debootstrap + apt, about a minute); later calls reuse it.
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path script;

  RootfsRuntime(Path projectDir) {
    this.script = ScriptRunner.script(projectDir, "asterisk-rootfs.sh");
  }

  @Override
  public String name() {
    return "rootfs";
  }

  @Override
  public void start(String role, Path instanceDir) {
    ScriptRunner.runOrFail(
        List.of("bash", script.toString(), "start", instanceDir.toString()),
        Map.of(),
        START_TIMEOUT);
  }

  @Override
  public void stop(String role, Path instanceDir) {
    ScriptRunner.runOrFail(
        List.of("bash", script.toString(), "stop", instanceDir.toString()), Map.of(), STOP_TIMEOUT);
  }

  @Override
  public String cli(String role, Path instanceDir, String command) {
    return ScriptRunner.runOrFail(
            List.of("bash", script.toString(), "cli", instanceDir.toString(), command),
            Map.of(),
            STOP_TIMEOUT)
        .output();
  }

  @Override
  public void freeze(String role, Path instanceDir, boolean frozen) {
    ScriptRunner.runOrFail(
        List.of("bash", script.toString(), frozen ? "freeze" : "thaw", instanceDir.toString()),
        Map.of(),
        STOP_TIMEOUT);
  }

  @Override
  public boolean isRunning(String role, Path instanceDir) {
    return ScriptRunner.run(
                List.of("bash", script.toString(), "status", instanceDir.toString()),
                Map.of(),
                STOP_TIMEOUT)
            .exitCode()
        == 0;
  }
}
