package org.pingdialer.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
          // The lead's zones by an index lookup per attempt (the unique key starts with phone),
          // not by loading the lists: a bought list can hold a million leads. A number's zones
          // follow from the number, so any lead with it on the lists will do.
          String zones =
              lists.isEmpty()
                  ? "CAST(NULL AS VARCHAR(300))"
                  : "(SELECT MIN(l.timezones) FROM lead l JOIN lead_list ll ON ll.id = l.list_id"
                      + " JOIN lead_import li ON li.id = l.import_id WHERE li.status = 'DONE'"
                      + " AND l.phone = CONCAT('+', a.phone) AND ll.name IN ("
                      + String.join(", ", Collections.nCopies(lists.size(), "?"))
                      + "))";
          try (var query =
              connection.prepareStatement(
                  "SELECT a.attempt_no, a.kind, a.phone, a.placed_at, a.outcome, a.agent_id,"
                      + " a.created_at, a.in_stasis_at, a.ringing_at, a.progress_at,"
                      + " a.answered_at, a.bridged_at, a.drop_started_at, a.ended_at, "
                      + zones
                      + " FROM attempt a WHERE a.campaign = ? AND a.placed_at >= ?"
                      + " ORDER BY a.placed_at, a.attempt_no")) {
            int index = 1;
            for (String list : lists) {
              query.setString(index++, list);
            }
            query.setString(index++, campaign);
            query.setObject(index, since.atOffset(ZoneOffset.UTC));
            List<CallRow> calls = new ArrayList<>();
            try (var rows = query.executeQuery()) {
              while (rows.next()) {
                calls.add(
                    new CallRow(
                        rows.getLong(1),
                        Attempt.Kind.valueOf(rows.getString(2)),
                        rows.getString(3),
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
                        Optional.ofNullable(rows.getString(15)).orElse("")));
              }
            }
            return calls;
          }
        });
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
          String marks = String.join(", ", Collections.nCopies(lists.size(), "?"));
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
