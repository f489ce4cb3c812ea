package org.pingdialer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pingdialer.store.Database;

/**
 * Where the controller keeps its data: the embedded H2 database in a data directory (default {@code
 * $PINGDIALER_DATA_DIR}, else {@code ~/.local/share/pingdialer}), or PostgreSQL when {@code
 * PINGDIALER_DB_URL} is set (user and password from {@code PINGDIALER_DB_USER} and {@code
 * PINGDIALER_DB_PASSWORD} or the file named by {@code PINGDIALER_DB_PASSWORD_FILE}).
 */
final class DataOptions {
  private DataOptions() {}

  static Path defaultDataDir() {
    String fromEnv = System.getenv("PINGDIALER_DATA_DIR");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "pingdialer");
  }

  /** Opens (and migrates) the database the options name. */
  static Database open(Path dataDir) {
    String url = System.getenv("PINGDIALER_DB_URL");
    if (url != null && !url.isBlank()) {
      return Database.connect(url, env("PINGDIALER_DB_USER", "pingdialer"), password());
    }
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
    }
    return Database.embedded(dataDir);
  }

  private static String password() {
    // The variable wins over the file, as for serve (and compose sets both).
    String direct = System.getenv("PINGDIALER_DB_PASSWORD");
    if (direct != null && !direct.isBlank()) {
      return direct.strip();
    }
    String file = System.getenv("PINGDIALER_DB_PASSWORD_FILE");
    if (file != null && !file.isBlank()) {
      try {
        return Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read PINGDIALER_DB_PASSWORD_FILE " + file + ": " + e.getMessage(), e);
      }
    }
    return "";
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
