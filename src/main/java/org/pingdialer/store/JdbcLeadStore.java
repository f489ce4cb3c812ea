package org.pingdialer.store;

import static org.pingdialer.store.LeadRows.VISIBLE;
import static org.pingdialer.store.LeadRows.clip;
import static org.pingdialer.store.LeadRows.setInstant;
import static org.pingdialer.store.LeadRows.utc;
import static org.pingdialer.store.LeadRows.withGlobal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.pingdialer.lead.ClaimRequest;
import org.pingdialer.lead.Contact;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.LeadStore;
import org.pingdialer.lead.LeadTransitions;
import org.pingdialer.lead.PhoneNumber;

/**
 * {@link LeadStore} in the database (H2 or PostgreSQL, same SQL). An import runs on one connection
 * in committed chunks that stay invisible until it is marked done, and a failed or abandoned
 * import's rows are deleted, so it leaves nothing behind; the hopper claims with {@code SELECT ...
 * FOR UPDATE SKIP LOCKED} (both databases support it), so concurrent claimers skip each other's
 * rows instead of waiting for them or taking them twice.
 */
public final class JdbcLeadStore implements LeadStore {
  /** Numbers per {@code IN (...)} query: well under every driver's parameter limit. */
  private static final int IN_LIST_CHUNK = 500;

  private static final String LEAD_COLUMNS =
      "l.id, (SELECT ll.name FROM lead_list ll WHERE ll.id = l.list_id) AS list_name, l.source_line, l.phone, l.number_type, l.timezones,"
          + " l.first_name, l.last_name, l.full_name, l.email, l.source, l.consent, l.consent_at,"
          + " l.state, l.state_since, l.wait_reason, l.due_at, l.callback_agent, l.done_reason,"
          + " l.attempts, l.claimed_for";

  private final Database database;

  public JdbcLeadStore(Database database) {
    this.database = database;
  }

  // ---------------------------------------------------------------- import

  @Override
  public ImportSession beginImport(String list, String defaultRegion, String fileName, Instant at) {
    return JdbcImportSession.begin(database, list, defaultRegion, fileName, at);
  }

  // ---------------------------------------------------------------- reading

  @Override
  public Optional<Lead> find(long leadId) {
    return database.inTransaction(
        "reading lead " + leadId,
        connection -> Optional.ofNullable(lead(connection, leadId, false)));
  }

  @Override
  public List<Lead> leadsOf(String list, int limit) {
    return database.inTransaction(
        "reading the leads of list " + list,
        connection -> {
          try (var select =
              connection.prepareStatement(
                  "SELECT "
                      + LEAD_COLUMNS
                      + " FROM lead l WHERE l.list_id = (SELECT id FROM lead_list WHERE name = ?)"
                      + " AND"
                      + VISIBLE
                      + " ORDER BY l.id LIMIT ?")) {
            select.setString(1, list);
            select.setInt(2, limit);
            return leads(select);
          }
        });
  }

  /**
   * Leads matching every given filter, by id, after {@code afterId} (paging), at most {@code
   * limit}.
   */
  public List<Lead> search(
      Optional<String> list,
      Optional<LeadState> state,
      Optional<String> e164,
      long afterId,
      int limit) {
    return database.inTransaction(
        "searching leads",
        connection -> {
          StringBuilder sql =
              new StringBuilder("SELECT " + LEAD_COLUMNS + " FROM lead l WHERE" + VISIBLE);
          List<String> values = new ArrayList<>();
          list.ifPresent(
              name -> {
                sql.append(" AND l.list_id = (SELECT id FROM lead_list WHERE name = ?)");
                values.add(name);
              });
          state.ifPresent(
              s -> {
                sql.append(" AND l.state = ?");
                values.add(s.name());
              });
          e164.ifPresent(
              number -> {
                sql.append(" AND l.phone = ?");
                values.add(number);
              });
          sql.append(" AND l.id > ? ORDER BY l.id LIMIT ?");
          try (var select = connection.prepareStatement(sql.toString())) {
            int i = 1;
            for (String value : values) {
              select.setString(i++, value);
            }
            select.setLong(i++, afterId);
            select.setInt(i, limit);
            return leads(select);
          }
        });
  }

  @Override
  public List<Lead> waiting(String list) {
    return database.inTransaction(
        "reading the waiting leads of list " + list,
        connection -> {
          try (var select =
              connection.prepareStatement(
                  "SELECT "
                      + LEAD_COLUMNS
                      + " FROM lead l WHERE l.list_id = (SELECT id FROM lead_list WHERE name = ?)"
                      + " AND l.state = 'WAITING' AND"
                      + VISIBLE
                      + " ORDER BY l.due_at, l.id")) {
            select.setString(1, list);
            return leads(select);
          }
        });
  }

