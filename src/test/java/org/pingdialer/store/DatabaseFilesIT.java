package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pingdialer.call.Attempt;

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

  /**
   * Each commit is written by the committing thread (WRITE_DELAY=0): a thread interrupted while it
   * commits (executors' shutdownNow, Quartz stopping) must not close the file for everyone (plain
   * NIO closes a channel on interrupt; H2 then reports "The database has been closed").
   */
  @Test
  void aThreadInterruptedWhileItCommitsLeavesTheDatabaseOpen() throws Exception {
    try (Database database = Database.embedded(parent.resolve("interrupted"))) {
      var attempts = new JdbcAttemptStore(database);
      for (int round = 0; round < 40; round++) {
        Thread writer =
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < 50; i++) {
                        try {
                          attempts.place(
                              "interrupts", "4930999100001", Attempt.Kind.CALL, Instant.now());
                        } catch (RuntimeException interrupted) {
                          // this thread's write may fail; the database must not
                        }
                      }
                    });
        Thread.sleep(round % 5);
        writer.interrupt();
        writer.join();
      }
      // Still open, and every committed attempt is there.
      long placed = attempts.nextAttemptNumber("interrupts");
      assertThat(placed).isGreaterThan(1);
    }
  }
}
