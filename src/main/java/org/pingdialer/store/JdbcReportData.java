package org.pingdialer.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Timeline;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.report.ReportData;

/** {@link ReportData} from the database: read-only queries on attempts, dispositions and leads. */
public final class JdbcReportData implements ReportData {
  private final Database database;

  public JdbcReportData(Database database) {
    this.database = database;
  }

  @Override
  public List<String> campaignsWithAttempts() {
    return database.inTransaction(
        "listing the campaigns with attempts",
        connection -> {
          try (var query =
                  connection.prepareStatement(
                      "SELECT campaign FROM attempt_counter ORDER BY campaign");
              var rows = query.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
              names.add(rows.getString(1));
            }
            return names;
          }
        });
  }

  @Override
  public List<CallRow> calls(String campaign, List<String> lists, Instant since) {
    return database.inTransaction(
        "reading the attempts of " + campaign + " for its report",
        connection -> {
          Map<String, String> zones = zonesOnLists(connection, lists);
          try (var query =
              connection.prepareStatement(
                  "SELECT attempt_no, kind, phone, placed_at, outcome, agent_id, created_at,"
                      + " in_stasis_at, ringing_at, progress_at, answered_at, bridged_at,"
                      + " drop_started_at, ended_at FROM attempt"
                      + " WHERE campaign = ? AND placed_at >= ? ORDER BY placed_at, attempt_no")) {
            query.setString(1, campaign);
            query.setObject(2, since.atOffset(ZoneOffset.UTC));
            List<CallRow> calls = new ArrayList<>();
            try (var rows = query.executeQuery()) {
              while (rows.next()) {
                String phone = rows.getString(3);
                calls.add(
                    new CallRow(
                        rows.getLong(1),
                        Attempt.Kind.valueOf(rows.getString(2)),
                        phone,
                        instant(rows, 4),
                        Optional.ofNullable(rows.getString(5)).map(DialOutcome::valueOf),
                        Optional.ofNullable(rows.getString(6)),
                        new Timeline(
                            instant(rows, 7),
                            instant(rows, 8),
                            instant(rows, 9),
                            instant(rows, 10),
                            instant(rows, 11),
                            instant(rows, 12),
                            instant(rows, 13),
                            instant(rows, 14)),
                        zones.getOrDefault("+" + phone, "")));
              }
            }
            return calls;
          }
        });
  }

  /** E.164 → time zones of the leads on {@code lists} (a number's zones follow from its number). */
  private static Map<String, String> zonesOnLists(Connection connection, List<String> lists)
      throws SQLException {
    Map<String, String> zones = new HashMap<>();
    if (lists.isEmpty()) {
      return zones;
    }
    String marks = String.join(", ", java.util.Collections.nCopies(lists.size(), "?"));
    try (var query =
        connection.prepareStatement(
            "SELECT DISTINCT l.phone, l.timezones FROM lead l JOIN lead_list ll ON ll.id = l.list_id"
                + " JOIN lead_import li ON li.id = l.import_id"
                + " WHERE li.status = 'DONE' AND ll.name IN ("
                + marks
                + ")")) {
      for (int i = 0; i < lists.size(); i++) {
        query.setString(i + 1, lists.get(i));
      }
      try (var rows = query.executeQuery()) {
        while (rows.next()) {
          zones.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return zones;
  }

  @Override
  public List<FiledRow> dispositions(String campaign, Instant since) {
    return database.inTransaction(
        "reading the dispositions of " + campaign + " for its report",
        connection -> {
          try (var query =
              connection.prepareStatement(
                  "SELECT d.attempt_no, d.agent_id, d.code, d.filed_at FROM disposition d"
                      + " JOIN attempt a ON a.campaign = d.campaign AND a.attempt_no = d.attempt_no"
                      + " WHERE d.campaign = ? AND a.placed_at >= ? ORDER BY d.filed_at,"
                      + " d.attempt_no")) {
            query.setString(1, campaign);
            query.setObject(2, since.atOffset(ZoneOffset.UTC));
            List<FiledRow> filed = new ArrayList<>();
            try (var rows = query.executeQuery()) {
              while (rows.next()) {
                filed.add(
                    new FiledRow(
                        rows.getLong(1), rows.getString(2), rows.getString(3), instant(rows, 4)));
              }
            }
            return filed;
          }
        });
  }

  @Override
  public List<LeadCount> leads(List<String> lists) {
    if (lists.isEmpty()) {
      return List.of();
    }
    return database.inTransaction(
        "counting the leads of " + lists,
        connection -> {
          String marks = String.join(", ", java.util.Collections.nCopies(lists.size(), "?"));
          try (var query =
              connection.prepareStatement(
                  "SELECT l.state, l.done_reason, COUNT(*) FROM lead l"
                      + " JOIN lead_list ll ON ll.id = l.list_id"
                      + " JOIN lead_import li ON li.id = l.import_id"
                      + " WHERE li.status = 'DONE' AND ll.name IN ("
                      + marks
                      + ") GROUP BY l.state, l.done_reason ORDER BY l.state, l.done_reason")) {
            for (int i = 0; i < lists.size(); i++) {
              query.setString(i + 1, lists.get(i));
            }
            List<LeadCount> counts = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                counts.add(
                    new LeadCount(
                        LeadState.valueOf(rows.getString(1)),
                        Optional.ofNullable(rows.getString(2)).map(LeadEvent.DoneReason::valueOf),
                        rows.getLong(3)));
              }
            }
            return counts;
          }
        });
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
