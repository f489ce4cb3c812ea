package org.pingdialer.store;

import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What an operator last asked of each campaign ({@code campaign_state}): dialing, paused or
 * stopped. Written by the API's start, pause, resume and stop, read when a controller starts, so
 * that the campaigns it ran come back as they were; a controller's own shutdown writes nothing.
 */
public final class JdbcCampaignStates {
  /** The state an operator wants a campaign in. */
  public enum Wanted {
    DIALING,
    PAUSED,
    STOPPED
  }

  private final Database database;

  public JdbcCampaignStates(Database database) {
    this.database = database;
  }

  /** The operator wants {@code campaign} in {@code state} from {@code at} on. */
  public void record(String campaign, Wanted state, Instant at) {
    database.inTransaction(
        "recording campaign " + campaign + " as " + state,
        connection -> {
          try (var update =
              connection.prepareStatement(
                  "UPDATE campaign_state SET state = ?, changed_at = ? WHERE campaign = ?")) {
            update.setString(1, state.name());
            update.setObject(2, at.atOffset(ZoneOffset.UTC));
            update.setString(3, campaign);
            if (update.executeUpdate() == 0) {
              try (var insert =
                  connection.prepareStatement(
                      "INSERT INTO campaign_state (campaign, state, changed_at) VALUES (?, ?, ?)")) {
                insert.setString(1, campaign);
                insert.setString(2, state.name());
                insert.setObject(3, at.atOffset(ZoneOffset.UTC));
                insert.executeUpdate();
              }
            }
          }
          AuditRows.append(
              connection,
              at,
              "campaign:" + campaign,
              "operator",
              state.name().toLowerCase(Locale.ROOT));
          return null;
        });
  }

  /** Every campaign an operator ever started, paused, resumed or stopped, by name. */
  public Map<String, Wanted> all() {
    return database.inTransaction(
        "reading the campaigns' states",
        connection -> {
          Map<String, Wanted> states = new LinkedHashMap<>();
          try (var select =
                  connection.prepareStatement(
                      "SELECT campaign, state FROM campaign_state ORDER BY changed_at, campaign");
              ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              states.put(rows.getString(1), Wanted.valueOf(rows.getString(2)));
            }
          }
          return states;
        });
  }
}
