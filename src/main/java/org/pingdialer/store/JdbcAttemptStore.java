package org.pingdialer.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Evidence;
import org.pingdialer.call.LineCheckResult;
import org.pingdialer.call.Timeline;

/**
 * {@link AttemptStore} in the database. Each change is one transaction together with its audit row:
 * a placed attempt, or a result with all its evidence.
 */
public final class JdbcAttemptStore implements AttemptStore {
  private final Database database;

  public JdbcAttemptStore(Database database) {
    this.database = database;
  }

  @Override
  public long nextAttemptNumber(String campaign) {
    for (int attempt = 1; ; attempt++) {
      try {
        return reserveNumber(campaign);
      } catch (StoreException e) {
        // Two first reservations for a new campaign both insert its counter row; the loser
        // retries and then finds the row.
        if (attempt == 3 || !e.isUniqueViolation()) {
          throw e;
        }
      }
    }
  }

  private long reserveNumber(String campaign) {
    return database.inTransaction(
        "reserving an attempt number for campaign " + campaign,
        connection -> reserveNumber(connection, campaign));
  }

  /** One transaction on the placing path: reserve the number, store the attempt, audit it. */
  @Override
  public Attempt place(String campaign, String number, Attempt.Kind kind, Instant at) {
    for (int tries = 1; ; tries++) {
      try {
        return database.inTransaction(
            "placing an attempt for campaign " + campaign,
            connection -> {
              var attempt =
                  new Attempt(
                      new AttemptKey(campaign, reserveNumber(connection, campaign)), number, kind);
              insertPlaced(connection, attempt, at);
              return attempt;
            });
      } catch (StoreException e) {
        if (tries == 3 || !e.isUniqueViolation()) {
          throw e;
        }
      }
    }
  }

  /**
   * Many calls and results at once, in one transaction (one commit: on the embedded database most
   * of a write's cost): the numbers of each campaign reserved together, each attempt stored and
   * audited, then each result with its evidence and audit row.
   */
  @Override
  public List<Attempt> write(List<Placement> placements, List<AttemptResult> results) {
    for (int tries = 1; ; tries++) {
      try {
        return database.inTransaction(
            "placing " + placements.size() + " attempts and storing " + results.size() + " results",
            connection -> {
              Map<String, Long> next = new HashMap<>();
              Map<String, Long> count = new HashMap<>();
              placements.forEach(p -> count.merge(p.campaign(), 1L, Long::sum));
              for (var campaign : count.entrySet()) {
                long last = reserveNumbers(connection, campaign.getKey(), campaign.getValue());
                next.put(campaign.getKey(), last - campaign.getValue() + 1);
              }
              List<Attempt> placed = new ArrayList<>(placements.size());
              for (Placement p : placements) {
                long number = next.merge(p.campaign(), 1L, Long::sum) - 1;
                var attempt =
                    new Attempt(new AttemptKey(p.campaign(), number), p.number(), p.kind());
                insertPlaced(connection, attempt, p.at());
                placed.add(attempt);
              }
              for (AttemptResult result : results) {
                writeResult(connection, result);
              }
              return placed;
            });
      } catch (StoreException e) {
        if (tries == 3 || !e.isUniqueViolation()) {
          throw e;
        }
      }
    }
  }

  private static long reserveNumber(Connection connection, String campaign) throws SQLException {
    return reserveNumbers(connection, campaign, 1);
  }

