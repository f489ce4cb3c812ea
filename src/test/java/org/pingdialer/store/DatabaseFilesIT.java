package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's files hold customers' data: only their owner may read them. */
class DatabaseFilesIT {
  @TempDir Path parent;

  @Test
  void aNewDataDirectoryAndTheDatabaseFilesAreOwnerOnly() throws Exception {
    Path dir = parent.resolve("fresh/data");
    try (Database database = Database.embedded(dir)) {
      assertThat(database.dataSource()).isNotNull();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    List<Path> files;
    try (var listing = Files.list(dir)) {
      files = listing.filter(f -> f.getFileName().toString().startsWith("pingdialer.")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(file.toString())
          .isEqualTo("rw-------");
    }
  }

  /** A database made by an earlier version (umask 022) is tightened when it is opened. */
  @Test
  void anExistingWorldReadableDatabaseIsMadeOwnerOnly() throws Exception {
    Path dir = Files.createDirectories(parent.resolve("old"));
    try (Database database = Database.embedded(dir)) {
      assertThat(database.dataSource()).isNotNull();
    }
    Path file = dir.resolve("pingdialer.mv.db");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try (Database database = Database.embedded(dir)) {
      assertThat(database.dataSource()).isNotNull();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
