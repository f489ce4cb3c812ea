package org.pingdialer.store;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Java migration with its number, description and checksum given outright (Flyway's own base
 * class reads them from a class name such as {@code V5__lead_indexes}, which is no Java name we
 * want). Runs in the migration's transaction, like the SQL scripts.
 */
abstract class NumberedMigration implements JavaMigration {
  private final MigrationVersion version;
  private final String description;
  private final Integer checksum;

  /**
   * @param checksum what Flyway compares with an already migrated database's record: change it with
   *     every edit of {@code migrate}, so that a database migrated by another version of it is
   *     refused, not trusted; null when the migration's content is pinned elsewhere
   */
  NumberedMigration(int version, String description, Integer checksum) {
    this.version = MigrationVersion.fromVersion(Integer.toString(version));
    this.description = description;
    this.checksum = checksum;
  }

  @Override
  public final MigrationVersion getVersion() {
    return version;
  }

  @Override
  public final String getDescription() {
    return description;
  }

  @Override
  public final Integer getChecksum() {
    return checksum;
  }

  @Override
  public final boolean canExecuteInTransaction() {
    return true;
  }
}