  /** Reserves {@code count} numbers of the campaign and returns the last of them. */
  private static long reserveNumbers(Connection connection, String campaign, long count)
      throws SQLException {
    try (var update =
        connection.prepareStatement(
            "UPDATE attempt_counter SET last_attempt = last_attempt + ? WHERE campaign = ?")) {
      update.setLong(1, count);
      update.setString(2, campaign);
      if (update.executeUpdate() == 0) {
        try (var insert =
            connection.prepareStatement(
                "INSERT INTO attempt_counter (campaign, last_attempt) VALUES (?, ?)")) {
          insert.setString(1, campaign);
          insert.setLong(2, count);
          insert.executeUpdate();
        }
      }
    }
    try (var select =
        connection.prepareStatement(
            "SELECT last_attempt FROM attempt_counter WHERE campaign = ?")) {
      select.setString(1, campaign);
      try (var rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  @Override
  public void recordPlaced(Attempt attempt, Instant at) {
    AttemptKey key = attempt.key();
    database.inTransaction(
        "storing attempt " + key,
        connection -> {
          if (storedOutcome(connection, key).isPresent()) {
            throw new IllegalStateException("attempt " + key + " is already stored");
          }
          insertPlaced(connection, attempt, at);
          return null;
        });
  }

  private static void insertPlaced(Connection connection, Attempt attempt, Instant at)
      throws SQLException {
    AttemptKey key = attempt.key();
    try (var insert =
        connection.prepareStatement(
            "INSERT INTO attempt (campaign, attempt_no, phone, kind, placed_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, key.campaign());
      insert.setLong(2, key.attempt());
      insert.setString(3, attempt.number());
      insert.setString(4, attempt.kind().name());
      insert.setObject(5, utc(at));
      insert.executeUpdate();
    }
    AuditRows.append(
        connection, at, subject(key), "placed", attempt.kind() + " to " + attempt.number());
  }

  @Override
  public void recordResult(AttemptResult result) {
    database.inTransaction(
        "storing the result of " + result.key(),
        connection -> {
          writeResult(connection, result);
          return null;
        });
  }

  private static void writeResult(Connection connection, AttemptResult result) throws SQLException {
    AttemptKey key = result.key();
    Timeline t = result.timeline();
    try (var update =
        connection.prepareStatement(
            "UPDATE attempt SET outcome = ?, cause = ?, tech_cause = ?, line_check = ?,"
                + " agent_id = ?, controller_error = ?, created_at = ?, in_stasis_at = ?,"
                + " ringing_at = ?, progress_at = ?, answered_at = ?, bridged_at = ?,"
                + " drop_started_at = ?, ended_at = ?, evidence = ?"
                + " WHERE campaign = ? AND attempt_no = ? AND outcome IS NULL")) {
      update.setString(1, result.outcome().name());
      update.setInt(2, result.cause());
      setInteger(update, 3, result.techCause());
      update.setString(4, result.lineCheck().map(Enum::name).orElse(null));
      update.setString(5, result.agentId().orElse(null));
      update.setBoolean(6, result.controllerError());
      update.setObject(7, utc(t.createdAt()));
      update.setObject(8, utc(t.inStasisAt()));
      update.setObject(9, utc(t.ringingAt()));
      update.setObject(10, utc(t.progressAt()));
      update.setObject(11, utc(t.answeredAt()));
      update.setObject(12, utc(t.bridgedAt()));
      update.setObject(13, utc(t.dropStartedAt()));
      update.setObject(14, utc(t.endedAt()));
      update.setString(15, EvidenceColumn.encode(result.evidence()));
      update.setString(16, key.campaign());
      update.setLong(17, key.attempt());
      if (update.executeUpdate() == 0) {
        throw new IllegalStateException(
            storedOutcome(connection, key)
                .map(outcome -> "attempt " + key + " already ended as " + outcome)
                .orElse("attempt " + key + " was never placed"));
      }
    }
    Instant endedAt = t.endedAt() != null ? t.endedAt() : Instant.now();
    AuditRows.append(
        connection,
        endedAt,
        subject(key),
        "ended",
        result.outcome()
            + " cause "
            + result.cause()
            + (result.techCause() == null ? "" : " sip " + result.techCause()));
  }

  /**
   * A campaign's attempts counted from the attempts table, for reports: calls and line checks, and
   * calls by outcome and whether they reached an agent.
   *
   * @param byOutcome ended calls (not line checks) by outcome
   * @param connectedToAgent answered calls that reached an agent
   */
  public record Counts(
      long lineChecks, long calls, Map<DialOutcome, Long> byOutcome, long connectedToAgent) {
    public Counts {
      byOutcome = Map.copyOf(byOutcome);
    }

    public long of(DialOutcome outcome) {
      return byOutcome.getOrDefault(outcome, 0L);
    }

    /**
     * Abandoned over live-answered calls (answered + abandoned), the regulators' measure before any
     * machine estimate; 0 when nothing was answered.
     */
    public double abandonRate() {
      long live = of(DialOutcome.ANSWERED) + of(DialOutcome.ABANDONED);
      return live == 0 ? 0 : (double) of(DialOutcome.ABANDONED) / live;
    }
  }

  /** The campaign's attempts counted; see {@link Counts}. */
  public Counts countsOf(String campaign) {
    return database.inTransaction(
        "counting the attempts of " + campaign,
        connection -> {
          long checks = 0;
          long calls = 0;
          long connected = 0;
          Map<DialOutcome, Long> byOutcome = new EnumMap<>(DialOutcome.class);
          try (var query =
              connection.prepareStatement(
                  "SELECT kind, outcome, agent_id IS NOT NULL, COUNT(*) FROM attempt"
                      + " WHERE campaign = ? GROUP BY kind, outcome, agent_id IS NOT NULL")) {
            query.setString(1, campaign);
            try (var rows = query.executeQuery()) {
              while (rows.next()) {
                long n = rows.getLong(4);
                if (Attempt.Kind.valueOf(rows.getString(1)) == Attempt.Kind.LINE_CHECK) {
                  checks += n;
                  continue;
                }
                calls += n;
                String outcome = rows.getString(2);
                if (outcome != null) {
                  DialOutcome o = DialOutcome.valueOf(outcome);
                  byOutcome.merge(o, n, Long::sum);
                  if (o == DialOutcome.ANSWERED && rows.getBoolean(3)) {
                    connected += n;
                  }
                }
              }
            }
          }
          return new Counts(checks, calls, byOutcome, connected);
        });
  }

  @Override
  public List<Ended> endedSince(String campaign, Instant since) {
    return database.inTransaction(
        "reading the ended calls of " + campaign,
        connection -> {
          try (var query =
              connection.prepareStatement(
                  // Line checks too: a full check a person answers is a live call, and dropped
                  // it is an abandoned one (one-ring pings are never answered: not in the rate).
                  "SELECT ended_at, outcome, kind, ringing_at, answered_at, bridged_at FROM attempt"
                      + " WHERE campaign = ?"
                      + " AND kind IN ('CALL', 'LINE_CHECK')"
                      + " AND outcome IS NOT NULL AND ended_at >= ? ORDER BY ended_at")) {
            query.setString(1, campaign);
            query.setObject(2, since.atOffset(ZoneOffset.UTC));
            List<Ended> ended = new ArrayList<>();
            try (var rows = query.executeQuery()) {
              while (rows.next()) {
                var ringing = rows.getObject(4, OffsetDateTime.class);
                var answered = rows.getObject(5, OffsetDateTime.class);
                var bridged = rows.getObject(6, OffsetDateTime.class);
                var endedAt = rows.getObject(1, OffsetDateTime.class);
                ended.add(
                    new Ended(
                        endedAt.toInstant(),
                        DialOutcome.valueOf(rows.getString(2)),
                        Attempt.Kind.valueOf(rows.getString(3)),
                        answered != null,
                        ringing != null && answered != null
                            ? Optional.of(Duration.between(ringing, answered))
                            : Optional.empty(),
                        bridged != null
                            ? Optional.of(Duration.between(bridged, endedAt))
                            : Optional.empty()));
              }
            }
            return ended;
          }
        });
  }

  @Override
  public int countOutcomes(String campaign, String number, DialOutcome outcome) {
    return database.inTransaction(
        "counting " + outcome + " calls to " + number,
        connection -> {
          try (var query =
              connection.prepareStatement(
                  "SELECT COUNT(*) FROM attempt WHERE phone = ? AND campaign = ? AND outcome = ?")) {
            query.setString(1, number);
            query.setString(2, campaign);
            query.setString(3, outcome.name());
            try (var row = query.executeQuery()) {
              row.next();
              return row.getInt(1);
            }
          }
        });
  }

  @Override
  public Optional<StoredAttempt> find(AttemptKey key) {
    return database.inTransaction(
        "reading attempt " + key,
        connection -> {
          try (var query =
              connection.prepareStatement(
                  "SELECT phone, kind, placed_at, outcome, cause, tech_cause, line_check, agent_id,"
                      + " controller_error, created_at, in_stasis_at, ringing_at, progress_at,"
                      + " answered_at, bridged_at, drop_started_at, ended_at"
                      + " FROM attempt WHERE campaign = ? AND attempt_no = ?")) {
            query.setString(1, key.campaign());
            query.setLong(2, key.attempt());
            try (var row = query.executeQuery()) {
              if (!row.next()) {
                return Optional.empty();
              }
              var attempt =
                  new Attempt(key, row.getString(1), Attempt.Kind.valueOf(row.getString(2)));
              Instant placedAt = instant(row, 3);
              if (row.getString(4) == null) {
                return Optional.of(new StoredAttempt(attempt, placedAt, Optional.empty()));
              }
              var timeline =
                  new Timeline(
                      instant(row, 10),
                      instant(row, 11),
                      instant(row, 12),
                      instant(row, 13),
                      instant(row, 14),
                      instant(row, 15),
                      instant(row, 16),
                      instant(row, 17));
              int techCause = row.getInt(6);
              Integer techCauseOrNull = row.wasNull() ? null : techCause;
              var result =
                  new AttemptResult(
                      attempt,
                      DialOutcome.valueOf(row.getString(4)),
                      row.getInt(5),
                      techCauseOrNull,
                      Optional.ofNullable(row.getString(7)).map(LineCheckResult::valueOf),
                      timeline,
                      Optional.ofNullable(row.getString(8)),
                      evidence(connection, key),
                      row.getBoolean(9));
              return Optional.of(new StoredAttempt(attempt, placedAt, Optional.of(result)));
            }
          }
        });
  }

  @Override
  public List<StoredAttempt> unfinished(String campaign) {
    List<Long> numbers =
        database.inTransaction(
            "listing the unfinished attempts of " + campaign,
            connection -> {
              try (var query =
                  connection.prepareStatement(
                      "SELECT attempt_no FROM attempt WHERE campaign = ? AND outcome IS NULL"
                          + " ORDER BY attempt_no")) {
                query.setString(1, campaign);
                List<Long> found = new ArrayList<>();
                try (var rows = query.executeQuery()) {
                  while (rows.next()) {
                    found.add(rows.getLong(1));
                  }
                }
                return found;
              }
            });
    List<StoredAttempt> attempts = new ArrayList<>();
    numbers.forEach(n -> find(new AttemptKey(campaign, n)).ifPresent(attempts::add));
    return attempts;
  }

  @Override
  public Optional<StoredAttempt> latest(String campaign, String number) {
    Optional<Long> last =
        database.inTransaction(
            "finding the last attempt of " + campaign + " to " + number,
            connection -> {
              try (var query =
                  connection.prepareStatement(
                      "SELECT MAX(attempt_no) FROM attempt WHERE campaign = ? AND phone = ?")) {
                query.setString(1, campaign);
                query.setString(2, number);
                try (var rows = query.executeQuery()) {
                  rows.next();
                  long n = rows.getLong(1);
                  return rows.wasNull() ? Optional.<Long>empty() : Optional.of(n);
                }
              }
            });
    return last.flatMap(n -> find(new AttemptKey(campaign, n)));
  }

  /** Every attempt to {@code phone} (the digits dialed), in any campaign, oldest first. */
  public List<StoredAttempt> attemptsTo(String phone) {
    List<AttemptKey> keys =
        database.inTransaction(
            "listing attempts to " + phone,
            connection -> {
              try (var query =
                  connection.prepareStatement(
                      "SELECT campaign, attempt_no FROM attempt WHERE phone = ?"
                          + " ORDER BY placed_at, campaign, attempt_no")) {
                query.setString(1, phone);
                List<AttemptKey> found = new ArrayList<>();
                try (var rows = query.executeQuery()) {
                  while (rows.next()) {
                    found.add(new AttemptKey(rows.getString(1), rows.getLong(2)));
                  }
                }
                return found;
              }
            });
    List<StoredAttempt> attempts = new ArrayList<>();
    keys.forEach(key -> find(key).ifPresent(attempts::add));
    return attempts;
  }

  static String subject(AttemptKey key) {
    return "attempt:" + key.channelId();
  }

  private static List<Evidence> evidence(Connection connection, AttemptKey key)
      throws SQLException {
    try (var query =
        connection.prepareStatement(
            "SELECT evidence FROM attempt WHERE campaign = ? AND attempt_no = ?")) {
      query.setString(1, key.campaign());
      query.setLong(2, key.attempt());
      try (var rows = query.executeQuery()) {
        if (rows.next() && rows.getString(1) != null) {
          return EvidenceColumn.decode(rows.getString(1), key);
        }
      }
    }
    // Stored before the column existed (V7): a row per event.
    try (var query =
        connection.prepareStatement(
            "SELECT event, happened_at, detail FROM attempt_evidence"
                + " WHERE campaign = ? AND attempt_no = ? ORDER BY seq")) {
      query.setString(1, key.campaign());
      query.setLong(2, key.attempt());
      List<Evidence> evidence = new ArrayList<>();
      try (var rows = query.executeQuery()) {
        while (rows.next()) {
          evidence.add(new Evidence(rows.getString(1), instant(rows, 2), rows.getString(3)));
        }
      }
      return evidence;
    }
  }

  /**
   * The stored attempt's outcome: empty when there is no such attempt, {@code "none"} while it has
   * no result yet.
   */
  private static Optional<String> storedOutcome(Connection connection, AttemptKey key)
      throws SQLException {
    try (var query =
        connection.prepareStatement(
            "SELECT outcome FROM attempt WHERE campaign = ? AND attempt_no = ?")) {
      query.setString(1, key.campaign());
      query.setLong(2, key.attempt());
      try (var rows = query.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        String outcome = rows.getString(1);
        return Optional.of(outcome == null ? "none" : outcome);
      }
    }
  }

  private static OffsetDateTime utc(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static void setInteger(PreparedStatement statement, int index, Integer value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, value);
    }
  }
}
