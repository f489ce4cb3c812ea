package org.pingdialer.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.inbound.InboundOutcome;

/**
 * Inbound calls in the database ({@code inbound_call}): a row when a caller arrives, its answer,
 * moves between queues and its one outcome; and the per-queue figures the reports show. Each write
 * is its own transaction, with an audit row for the outcome.
 */
public final class JdbcInboundStore implements InboundCallStore {
  private final Database database;

  public JdbcInboundStore(Database database) {
    this.database = database;
  }

  /** A caller arrived in {@code queue}; returns the call's id. */
  @Override
  public long arrived(String queue, String did, String caller, String channelId, Instant at) {
    return database.inTransaction(
        "storing the inbound call on " + channelId,
        connection -> {
          try (var insert =
              connection.prepareStatement(
                  "INSERT INTO inbound_call (queue, did, caller, channel_id, arrived_at)"
                      + " VALUES (?, ?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, queue);
            insert.setString(2, did);
            insert.setString(3, caller.length() > 32 ? caller.substring(0, 32) : caller);
            insert.setString(4, channelId);
            insert.setObject(5, at.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
              keys.next();
              return keys.getLong(1);
            }
          }
        });
  }

  /** An agent took the call. */
  @Override
  public void answered(long id, String agentId, Instant at) {
    update(
        "answer of inbound call " + id,
        "UPDATE inbound_call SET answered_at = ?, agent_id = ? WHERE id = ? AND outcome IS NULL",
        at.atOffset(ZoneOffset.UTC),
        agentId,
        id);
  }

  /** An overflow moved the caller to {@code queue}; the first queue is kept once. */
  @Override
  public void moved(long id, String from, String queue) {
    update(
        "move of inbound call " + id,
        "UPDATE inbound_call SET queue = ?, overflowed_from = COALESCE(overflowed_from, ?)"
            + " WHERE id = ? AND outcome IS NULL",
        queue,
        from,
        id);
  }

  /**
   * The call ended with {@code outcome}; {@code recording} names its voicemail. A call ends once: a
   * second end changes nothing.
   */
  @Override
  public void ended(long id, InboundOutcome outcome, Instant at, Optional<String> recording) {
    database.inTransaction(
        "ending inbound call " + id,
        connection -> {
          try (var update =
              connection.prepareStatement(
                  "UPDATE inbound_call SET outcome = ?, ended_at = ?, recording = ?"
                      + " WHERE id = ? AND outcome IS NULL")) {
            update.setString(1, outcome.name());
            update.setObject(2, at.atOffset(ZoneOffset.UTC));
            if (recording.isPresent()) {
              update.setString(3, recording.get());
            } else {
              update.setNull(3, Types.VARCHAR);
            }
            update.setLong(4, id);
            if (update.executeUpdate() == 1) {
              AuditRows.append(
                  connection,
                  at,
                  "inbound:" + id,
                  "inbound-ended",
                  outcome.name().toLowerCase(Locale.ROOT));
            }
          }
          return null;
        });
  }

  /** The agent filed {@code code} for the call (the last filing counts). */
  @Override
  public void filed(long id, String agentId, String code, Instant at) {
    database.inTransaction(
        "filing " + code + " for inbound call " + id,
        connection -> {
          try (var update =
              connection.prepareStatement(
                  "UPDATE inbound_call SET disposition = ? WHERE id = ? AND agent_id = ?")) {
            update.setString(1, code);
            update.setLong(2, id);
            update.setString(3, agentId);
            if (update.executeUpdate() == 1) {
              AuditRows.append(
                  connection, at, "inbound:" + id, "disposition", code + " by " + agentId);
            }
          }
          return null;
        });
  }

  /** The calls without an outcome, oldest first. */
  @Override
  public List<Open> open() {
    return database.inTransaction(
        "reading the open inbound calls",
        connection -> {
          List<Open> open = new ArrayList<>();
          try (var select =
                  connection.prepareStatement(
                      "SELECT id, queue, did, channel_id, arrived_at FROM inbound_call"
                          + " WHERE outcome IS NULL ORDER BY id");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              open.add(
                  new Open(
                      rows.getLong(1),
                      rows.getString(2),
                      rows.getString(3),
                      rows.getString(4),
                      rows.getObject(5, OffsetDateTime.class).toInstant()));
            }
          }
          return open;
        });
  }

  /** The calls of {@code queue} (every queue when empty) that arrived from {@code from}. */
  @Override
  public List<Row> calls(Optional<String> queue, Instant from) {
    return database.inTransaction(
        "reading inbound calls",
        connection -> {
          List<Row> calls = new ArrayList<>();
          try (var select =
              connection.prepareStatement(
                  "SELECT id, queue, did, caller, arrived_at, answered_at, ended_at, agent_id, outcome,"
                      + " overflowed_from, recording, disposition FROM inbound_call"
                      + " WHERE arrived_at >= ? AND (? IS NULL OR queue = ?) ORDER BY id")) {
            select.setObject(1, from.atOffset(ZoneOffset.UTC));
            select.setString(2, queue.orElse(null));
            select.setString(3, queue.orElse(null));
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                calls.add(row(rows));
              }
            }
          }
          return calls;
        });
  }

  private static Row row(ResultSet rows) throws SQLException {
    OffsetDateTime answered = rows.getObject("answered_at", OffsetDateTime.class);
    OffsetDateTime ended = rows.getObject("ended_at", OffsetDateTime.class);
    String outcome = rows.getString("outcome");
    return new Row(
        rows.getLong("id"),
        rows.getString("queue"),
        rows.getString("did"),
        rows.getString("caller"),
        rows.getObject("arrived_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(answered).map(OffsetDateTime::toInstant),
        Optional.ofNullable(ended).map(OffsetDateTime::toInstant),
        Optional.ofNullable(rows.getString("agent_id")),
        Optional.ofNullable(outcome).map(InboundOutcome::valueOf),
        Optional.ofNullable(rows.getString("overflowed_from")),
        Optional.ofNullable(rows.getString("recording")),
        Optional.ofNullable(rows.getString("disposition")));
  }

  private void update(String what, String sql, Object... values) {
    database.inTransaction(
        what,
        connection -> {
          try (var update = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
              update.setObject(i + 1, values[i]);
            }
            update.executeUpdate();
          }
          return null;
        });
  }
}
