package org.pingdialer.store;

import static org.pingdialer.store.JdbcLeadStore.dncAmong;
import static org.pingdialer.store.LeadRows.VISIBLE;
import static org.pingdialer.store.LeadRows.clip;
import static org.pingdialer.store.LeadRows.closeQuietly;
import static org.pingdialer.store.LeadRows.generatedKey;
import static org.pingdialer.store.LeadRows.rollbackQuietly;
import static org.pingdialer.store.LeadRows.setInstant;
import static org.pingdialer.store.LeadRows.utc;
import static org.pingdialer.store.LeadRows.withGlobal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.NewLead;
import org.pingdialer.lead.PhoneNumber;

/**
 * One import into a list, on a connection of its own: rows go in committed chunks that stay
 * invisible until {@link #commit} marks the import done; a failed or abandoned import's rows are
 * deleted, so it leaves nothing behind. An import whose heartbeat stopped for {@link #STALE_IMPORT}
 * (its process died) is cleaned up by the next one.
 */
final class JdbcImportSession implements LeadStore.ImportSession {
  /** An import without a heartbeat for this long was abandoned (its process died). */
  static final Duration STALE_IMPORT = Duration.ofMinutes(2);

  private final Connection connection;
  private final String list;
  private final long listId;
  private final boolean newList;
  private final long importId;
  private final String fileName;
  private final Instant at;

  /** Each zone list's stored text: a million leads share a handful of lists. */
  private final Map<List<ZoneId>, String> zoneTexts = new HashMap<>();

  private final PreparedStatement insertLead;
  private final PreparedStatement heartbeat;
  private boolean finished;

  JdbcImportSession(
      Connection connection,
      String list,
      long listId,
      boolean newList,
      long importId,
      String fileName,
      Instant at)
      throws SQLException {
    this.connection = connection;
    this.list = list;
    this.listId = listId;
    this.newList = newList;
    this.importId = importId;
    this.fileName = fileName;
    this.at = at;
    this.insertLead =
        connection.prepareStatement(
            "INSERT INTO lead (list_id, import_id, source_line, phone, number_type, region,"
                + " timezones, first_name, last_name, full_name, email, source, consent,"
                + " consent_at, attributes, state, state_since, priority, attempts)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NEW', ?, 0, 0)");
    this.heartbeat =
        connection.prepareStatement("UPDATE lead_import SET heartbeat_at = ? WHERE id = ?");
  }

