package org.pingdialer.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Asterisk in a container, for hosts with a Docker engine. The container runs the image built from
 * {@code docker/Dockerfile} on the host network (everything binds 127.0.0.1) with the rendered
 * instance directory mounted at {@code /pingdialer/instance}, so configs, logs and the control
 * socket sit in the same place as with the rootfs runtime.
 */
final class DockerRuntime implements AsteriskRuntime {
  /**
   * The image's tag. The image is built only when this tag is missing, so change the tag whenever
   * docker/Dockerfile changes (2: espeak-ng and sox for the phone goat's phrases), or an older
   * image without them keeps being used.
   */
  static final String IMAGE = "pingdialer-asterisk:22-2";

  private static final Duration DOCKER_TIMEOUT = Duration.ofMinutes(10);

  private final Path projectDir;

  DockerRuntime(Path projectDir) {
    this.projectDir = projectDir;
  }

  /** Whether a Docker engine answers here (the client alone is not enough). */
  static boolean engineAnswers() {
    try {
      return ScriptRunner.run(
                  List.of("docker", "info", "--format", "{{.ServerVersion}}"),
                  Map.of(),
                  Duration.ofSeconds(10))
              .exitCode()
          == 0;
    } catch (RuntimeException noDockerClient) {
      return false;
    }
  }

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public void start(String role, Path instanceDir) {
    if (ScriptRunner.run(List.of("docker", "image", "inspect", IMAGE), Map.of(), DOCKER_TIMEOUT)
            .exitCode()
        != 0) {
      ScriptRunner.runOrFail(
          List.of(
              "docker",
              "build",
              "-t",
              IMAGE,
              "-f",
              projectDir.resolve("docker/Dockerfile").toString(),
              projectDir.resolve("docker").toString()),
          Map.of(),
          DOCKER_TIMEOUT);
    }
    ScriptRunner.runOrFail(
        List.of(
            "docker",
            "run",
            "-d",
            "--rm",
            "--name",
            container(instanceDir),
            "--network",
            "host",
            "-v",
            instanceDir.toAbsolutePath() + ":/pingdialer/instance",
            IMAGE),
        Map.of(),
        DOCKER_TIMEOUT);
    // "docker run -d" returns before Asterisk has opened its control socket.
    for (int attempt = 1; ; attempt++) {
      try {
        cli(role, instanceDir, "core waitfullybooted");
        return;
      } catch (IllegalStateException notYet) {
        if (attempt == 100) {
          throw notYet;
        }
      }
    }
  }

  @Override
  public void stop(String role, Path instanceDir) {
    ScriptRunner.run(
        List.of("docker", "stop", "-t", "10", container(instanceDir)), Map.of(), DOCKER_TIMEOUT);
  }

  @Override
  public String cli(String role, Path instanceDir, String command) {
    return ScriptRunner.runOrFail(
            List.of(
                "docker",
                "exec",
                container(instanceDir),
                "asterisk",
                "-C",
                "/pingdialer/instance/etc/asterisk.conf",
                "-rx",
                command),
            Map.of(),
            Duration.ofSeconds(30))
        .output();
  }

  @Override
  public void freeze(String role, Path instanceDir, boolean frozen) {
    ScriptRunner.runOrFail(
        List.of("docker", frozen ? "pause" : "unpause", container(instanceDir)),
        Map.of(),
        DOCKER_TIMEOUT);
  }

  @Override
  public boolean isRunning(String role, Path instanceDir) {
    var result =
        ScriptRunner.run(
            List.of("docker", "inspect", "-f", "{{.State.Running}}", container(instanceDir)),
            Map.of(),
            Duration.ofSeconds(30));
    return result.exitCode() == 0 && result.lastLine().equals("true");
  }

  private static String container(Path instanceDir) {
    return "pingdialer-" + Integer.toHexString(instanceDir.toAbsolutePath().hashCode());
  }
}
