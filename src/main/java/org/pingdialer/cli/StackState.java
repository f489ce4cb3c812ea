package org.pingdialer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.pingdialer.lab.stack.StackSettings;

/**
 * What {@code pingdialer stack up} leaves for later commands: the runtime and the settings (ports,
 * generated credentials) of the running stack, in {@code <state dir>/stack.json}, readable by the
 * owner only because it holds the lab passwords.
 */
record StackState(String runtime, StackSettings settings) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The system property {@code pingdialer.stateDir} (tests), else {@code $PINGDIALER_STATE_DIR},
   * else {@code $XDG_STATE_HOME/pingdialer}, else {@code ~/.local/state/pingdialer}.
   */
  static Path stateDir() {
    String explicit =
        System.getProperty("pingdialer.stateDir", System.getenv("PINGDIALER_STATE_DIR"));
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("pingdialer");
  }

  static Path stackDir() {
    return stateDir().resolve("stack");
  }

  private static Path file() {
    return stackDir().resolve("stack.json");
  }

  static Optional<StackState> load() {
    Path file = file();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), StackState.class));
    } catch (IOException e) {
      throw new UncheckedIOException(
          file + " is unreadable; remove it and run 'pingdialer stack up' again", e);
    }
  }

  void save() {
    try {
      Files.createDirectories(stackDir());
      Path file = file();
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file(), e);
    }
  }

  static void delete() {
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file(), e);
    }
  }
}
