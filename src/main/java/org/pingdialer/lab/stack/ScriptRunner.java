package org.pingdialer.lab.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pingdialer.host.HostPrograms;

/** Runs a helper command (our shell scripts, docker) and captures what it printed. */
final class ScriptRunner {
  private ScriptRunner() {}

  /** What a finished command left behind. */
  record Result(int exitCode, String output) {
    String lastLine() {
      String[] lines = output.strip().split("\n");
      return lines[lines.length - 1].strip();
    }
  }

  static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    var builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Process process = HostPrograms.listed().start(builder);
      process.getOutputStream().close();
      // Read in the foreground: the scripts print little, and this avoids a reader thread.
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish within " + timeout);
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  static Result runOrFail(List<String> command, Map<String, String> env, Duration timeout) {
    Result result = run(command, env, timeout);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed (exit "
              + result.exitCode()
              + "):\n"
              + result.output().strip());
    }
    return result;
  }

  static Path script(Path projectDir, String name) {
    return projectDir.resolve("docker").resolve(name);
  }
}
