package org.pingdialer.lab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pingdialer.host.HostPrograms;

/** The Docker runtime's image tag, build command and the variable that picks the runtime. */
class DockerRuntimeTest {
  private static final Path PROJECT = Path.of("").toAbsolutePath();

  @Test
  void theImageTagIsTheOneDockerCiEngineBuilds() throws Exception {
    // docker/ci-engine.sh: cat Dockerfile asterisk-entrypoint.sh make-phrases.sh | sha256sum
    Process hash =
        HostPrograms.listed()
            .start(
                new ProcessBuilder(
                        "sh",
                        "-c",
                        "cat docker/Dockerfile docker/asterisk-entrypoint.sh docker/make-phrases.sh"
                            + " | sha256sum | cut -c1-12")
                    .directory(PROJECT.toFile()));
    String expected =
        new String(hash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(hash.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(DockerRuntime.imageTag(PROJECT)).isEqualTo("pingdialer-asterisk:" + expected);
    assertThat(Files.readString(PROJECT.resolve("docker/ci-engine.sh")))
        .contains(
            "cat \"$SCRIPT_DIR/Dockerfile\" \"$SCRIPT_DIR/asterisk-entrypoint.sh\""
                + " \"$SCRIPT_DIR/make-phrases.sh\" | sha256sum | cut -c1-12");
  }

  @Test
  void aChangedImageFileIsANewTag(@TempDir Path copy) throws Exception {
    Files.createDirectories(copy.resolve("docker"));
    for (String file : new String[] {"Dockerfile", "asterisk-entrypoint.sh", "make-phrases.sh"}) {
      Files.copy(PROJECT.resolve("docker").resolve(file), copy.resolve("docker").resolve(file));
    }
    String before = DockerRuntime.imageTag(copy);
    assertThat(before).isEqualTo(DockerRuntime.imageTag(PROJECT));
    Files.writeString(
        copy.resolve("docker/make-phrases.sh"), "\n# edited\n", StandardOpenOption.APPEND);
    assertThat(DockerRuntime.imageTag(copy)).isNotEqualTo(before);
  }

  @Test
  void theBuildUsesTheHostNetworkAndTheBuildArgumentsTheEnvironmentSets() {
    assertThat(DockerRuntime.buildCommand(PROJECT, "img:1", Map.of()))
        .containsSubsequence("docker", "build", "--network", "host", "-t", "img:1")
        .doesNotContain("--build-arg");
    assertThat(
            DockerRuntime.buildCommand(
                PROJECT,
                "img:1",
                Map.of(
                    "ASTERISK_BASE_IMAGE", "local/debian:forky",
                    "APT_OPTS", "-o Acquire::Check-Valid-Until=false",
                    "CONTROLLER_BUILD_IMAGE", "not-for-asterisk")))
        .containsSubsequence(
            "--build-arg",
            "APT_OPTS=-o Acquire::Check-Valid-Until=false",
            "--build-arg",
            "BASE_IMAGE=local/debian:forky")
        .noneMatch(arg -> arg.contains("not-for-asterisk"));
    assertThat(DockerRuntime.buildCommand(PROJECT, "img:1", Map.of("APT_OPTS", " ")))
        .doesNotContain("--build-arg");
  }

  @Test
  void pingdialerRuntimePicksTheRuntimeOrNamesItself() {
    assertThat(AsteriskStack.runtimeFromEnvironment(null))
        .isEqualTo(AsteriskStack.RuntimeChoice.AUTO);
    assertThat(AsteriskStack.runtimeFromEnvironment(" "))
        .isEqualTo(AsteriskStack.RuntimeChoice.AUTO);
    assertThat(AsteriskStack.runtimeFromEnvironment("docker"))
        .isEqualTo(AsteriskStack.RuntimeChoice.DOCKER);
    assertThat(AsteriskStack.runtimeFromEnvironment("Rootfs"))
        .isEqualTo(AsteriskStack.RuntimeChoice.ROOTFS);
    assertThatThrownBy(() -> AsteriskStack.runtimeFromEnvironment("podman"))
        .hasMessageContaining("PINGDIALER_RUNTIME")
        .hasMessageContaining("docker, rootfs or auto")
        .hasMessageContaining("podman");
  }
}
