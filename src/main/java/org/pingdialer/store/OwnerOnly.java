package org.pingdialer.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read: the embedded database holds customers' numbers, names and
 * consent records, so it is not left to the umask (022 makes it world-readable). On a file system
 * without POSIX permissions nothing is changed.
 */
final class OwnerOnly {
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Creates {@code dir} and missing parents, the new ones owner-only. */
  static void createDirectories(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        return;
      }
      if (dir.getParent() != null) {
        createDirectories(dir.getParent());
      }
      if (posix()) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      } else {
        Files.createDirectory(dir);
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the data directory " + dir + ": " + e, e);
    }
  }

  /** Makes the files in {@code dir} whose names start with {@code prefix} owner-only. */
  static void restrictFiles(Path dir, String prefix) {
    if (!posix()) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().startsWith(prefix) && Files.isRegularFile(file)) {
          Files.setPosixFilePermissions(file, FILE);
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot make the database files in " + dir + " owner-only: " + e, e);
    }
  }
}
