package org.pingdialer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A report as one CSV table in long form, RFC 4180 (comma, CRLF, quotes where needed), header
 * {@code section,item,measure,value}: one row per number, so that every section fits one table and
 * a spreadsheet's pivot (or a one-line filter) gives any view. Sections: {@code campaign}, {@code
 * outcome}, {@code line_check}, {@code lead_state}, {@code lead_done}, {@code agent}, {@code
 * abandon}, {@code drop_message}, {@code drop_latency_ms}, {@code ring_time}, {@code ring_seconds},
 * {@code calling_window}, {@code outside_window}, {@code goat_hold}. Values as in the JSON
 * rendering; absent values are empty cells.
 */
final class ReportCsv {
  static final String HEADER = "section,item,measure,value";

  private ReportCsv() {}

  static String render(CampaignReport r) {
    List<String[]> rows = new ArrayList<>();
    add(rows, "campaign", r.campaign(), "profile", r.profile());
    add(rows, "campaign", r.campaign(), "generated_at", r.generatedAt());
    add(rows, "campaign", r.campaign(), "since", r.since().orElse(null));
    var o = r.outcomes();
    add(rows, "outcome", "all", "calls", o.calls());
    add(rows, "outcome", "all", "in_flight", o.inFlight());
    add(rows, "outcome", "all", "connected_to_agent", o.connectedToAgent());
    o.byOutcome().forEach((outcome, n) -> add(rows, "outcome", outcome.name(), "calls", n));
    add(rows, "line_check", "all", "line_checks", o.lineChecks());
    o.lineChecksByOutcome()
        .forEach((outcome, n) -> add(rows, "line_check", outcome.name(), "line_checks", n));
    add(rows, "lead_state", "all", "leads", r.leads().total());
    r.leads().byState().forEach((state, n) -> add(rows, "lead_state", state.name(), "leads", n));
    r.leads()
        .doneByReason()
        .forEach((reason, n) -> add(rows, "lead_done", reason.name(), "leads", n));
    for (var a : r.agents()) {
      add(rows, "agent", a.agent(), "calls", a.calls());
      add(rows, "agent", a.agent(), "talk_seconds", ReportJson.seconds(a.talk()));
      add(rows, "agent", a.agent(), "wrap_seconds", ReportJson.seconds(a.wrap()));
      a.dispositions()
          .forEach((code, n) -> add(rows, "agent", a.agent(), "disposition_" + code, n));
    }
    var c = r.compliance();
    var ab = c.abandonRate();
    add(rows, "abandon", "limits", "cap", ab.cap().orElse(null));
    add(rows, "abandon", "limits", "target", ab.target().orElse(null));
    add(rows, "abandon", "limits", "machine_share", ab.machineShare());
    window(rows, "24h", ab.last24h());
    window(rows, "30d", ab.last30d());
    var d = c.dropMessages();
    add(rows, "drop_message", "all", "abandoned", d.abandoned());
    add(rows, "drop_message", "all", "played", d.played());
    add(rows, "drop_message", "all", "silent", d.silent());
    add(rows, "drop_message", "all", "deadline_ms", d.deadline().toMillis());
    add(rows, "drop_message", "all", "over_deadline", d.overDeadline());
    add(rows, "drop_message", "latency", "p50_ms", d.latency().map(s -> s.p50().toMillis()));
    add(rows, "drop_message", "latency", "p90_ms", d.latency().map(s -> s.p90().toMillis()));
    add(rows, "drop_message", "latency", "max_ms", d.latency().map(s -> s.max().toMillis()));
    d.histogramMs().forEach(b -> add(rows, "drop_latency_ms", range(b), "messages", b.count()));
    var g = c.ringTimes();
    add(rows, "ring_time", "all", "minimum_seconds", g.minimum().toSeconds());
    add(rows, "ring_time", "all", "ring_timeout_seconds", ReportJson.seconds(g.ringTimeout()));
    add(rows, "ring_time", "all", "unanswered", g.unanswered());
    add(rows, "ring_time", "all", "below_minimum", g.belowMinimum());
    g.belowMinimumByOutcome()
        .forEach((outcome, n) -> add(rows, "ring_time", outcome.name(), "below_minimum", n));
    add(
        rows,
        "ring_time",
        "spread",
        "p50_seconds",
        g.spread().map(s -> ReportJson.seconds(s.p50())));
    add(
        rows,
        "ring_time",
        "spread",
        "p90_seconds",
        g.spread().map(s -> ReportJson.seconds(s.p90())));
    add(
        rows,
        "ring_time",
        "spread",
        "max_seconds",
        g.spread().map(s -> ReportJson.seconds(s.max())));
    g.histogramSeconds().forEach(b -> add(rows, "ring_seconds", range(b), "unanswered", b.count()));
    var w = c.callingWindows();
    add(rows, "calling_window", "all", "checked", w.checked());
    add(rows, "calling_window", "all", "outside", w.outside());
    add(rows, "calling_window", "all", "zone_unknown", w.zoneUnknown());
    for (var call : w.outsideCalls()) {
      String item = String.valueOf(call.attempt());
      add(rows, "outside_window", item, "number", call.number());
      add(rows, "outside_window", item, "kind", call.kind());
      add(rows, "outside_window", item, "placed_at", call.placedAt());
      add(rows, "outside_window", item, "local_times", String.join("; ", call.localTimes()));
    }
    add(rows, "goat_hold", "all", "recorded", c.goatHold().recorded());
    add(rows, "goat_hold", "all", "calls", c.goatHold().calls());
    add(rows, "goat_hold", "all", "total_seconds", c.goatHold().total().toSeconds());
    add(rows, "goat_hold", "all", "longest_seconds", c.goatHold().longest().toSeconds());
    StringBuilder out = new StringBuilder(HEADER).append("\r\n");
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        out.append(i == 0 ? "" : ",").append(quote(row[i]));
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  private static void window(List<String[]> rows, String name, CampaignReport.Window w) {
    add(rows, "abandon", name, "answered", w.answered());
    add(rows, "abandon", name, "abandoned", w.abandoned());
    add(rows, "abandon", name, "machines", w.machines());
    add(rows, "abandon", name, "rate", w.rate());
  }

  private static String range(CampaignReport.Bucket b) {
    return b.from() + "-" + b.to().map(String::valueOf).orElse("");
  }

  private static void add(
      List<String[]> rows, String section, String item, String measure, Object value) {
    Object plain = value instanceof Optional<?> optional ? optional.orElse(null) : value;
    rows.add(new String[] {section, item, measure, plain == null ? "" : String.valueOf(plain)});
  }

  /** RFC 4180: quote a field with a comma, quote or line break; double its quotes. */
  static String quote(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
