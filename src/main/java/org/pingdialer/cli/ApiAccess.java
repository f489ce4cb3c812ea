package org.pingdialer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where the running controller's API is and its token. A running demo writes them to {@code
 * api.json} in the state directory (owner-only) and removes the file when it stops; {@code
 * PINGDIALER_API_URL} and {@code PINGDIALER_API_TOKEN} override it.
 */
record ApiAccess(String url, String token) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ApiAccess[" + url + "]";
  }

  static Path file() {
    return StackState.stateDir().resolve("api.json");
  }

  /**
   * The API to talk to.
   *
   * @throws IllegalStateException saying what to do when none is known
   */
  static ApiAccess find(String urlOption) {
    String url = urlOption != null ? urlOption : System.getenv("PINGDIALER_API_URL");
    String token = System.getenv("PINGDIALER_API_TOKEN");
    if (url != null && token != null) {
      return new ApiAccess(url, token);
    }
    Path file = file();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "no running controller known (no "
              + file
              + "): start ./pingdialer demo, or set PINGDIALER_API_URL and PINGDIALER_API_TOKEN");
    }
    try {
      JsonNode saved = JSON.readTree(file.toFile());
      return new ApiAccess(
          url != null ? url : saved.path("url").asText(),
          token != null ? token : saved.path("token").asText());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the file, readable by the owner only. */
  static void save(ApiAccess access) {
    Path file = file();
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          file, JSON.writeValueAsString(Map.of("url", access.url(), "token", access.token())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static void delete() {
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      // a stale file is harmless: the next demo overwrites it
    }
  }
}