  @Override
  public void forEachExistingNumber(Consumer<String> e164) {
    try (var select =
        connection.prepareStatement("SELECT phone FROM lead l WHERE l.list_id = ? AND" + VISIBLE)) {
      select.setLong(1, listId);
      select.setFetchSize(10_000);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          e164.accept(rows.getString(1));
        }
      }
    } catch (SQLException e) {
      throw failed("reading the numbers already in list " + list, e);
    }
  }

  @Override
  public Set<String> onDnc(Collection<String> e164s, Collection<String> dncLists) {
    try {
      return dncAmong(connection, e164s, withGlobal(dncLists));
    } catch (SQLException e) {
      throw failed("checking numbers against the DNC lists", e);
    }
  }

  @Override
  public void add(List<NewLead> leads) {
    if (leads.isEmpty()) {
      return;
    }
    try {
      OffsetDateTime stored = utc(at);
      for (NewLead lead : leads) {
        PhoneNumber number = lead.number();
        Contact contact = lead.contact();
        insertLead.setLong(1, listId);
        insertLead.setLong(2, importId);
        insertLead.setLong(3, lead.line());
        insertLead.setString(4, number.e164());
        insertLead.setString(5, number.type().name());
        insertLead.setString(6, number.region());
        insertLead.setString(
            7, zoneTexts.computeIfAbsent(number.zones(), zones -> number.zoneIds()));
        insertLead.setString(8, clip(contact.firstName(), 200));
        insertLead.setString(9, clip(contact.lastName(), 200));
        insertLead.setString(10, clip(contact.fullName(), 200));
        insertLead.setString(11, clip(contact.email(), 200));
        insertLead.setString(12, clip(contact.source(), 200));
        insertLead.setString(13, clip(contact.consent(), 200));
        setInstant(insertLead, 14, contact.consentAt());
        insertLead.setString(15, LeadAttributes.toText(lead.attributes()));
        insertLead.setObject(16, stored);
        insertLead.addBatch();
      }
      insertLead.executeBatch();
      heartbeat.setObject(1, utc(Instant.now()));
      heartbeat.setLong(2, importId);
      heartbeat.executeUpdate();
      // Each batch is committed (invisible until the import is DONE): one huge transaction is
      // what made H2 slow and memory-hungry.
      connection.commit();
    } catch (SQLException e) {
      throw failed(
          "storing leads from lines " + leads.getFirst().line() + "–" + leads.getLast().line(), e);
    }
  }

  @Override
  public long commit(LeadStore.ImportCounts counts) {
    try {
      try (var update =
          connection.prepareStatement(
              "UPDATE lead_import SET status = 'DONE', total_rows = ?, imported = ?,"
                  + " duplicates = ?, invalid = ?, premium = ?, dnc = ? WHERE id = ?")) {
        update.setLong(1, counts.rows());
        update.setLong(2, counts.imported());
        update.setLong(3, counts.duplicates());
        update.setLong(4, counts.invalid());
        update.setLong(5, counts.premium());
        update.setLong(6, counts.dnc());
        update.setLong(7, importId);
        update.executeUpdate();
      }
      rememberTimezoneSets(connection, new HashSet<>(zoneTexts.values()));
      AuditRows.append(
          connection,
          at,
          "list:" + list,
          "imported",
          "import "
              + importId
              + " from "
              + fileName
              + ": "
              + counts.imported()
              + " of "
              + counts.rows()
              + " rows (duplicates "
              + counts.duplicates()
              + ", invalid "
              + counts.invalid()
              + ", premium "
              + counts.premium()
              + ", dnc "
              + counts.dnc()
              + ")");
      connection.commit();
      finished = true;
      return importId;
    } catch (SQLException e) {
      throw failed("committing the import into list " + list, e);
    }
  }

  @Override
  public void close() {
    try {
      if (!finished) {
        // Not committed: take back every chunk already stored, and the list if this import
        // created it, so the database is as it was.
        connection.rollback();
        deleteImport(connection, listId, importId);
        if (newList) {
          // Not while another import of the list is there: it may be filling the list right
          // now (and if one starts in between, the foreign key refuses the delete).
          try (var delete =
              connection.prepareStatement(
                  "DELETE FROM lead_list WHERE id = ?"
                      + " AND NOT EXISTS (SELECT 1 FROM lead_import WHERE list_id = ?)")) {
            delete.setLong(1, listId);
            delete.setLong(2, listId);
            delete.executeUpdate();
          }
        }
        connection.commit();
      }
    } catch (SQLException e) {
      // The leftovers are invisible; the next import removes them once they are stale.
      rollbackQuietly(connection);
    } finally {
      finished = true;
      closeQuietly(insertLead);
      closeQuietly(heartbeat);
      closeQuietly(connection);
    }
  }

  private StoreException failed(String what, SQLException e) {
    return new StoreException(what + " failed: " + e.getMessage(), e);
  }

  /** Opens an import into {@code list} (created if new) on a connection of its own. */
  static JdbcImportSession begin(
      Database database, String list, String defaultRegion, String fileName, Instant at) {
    Connection connection;
    try {
      connection = database.dataSource().getConnection();
    } catch (SQLException e) {
      throw new StoreException("opening a connection for an import into " + list, e);
    }
    try {
      connection.setAutoCommit(false);
      removeAbandonedImports(connection, at);
      boolean newList = !listExists(connection, list);
      long listId = listId(connection, list, defaultRegion, at);
      long importId;
      try (var insert =
          connection.prepareStatement(
              "INSERT INTO lead_import (list_id, file_name, imported_at, status, heartbeat_at,"
                  + " total_rows, imported, duplicates, invalid, premium, dnc)"
                  + " VALUES (?, ?, ?, 'IMPORTING', ?, 0, 0, 0, 0, 0, 0)",
              Statement.RETURN_GENERATED_KEYS)) {
        insert.setLong(1, listId);
        insert.setString(2, clip(fileName, 500));
        insert.setObject(3, utc(at));
        insert.setObject(4, utc(Instant.now()));
        insert.executeUpdate();
        importId = generatedKey(insert);
      }
      connection.commit();
      return new JdbcImportSession(connection, list, listId, newList, importId, fileName, at);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(connection);
      throw new StoreException("starting an import into list " + list + ": " + e.getMessage(), e);
    }
  }

  private static boolean listExists(Connection connection, String list) throws SQLException {
    try (var select = connection.prepareStatement("SELECT 1 FROM lead_list WHERE name = ?")) {
      select.setString(1, list);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Deletes what imports left behind when their process died mid-way: invisible rows that would
   * otherwise block the same numbers from being imported again. The heartbeat is wall-clock time.
   */
  private static void removeAbandonedImports(Connection connection, Instant at)
      throws SQLException {
    Map<Long, Long> abandoned = new LinkedHashMap<>(); // import id → list id
    try (var select =
        connection.prepareStatement(
            "SELECT id, list_id FROM lead_import WHERE status = 'IMPORTING' AND heartbeat_at < ?")) {
      select.setObject(1, utc(Instant.now().minus(STALE_IMPORT)));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          abandoned.put(rows.getLong(1), rows.getLong(2));
        }
      }
    }
    for (var importAndList : abandoned.entrySet()) {
      long importId = importAndList.getKey();
      deleteImport(connection, importAndList.getValue(), importId);
      AuditRows.append(
          connection, at, "import:" + importId, "removed", "abandoned import cleaned up");
    }
  }

  /**
   * Deletes an import's leads, then the import. By list and import: the index of lead's foreign key
   * to its import is on both (migration 6).
   */
  private static void deleteImport(Connection connection, long listId, long importId)
      throws SQLException {
    try (var leads =
            connection.prepareStatement("DELETE FROM lead WHERE list_id = ? AND import_id = ?");
        var row = connection.prepareStatement("DELETE FROM lead_import WHERE id = ?")) {
      leads.setLong(1, listId);
      leads.setLong(2, importId);
      leads.executeUpdate();
      row.setLong(1, importId);
      row.executeUpdate();
    }
  }

  private static long listId(Connection connection, String list, String region, Instant at)
      throws SQLException {
    try (var select = connection.prepareStatement("SELECT id FROM lead_list WHERE name = ?")) {
      select.setString(1, list);
      try (ResultSet rows = select.executeQuery()) {
        if (rows.next()) {
          return rows.getLong(1);
        }
      }
    }
    try (var insert =
        connection.prepareStatement(
            "INSERT INTO lead_list (name, default_region, created_at) VALUES (?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, list);
      insert.setString(2, region);
      insert.setObject(3, utc(at));
      insert.executeUpdate();
      return generatedKey(insert);
    }
  }

  private static void rememberTimezoneSets(Connection connection, Set<String> sets)
      throws SQLException {
    Set<String> known = new HashSet<>();
    try (var select = connection.createStatement();
        ResultSet rows = select.executeQuery("SELECT timezones FROM lead_timezones")) {
      while (rows.next()) {
        known.add(rows.getString(1));
      }
    }
    try (var insert =
        connection.prepareStatement("INSERT INTO lead_timezones (timezones) VALUES (?)")) {
      for (String set : sets) {
        if (!known.contains(set)) {
          insert.setString(1, set);
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }
}
