package org.pingdialer.lab.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Asterisk in a container, for hosts with a Docker engine. The container runs the image built from
 * {@code docker/Dockerfile} on the host network (everything binds 127.0.0.1) with the rendered
 * instance directory mounted at {@code /pingdialer/instance}, so configs, logs and the control
 * socket sit in the same place as with the rootfs runtime.
 */
final class DockerRuntime implements AsteriskRuntime {
  /** The image's name; its tag is the hash of what goes into it ({@link #imageTag}). */
  static final String IMAGE = "pingdialer-asterisk";

  /** The files the image is built from: any change to them is a new tag, so a new build. */
  private static final List<String> IMAGE_SOURCES =
      List.of("docker/Dockerfile", "docker/asterisk-entrypoint.sh", "docker/make-phrases.sh");

  /**
   * Build arguments of docker/Dockerfile and the variables that set them (the same names as in
   * compose.yml), for hosts whose registry is out of reach or whose mirror needs apt options.
   */
  private static final Map<String, String> BUILD_ARGS =
      Map.of("BASE_IMAGE", "ASTERISK_BASE_IMAGE", "APT_OPTS", "APT_OPTS");

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

  /**
   * {@code pingdialer-asterisk:<first 12 hex digits of the SHA-256 of the image's files>}, the same
   * tag docker/ci-engine.sh builds ({@code cat FILES | sha256sum}).
   */
  static String imageTag(Path projectDir) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String source : IMAGE_SOURCES) {
        digest.update(Files.readAllBytes(projectDir.resolve(source)));
      }
      return IMAGE + ":" + HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Asterisk image's files in " + projectDir, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** {@code docker build} for the image, with the build arguments the environment sets. */
  static List<String> buildCommand(Path projectDir, String tag, Map<String, String> environment) {
    List<String> command = new ArrayList<>(List.of("docker", "build", "--network", "host"));
    new TreeMap<>(BUILD_ARGS)
        .forEach(
            (arg, variable) -> {
              String value = environment.get(variable);
              if (value != null && !value.isBlank()) {
                command.addAll(List.of("--build-arg", arg + "=" + value));
              }
            });
    command.addAll(
        List.of(
            "-t",
            tag,
            "-f",
            projectDir.resolve("docker/Dockerfile").toString(),
            projectDir.resolve("docker").toString()));
    return command;
  }

  @Override
  public void start(String role, Path instanceDir) {
    String image = imageTag(projectDir);
    if (ScriptRunner.run(List.of("docker", "image", "inspect", image), Map.of(), DOCKER_TIMEOUT)
            .exitCode()
        != 0) {
      // --network host: the build's apt must reach the mirror even on an engine without a bridge.
      ScriptRunner.runOrFail(
          buildCommand(projectDir, image, System.getenv()), Map.of(), DOCKER_TIMEOUT);
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
            image),
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
