package org.pingdialer.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pingdialer.agent.Disposition;
import org.pingdialer.agent.DispositionStore;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadStore;

/**
 * {@link DispositionStore} in the database: the disposition, the lead's change, a DNC entry for a
 * do-not-call (a global one also ends the number's other open leads) and the audit rows, in one
 * transaction.
 */
public final class JdbcDispositionStore implements DispositionStore {
  private final Database database;

  public JdbcDispositionStore(Database database) {
    this.database = database;
  }

  @Override
  public void file(Filing filing) {
    database.inTransaction(
        "filing " + filing.disposition().code() + " for " + filing.attempt(),
        connection -> {
          Optional<Disposition> filed = existing(connection, filing.attempt());
          if (filed.isPresent()) {
            throw new IllegalStateException(
                filing.attempt() + " is already filed as " + filed.get().code());
          }
          Lead lead = JdbcLeadStore.lead(connection, filing.leadId(), true);
          if (lead == null) {
            throw new IllegalStateException("no lead " + filing.leadId());
          }
          insert(connection, filing);
          JdbcLeadStore.applyLocked(connection, lead, filing.leadEvent(), filing.at());
          String subject = "attempt:" + filing.attempt().channelId();
          AuditRows.append(
              connection,
              filing.at(),
              subject,
              "disposition",
              filing.disposition().code() + " by " + filing.agentId() + " for lead " + lead.id());
          if (filing.disposition() instanceof Disposition.DoNotCall) {
            addDnc(connection, filing.dncList(), lead.e164(), filing);
          }
          return null;
        });
  }

  private static void insert(Connection connection, Filing filing) throws SQLException {
    try (var insert =
        connection.prepareStatement(
            "INSERT INTO disposition (campaign, attempt_no, lead_id, agent_id, code, callback_at,"
                + " callback_agent, filed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, filing.attempt().campaign());
      insert.setLong(2, filing.attempt().attempt());
      insert.setLong(3, filing.leadId());
      insert.setString(4, filing.agentId());
      insert.setString(5, filing.disposition().code());
      if (filing.disposition() instanceof Disposition.Callback callback) {
        insert.setObject(6, callback.at().atOffset(ZoneOffset.UTC));
        insert.setString(7, callback.agent().orElse(null));
      } else {
        insert.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
        insert.setNull(7, Types.VARCHAR);
      }
      insert.setObject(8, filing.at().atOffset(ZoneOffset.UTC));
      insert.executeUpdate();
    }
  }

  private static void addDnc(Connection connection, String list, String e164, Filing filing)
      throws SQLException {
    if (JdbcLeadStore.dncAmong(connection, List.of(e164), List.of(list)).isEmpty()) {
      try (var insert =
          connection.prepareStatement(
              "INSERT INTO dnc_entry (list_name, phone, added_at, reason) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, list);
        insert.setString(2, e164);
        insert.setObject(3, filing.at().atOffset(ZoneOffset.UTC));
        insert.setString(4, "asked on call " + filing.attempt().channelId());
        insert.executeUpdate();
      }
      AuditRows.append(
          connection,
          filing.at(),
          "dnc:" + list,
          "added",
          "1 numbers: asked on call " + filing.attempt().channelId());
    }
    if (LeadStore.GLOBAL_DNC.equals(list)) {
      JdbcLeadStore.endOpenLeads(connection, List.of(e164), filing.at());
    }
  }

  @Override
  public Optional<Disposition> of(AttemptKey attempt) {
    return database.inTransaction(
        "reading the disposition of " + attempt, connection -> existing(connection, attempt));
  }

  private static Optional<Disposition> existing(Connection connection, AttemptKey attempt)
      throws SQLException {
    try (var select =
        connection.prepareStatement(
            "SELECT code, callback_at, callback_agent FROM disposition"
                + " WHERE campaign = ? AND attempt_no = ?")) {
      select.setString(1, attempt.campaign());
      select.setLong(2, attempt.attempt());
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            switch (rows.getString("code")) {
              case "sale" -> new Disposition.Sale();
              case "refused" -> new Disposition.Refused();
              case "dnc" -> new Disposition.DoNotCall();
              case "wrong_number" -> new Disposition.WrongNumber();
              case "machine" -> new Disposition.Machine();
              case "callback" ->
                  new Disposition.Callback(
                      rows.getObject("callback_at", OffsetDateTime.class).toInstant(),
                      Optional.ofNullable(rows.getString("callback_agent")));
              default ->
                  throw new IllegalStateException(
                      "unknown disposition code " + rows.getString("code") + " for " + attempt);
            });
      }
    }
  }

  @Override
  public List<String> codesBy(String agentId) {
    return database.inTransaction(
        "reading the dispositions of " + agentId,
        connection -> {
          try (var select =
              connection.prepareStatement(
                  "SELECT code FROM disposition WHERE agent_id = ? ORDER BY filed_at, attempt_no")) {
            select.setString(1, agentId);
            List<String> codes = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                codes.add(rows.getString(1));
              }
            }
            return codes;
          }
        });
  }

  /** How many of the campaign's calls were filed with each code. */
  public Map<String, Long> countsOf(String campaign) {
    return database.inTransaction(
        "counting the dispositions of " + campaign,
        connection -> {
          try (var select =
              connection.prepareStatement(
                  "SELECT code, COUNT(*) FROM disposition WHERE campaign = ? GROUP BY code")) {
            select.setString(1, campaign);
            Map<String, Long> counts = new TreeMap<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
              }
            }
            return counts;
          }
        });
  }
}
