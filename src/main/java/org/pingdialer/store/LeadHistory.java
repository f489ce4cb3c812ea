package org.pingdialer.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.call.AttemptStore.StoredAttempt;
import org.pingdialer.call.Timeline;
import org.pingdialer.lead.Lead;

/**
 * One lead's whole story for people and scripts: where it is now, every state change from the audit
 * trail, and every call to its number with its outcome, timeline and the events Asterisk reported
 * (the evidence). Plain maps and lists, ready for JSON.
 */
public final class LeadHistory {
  private LeadHistory() {}

  /** The lead's history; empty when there is no such lead. */
  public static Optional<Map<String, Object>> of(Database database, long leadId) {
    Optional<Lead> found = new JdbcLeadStore(database).find(leadId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Lead lead = found.get();
    Map<String, Object> history = new LinkedHashMap<>();
    history.put("id", lead.id());
    history.put("list", lead.list());
    history.put("line", lead.line());
    history.put("number", lead.e164());
    history.put("type", lead.type().name().toLowerCase(Locale.ROOT));
    history.put("timezones", lead.timezones());
    history.put("state", lead.state().name().toLowerCase(Locale.ROOT));
    history.put("stateSince", lead.stateSince().toString());
    lead.waitReason().ifPresent(r -> history.put("waitReason", r.name().toLowerCase(Locale.ROOT)));
    lead.dueAt().ifPresent(due -> history.put("dueAt", due.toString()));
    lead.callbackAgent().ifPresent(agent -> history.put("callbackAgent", agent));
    lead.doneReason().ifPresent(r -> history.put("doneReason", r.name().toLowerCase(Locale.ROOT)));
    history.put("attempts", lead.attempts());
    List<Map<String, Object>> changes = new ArrayList<>();
    for (var entry : new JdbcAuditLog(database).entriesAbout("lead:" + lead.id())) {
      Map<String, Object> change = new LinkedHashMap<>();
      change.put("at", entry.at().toString());
      change.put("action", entry.action());
      change.put("detail", entry.detail());
      changes.add(change);
    }
    history.put("history", changes);
    List<Map<String, Object>> calls = new ArrayList<>();
    for (StoredAttempt attempt : new JdbcAttemptStore(database).attemptsTo(lead.dialDigits())) {
      calls.add(call(attempt));
    }
    history.put("calls", calls);
    return Optional.of(history);
  }

  private static Map<String, Object> call(StoredAttempt stored) {
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("id", stored.attempt().key().channelId());
    call.put("campaign", stored.attempt().key().campaign());
    call.put("kind", stored.attempt().kind().name().toLowerCase(Locale.ROOT));
    call.put("placedAt", stored.placedAt().toString());
    stored
        .result()
        .ifPresent(
            result -> {
              call.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
              call.put("cause", result.cause());
              result.agentId().ifPresent(agent -> call.put("agent", agent));
              call.put("timeline", timeline(result.timeline()));
              List<Map<String, Object>> evidence = new ArrayList<>();
              for (var event : result.evidence()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("event", event.event());
                e.put("at", event.at().toString());
                e.put("detail", event.detail());
                evidence.add(e);
              }
              call.put("evidence", evidence);
            });
    return call;
  }

  private static Map<String, Object> timeline(Timeline t) {
    Map<String, Object> times = new LinkedHashMap<>();
    put(times, "created", t.createdAt());
    put(times, "inStasis", t.inStasisAt());
    put(times, "ringing", t.ringingAt());
    put(times, "progress", t.progressAt());
    put(times, "answered", t.answeredAt());
    put(times, "bridged", t.bridgedAt());
    put(times, "dropStarted", t.dropStartedAt());
    put(times, "ended", t.endedAt());
    return times;
  }

  private static void put(Map<String, Object> times, String name, Instant at) {
    if (at != null) {
      times.put(name, at.toString());
    }
  }
}