  @Override
  public Map<String, String> attributesOf(long leadId) {
    return database.inTransaction(
        "reading the attributes of lead " + leadId,
        connection -> {
          try (var select =
              connection.prepareStatement("SELECT attributes FROM lead WHERE id = ?")) {
            select.setLong(1, leadId);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? LeadAttributes.fromText(rows.getString(1)) : Map.of();
            }
          }
        });
  }

  @Override
  public Map<LeadState, Long> countByState(String list) {
    return database.inTransaction(
        "counting the leads of list " + list,
        connection -> {
          try (var select =
              connection.prepareStatement(
                  "SELECT l.state, COUNT(*) FROM lead l"
                      + " WHERE l.list_id = (SELECT id FROM lead_list WHERE name = ?) AND"
                      + VISIBLE
                      + " GROUP BY l.state")) {
            select.setString(1, list);
            Map<LeadState, Long> counts = new EnumMap<>(LeadState.class);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                counts.put(LeadState.valueOf(rows.getString(1)), rows.getLong(2));
              }
            }
            return counts;
          }
        });
  }

  // ---------------------------------------------------------------- transitions

  @Override
  public Lead apply(long leadId, LeadEvent event, Instant at) {
    return database.inTransaction(
        "applying " + event + " to lead " + leadId,
        connection -> {
          Lead lead = lead(connection, leadId, true);
          if (lead == null) {
            throw new NoSuchElementException("no lead " + leadId);
          }
          applyLocked(connection, lead, event, at);
          return lead(connection, leadId, false);
        });
  }

  /** Writes the event's change to a lead the caller holds locked, with its audit row. */
  static void applyLocked(Connection connection, Lead lead, LeadEvent event, Instant at)
      throws SQLException {
    LeadState next = LeadTransitions.next(lead.state(), event);
    // Columns every transition sets; each event then says what else changes.
    String claimedBy = null;
    String claimedFor = null;
    String waitReason = null;
    Instant dueAt = null;
    String callbackAgent = null;
    String doneReason = null;
    int priority = 0;
    int attempts = lead.attempts();
    switch (event) {
      case LeadEvent.Claimed claimed -> {
        claimedBy = claimed.claimer();
        claimedFor = claimed.campaign();
        waitReason = lead.waitReason().map(Enum::name).orElse(null);
        callbackAgent = lead.callbackAgent().orElse(null);
      }
      case LeadEvent.DialStarted dial -> {
        claimedFor = lead.claimedFor().orElse(null);
        // Kept while the call is up: a callback or agent redial whose call is lost or cannot be
        // placed goes back as what it was.
        waitReason = lead.waitReason().map(Enum::name).orElse(null);
        callbackAgent = lead.callbackAgent().orElse(null);
        attempts++;
      }
      case LeadEvent.CheckStarted check -> attempts++;
      case LeadEvent.Released released -> {
        // Given back unused: a callback or an agent redial still waits for its agent; anything
        // else simply waits to be claimed again.
        WaitReason reason =
            lead.waitReason().filter(r -> r.priority() > 0).orElse(WaitReason.RELEASED);
        waitReason = reason.name();
        dueAt = at;
        priority = reason.priority();
        callbackAgent = reason == WaitReason.RELEASED ? null : lead.callbackAgent().orElse(null);
      }
      case LeadEvent.CallLost lost -> {
        // Not the callee's doing: the call does not count, and the lead is due again now.
        WaitReason reason =
            lead.waitReason().filter(r -> r.priority() > 0).orElse(WaitReason.RELEASED);
        waitReason = reason.name();
        dueAt = at;
        priority = reason.priority();
        callbackAgent = reason == WaitReason.RELEASED ? null : lead.callbackAgent().orElse(null);
        attempts = Math.max(0, attempts - 1);
      }
      case LeadEvent.Scheduled scheduled -> {
        waitReason = scheduled.reason().name();
        dueAt = scheduled.due();
        callbackAgent = scheduled.agent().orElse(null);
        priority = scheduled.reason().priority();
      }
      case LeadEvent.Finished finished -> doneReason = finished.reason().name();
      case LeadEvent.CheckedLive live -> {}
      case LeadEvent.FoundDead dead -> {}
      case LeadEvent.CheckInconclusive inconclusive -> dueAt = at.plus(RECHECK_AFTER);
    }
    try (var update =
        connection.prepareStatement(
            "UPDATE lead SET state = ?, state_since = ?, claimed_by = ?, claimed_for = ?,"
                + " wait_reason = ?, due_at = ?, callback_agent = ?, done_reason = ?,"
                + " priority = ?, attempts = ? WHERE id = ?")) {
      update.setString(1, next.name());
      update.setObject(2, utc(at));
      update.setString(3, claimedBy);
      update.setString(4, claimedFor);
      update.setString(5, waitReason);
      setInstant(update, 6, Optional.ofNullable(dueAt));
      update.setString(7, callbackAgent);
      update.setString(8, doneReason);
      update.setInt(9, priority);
      update.setInt(10, attempts);
      update.setLong(11, lead.id());
      update.executeUpdate();
    }
    AuditRows.append(
        connection, at, "lead:" + lead.id(), "state", lead.state() + " -> " + next + ": " + event);
  }

  /** How long a lead whose line check could not tell waits before it is checked again. */
  static final Duration RECHECK_AFTER = Duration.ofMinutes(10);

  // ---------------------------------------------------------------- hopper

  @Override
  public List<Lead> claim(ClaimRequest request) {
    return claim(request, false);
  }

  @Override
  public List<Lead> claimForLineCheck(ClaimRequest request) {
    return claim(request, true);
  }

  /**
   * The hopper. For dialing: LIVE leads, due WAITING ones, NEW ones when the campaign checks no
   * lines; each becomes QUEUED. For line checks: NEW leads only, each becomes CHECKING with the
   * claimer noted, so a restart can give them back.
   */
  private List<Lead> claim(ClaimRequest request, boolean forLineCheck) {
    return database.inTransaction(
        (forLineCheck
                ? "claiming leads to line-check for campaign "
                : "claiming leads for campaign ")
            + request.campaign(),
        connection -> {
          List<String> openZones = openTimezoneSets(connection, request);
          if (openZones.isEmpty() || request.lists().isEmpty()) {
            return List.of();
          }
          List<String> dncLists = withGlobal(request.dncLists());
          String sql =
              "SELECT "
                  + LEAD_COLUMNS
                  + " FROM lead l WHERE l.list_id IN (SELECT id FROM lead_list WHERE name IN ("
                  + placeholders(request.lists().size())
                  + ")) AND"
                  + VISIBLE
                  + (forLineCheck
                      // An inconclusive check waits (due_at) before it is tried again.
                      ? " AND l.state = 'NEW' AND (l.due_at IS NULL OR l.due_at <= ?)"
                      : " AND (l.state = 'LIVE' OR (l.state = 'WAITING' AND l.due_at <= ?)"
                          + (request.includeUnchecked() ? " OR l.state = 'NEW')" : ")"))
                  + " AND l.timezones IN ("
                  + placeholders(openZones.size())
                  + ") AND l.attempts < ?"
                  // The 24 h cap counts calls to the number from any campaign or list.
                  + " AND (SELECT COUNT(*) FROM attempt a WHERE a.phone = SUBSTR(l.phone, 2)"
                  + " AND a.placed_at > ?) < ?"
                  + " AND NOT EXISTS (SELECT 1 FROM dnc_entry d WHERE d.phone = l.phone"
                  + " AND d.list_name IN ("
                  + placeholders(dncLists.size())
                  + "))"
                  + (request.requireConsent() ? " AND l.consent_at IS NOT NULL" : "")
                  // An agent's own callback waits for that agent to be ready.
                  + (request.readyAgents().isEmpty()
                      ? " AND l.callback_agent IS NULL"
                      : " AND (l.callback_agent IS NULL OR l.callback_agent IN ("
                          + placeholders(request.readyAgents().size())
                          + "))")
                  // The same number in another list (or campaign) is not called twice at once.
                  + " AND NOT EXISTS (SELECT 1 FROM lead o WHERE o.phone = l.phone"
                  + " AND o.state IN ('CHECKING', 'QUEUED', 'DIALING'))"
                  + " ORDER BY l.priority DESC, l.id LIMIT ? FOR UPDATE SKIP LOCKED";
          List<Lead> candidates;
          try (var select = connection.prepareStatement(sql)) {
            int i = 1;
            for (String list : request.lists()) {
              select.setString(i++, list);
            }
            select.setObject(i++, utc(request.now()));
            for (String zones : openZones) {
              select.setString(i++, zones);
            }
            select.setInt(i++, request.maxLifetime());
            select.setObject(i++, utc(request.now().minusSeconds(24 * 3600)));
            select.setInt(i++, request.maxPer24h());
            for (String dnc : dncLists) {
              select.setString(i++, dnc);
            }
            for (String agent : request.readyAgents()) {
              select.setString(i++, agent);
            }
            select.setInt(i, request.max());
            candidates = leads(select);
          }
          LeadEvent claimed =
              forLineCheck
                  ? new LeadEvent.CheckStarted()
                  : new LeadEvent.Claimed(request.campaign(), request.claimer());
          List<Lead> result = new ArrayList<>();
          Set<String> numbers = new HashSet<>();
          for (Lead lead : candidates) {
            if (!numbers.add(lead.e164())) {
              continue; // one call per number per claim, even if two lists hold it
            }
            applyLocked(connection, lead, claimed, request.now());
            if (forLineCheck) {
              try (var mark =
                  connection.prepareStatement("UPDATE lead SET claimed_by = ? WHERE id = ?")) {
                mark.setString(1, request.claimer());
                mark.setLong(2, lead.id());
                mark.executeUpdate();
              }
            }
            result.add(lead(connection, lead.id(), false));
          }
          return result;
        });
  }

  /** The stored timezone sets whose every zone is inside the calling window now. */
  private static List<String> openTimezoneSets(Connection connection, ClaimRequest request)
      throws SQLException {
    List<String> open = new ArrayList<>();
    try (var select = connection.createStatement();
        ResultSet rows = select.executeQuery("SELECT timezones FROM lead_timezones")) {
      while (rows.next()) {
        String zones = rows.getString(1);
        boolean allOpen = !zones.isBlank();
        for (String zone : zones.split(" ")) {
          if (zone.isBlank()
              || !request.callingWindow().test(request.now().atZone(ZoneId.of(zone)))) {
            allOpen = false;
            break;
          }
        }
        if (allOpen) {
          open.add(zones);
        }
      }
    }
    return open;
  }

  @Override
  public List<Lead> dialing(String campaign) {
    return database.inTransaction(
        "listing the leads being dialed for " + campaign,
        connection -> {
          try (var select =
              connection.prepareStatement(
                  "SELECT "
                      + LEAD_COLUMNS
                      + " FROM lead l WHERE l.state = 'DIALING' AND l.claimed_for = ?"
                      + " ORDER BY l.id")) {
            select.setString(1, campaign);
            return leads(select);
          }
        });
  }

  @Override
  public int releaseClaims(String claimer, String why, Instant at) {
    return database.inTransaction(
        "releasing the leads claimed by " + claimer,
        connection -> {
          List<Lead> held;
          try (var select =
              connection.prepareStatement(
                  "SELECT "
                      + LEAD_COLUMNS
                      + " FROM lead l"
                      + " WHERE l.claimed_by = ? AND l.state IN ('QUEUED', 'CHECKING')"
                      + " ORDER BY l.id FOR UPDATE")) {
            select.setString(1, claimer);
            held = leads(select);
          }
          for (Lead lead : held) {
            // A line check cut short by a stop or crash proved nothing: checked again later.
            applyLocked(
                connection,
                lead,
                lead.state() == LeadState.CHECKING
                    ? new LeadEvent.CheckInconclusive()
                    : new LeadEvent.Released(why),
                at);
          }
          return held.size();
        });
  }

  // ---------------------------------------------------------------- DNC

  @Override
  public int addDnc(String dncList, Collection<String> e164s, String reason, Instant at) {
    return database.inTransaction(
        "adding " + e164s.size() + " numbers to DNC list " + dncList,
        connection -> {
          Set<String> already = dncAmong(connection, e164s, List.of(dncList));
          int added = 0;
          try (var insert =
              connection.prepareStatement(
                  "INSERT INTO dnc_entry (list_name, phone, added_at, reason) VALUES (?, ?, ?, ?)")) {
            for (String e164 : new LinkedHashSet<>(e164s)) {
              if (already.contains(e164)) {
                continue;
              }
              insert.setString(1, dncList);
              insert.setString(2, e164);
              insert.setObject(3, utc(at));
              insert.setString(4, clip(reason, 200));
              insert.addBatch();
              added++;
            }
            insert.executeBatch();
          }
          AuditRows.append(
              connection, at, "dnc:" + dncList, "added", added + " numbers: " + reason);
          if (GLOBAL_DNC.equals(dncList)) {
            endOpenLeads(connection, e164s, at);
          }
          return added;
        });
  }

  /** A global DNC entry ends every open lead with that number at once, whatever its list. */
  static void endOpenLeads(Connection connection, Collection<String> e164s, Instant at)
      throws SQLException {
    var dnc = new LeadEvent.Finished(DoneReason.DNC);
    for (List<String> chunk : chunks(new ArrayList<>(e164s))) {
      List<Lead> open;
      try (var select =
          connection.prepareStatement(
              "SELECT "
                  + LEAD_COLUMNS
                  + " FROM lead l WHERE l.phone IN ("
                  + placeholders(chunk.size())
                  + ") AND l.state NOT IN ('DONE', 'DEAD') AND"
                  + VISIBLE
                  + " ORDER BY l.id FOR UPDATE")) {
        for (int i = 0; i < chunk.size(); i++) {
          select.setString(i + 1, chunk.get(i));
        }
        open = leads(select);
      }
      for (Lead lead : open) {
        applyLocked(connection, lead, dnc, at);
      }
    }
  }

  @Override
  public int callsInLast24h(String e164, Instant now) {
    return database.inTransaction(
        "counting the calls to " + e164,
        connection -> {
          try (var select =
              connection.prepareStatement(
                  "SELECT COUNT(*) FROM attempt WHERE phone = ? AND placed_at > ?")) {
            select.setString(1, e164.substring(1));
            select.setObject(2, utc(now.minusSeconds(24 * 3600)));
            try (ResultSet rows = select.executeQuery()) {
              rows.next();
              return rows.getInt(1);
            }
          }
        });
  }

  @Override
  public List<String> dncListsHolding(String e164, Collection<String> dncLists) {
    return database.inTransaction(
        "checking " + e164 + " against the DNC lists",
        connection -> {
          List<String> lists = withGlobal(dncLists);
          try (var select =
              connection.prepareStatement(
                  "SELECT list_name FROM dnc_entry WHERE phone = ? AND list_name IN ("
                      + placeholders(lists.size())
                      + ") ORDER BY list_name")) {
            select.setString(1, e164);
            for (int i = 0; i < lists.size(); i++) {
              select.setString(i + 2, lists.get(i));
            }
            List<String> holding = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                holding.add(rows.getString(1));
              }
            }
            return holding;
          }
        });
  }

  static Set<String> dncAmong(
      Connection connection, Collection<String> e164s, List<String> dncLists) throws SQLException {
    Set<String> found = new HashSet<>();
    for (List<String> chunk : chunks(new ArrayList<>(new LinkedHashSet<>(e164s)))) {
      try (var select =
          connection.prepareStatement(
              "SELECT DISTINCT phone FROM dnc_entry WHERE list_name IN ("
                  + placeholders(dncLists.size())
                  + ") AND phone IN ("
                  + placeholders(chunk.size())
                  + ")")) {
        int i = 1;
        for (String list : dncLists) {
          select.setString(i++, list);
        }
        for (String e164 : chunk) {
          select.setString(i++, e164);
        }
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            found.add(rows.getString(1));
          }
        }
      }
    }
    return found;
  }

  // ---------------------------------------------------------------- rows

  static Lead lead(Connection connection, long id, boolean lock) throws SQLException {
    try (var select =
        connection.prepareStatement(
            "SELECT "
                + LEAD_COLUMNS
                + " FROM lead l WHERE l.id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
      select.setLong(1, id);
      List<Lead> found = leads(select);
      return found.isEmpty() ? null : found.getFirst();
    }
  }

  private static List<Lead> leads(PreparedStatement select) throws SQLException {
    List<Lead> leads = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        leads.add(
            new Lead(
                rows.getLong("id"),
                rows.getString("list_name"),
                rows.getLong("source_line"),
                rows.getString("phone"),
                PhoneNumber.Type.valueOf(rows.getString("number_type")),
                rows.getString("timezones"),
                new Contact(
                    text(rows, "first_name"),
                    text(rows, "last_name"),
                    text(rows, "full_name"),
                    text(rows, "email"),
                    text(rows, "source"),
                    text(rows, "consent"),
                    instant(rows, "consent_at")),
                LeadState.valueOf(rows.getString("state")),
                rows.getObject("state_since", OffsetDateTime.class).toInstant(),
                text(rows, "wait_reason").map(WaitReason::valueOf),
                instant(rows, "due_at"),
                text(rows, "callback_agent"),
                text(rows, "done_reason").map(DoneReason::valueOf),
                rows.getInt("attempts"),
                text(rows, "claimed_for")));
      }
    }
    return leads;
  }

  private static Optional<String> text(ResultSet rows, String column) throws SQLException {
    return Optional.ofNullable(rows.getString(column));
  }

  private static Optional<Instant> instant(ResultSet rows, String column) throws SQLException {
    return Optional.ofNullable(rows.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  private static List<List<String>> chunks(List<String> values) {
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < values.size(); from += IN_LIST_CHUNK) {
      chunks.add(values.subList(from, Math.min(values.size(), from + IN_LIST_CHUNK)));
    }
    return chunks;
  }
}
