package org.pingdialer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A report as one JSON object. The keys are built here one by one in a fixed order (documented in
 * docs/reports.md, section "JSON"); durations are numbers with their unit in the key ({@code
 * talkSeconds}, {@code p50Ms}), instants ISO-8601 strings, rates fractions (0.02 = 2 %), and absent
 * values {@code null}.
 */
final class ReportJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  static String render(CampaignReport report) {
    try {
      return JSON.writeValueAsString(tree(report)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report of plain values failed to serialize", e);
    }
  }

  static Map<String, Object> tree(CampaignReport r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("campaign", r.campaign());
    root.put("profile", r.profile());
    root.put("generatedAt", r.generatedAt().toString());
    root.put("since", r.since().map(Object::toString).orElse(null));

    var o = r.outcomes();
    Map<String, Object> outcomes = new LinkedHashMap<>();
    outcomes.put("calls", o.calls());
    outcomes.put("lineChecks", o.lineChecks());
    outcomes.put("inFlight", o.inFlight());
    outcomes.put("connectedToAgent", o.connectedToAgent());
    outcomes.put("byOutcome", names(o.byOutcome()));
    outcomes.put("lineChecksByOutcome", names(o.lineChecksByOutcome()));
    root.put("outcomes", outcomes);

    Map<String, Object> leads = new LinkedHashMap<>();
    leads.put("total", r.leads().total());
    leads.put("byState", names(r.leads().byState()));
    leads.put("doneByReason", names(r.leads().doneByReason()));
    root.put("leads", leads);

    List<Object> agents = new ArrayList<>();
    for (var a : r.agents()) {
      Map<String, Object> agent = new LinkedHashMap<>();
      agent.put("agent", a.agent());
      agent.put("calls", a.calls());
      agent.put("talkSeconds", seconds(a.talk()));
      agent.put("wrapSeconds", seconds(a.wrap()));
      agent.put("dispositions", a.dispositions());
      agents.add(agent);
    }
    root.put("agents", agents);

    var c = r.compliance();
    Map<String, Object> compliance = new LinkedHashMap<>();
    var ab = c.abandonRate();
    Map<String, Object> abandon = new LinkedHashMap<>();
    abandon.put("cap", ab.cap().orElse(null));
    abandon.put("target", ab.target().orElse(null));
    abandon.put("machineShare", ab.machineShare());
    abandon.put("last24h", window(ab.last24h(), ab.cap()));
    abandon.put("last30d", window(ab.last30d(), ab.cap()));
    compliance.put("abandonRate", abandon);

    var d = c.dropMessages();
    Map<String, Object> drops = new LinkedHashMap<>();
    drops.put("abandoned", d.abandoned());
    drops.put("played", d.played());
    drops.put("silent", d.silent());
    drops.put("deadlineMs", d.deadline().toMillis());
    drops.put("overDeadline", d.overDeadline());
    drops.put("latencyMs", spread(d.latency(), true));
    drops.put("histogramMs", buckets(d.histogramMs()));
    compliance.put("dropMessages", drops);

    var g = c.ringTimes();
    Map<String, Object> rings = new LinkedHashMap<>();
    rings.put("minimumSeconds", g.minimum().toSeconds());
    rings.put("ringTimeoutSeconds", seconds(g.ringTimeout()));
    rings.put("unanswered", g.unanswered());
    rings.put("belowMinimum", g.belowMinimum());
    rings.put("belowMinimumByOutcome", names(g.belowMinimumByOutcome()));
    rings.put("ringSeconds", spread(g.spread(), false));
    rings.put("histogramSeconds", buckets(g.histogramSeconds()));
    compliance.put("ringTimes", rings);

    var w = c.callingWindows();
    Map<String, Object> windows = new LinkedHashMap<>();
    windows.put("checked", w.checked());
    windows.put("outside", w.outside());
    windows.put("zoneUnknown", w.zoneUnknown());
    List<Object> outside = new ArrayList<>();
    for (var call : w.outsideCalls()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("attempt", call.attempt());
      one.put("kind", call.kind());
      one.put("number", call.number());
      one.put("placedAt", call.placedAt().toString());
      one.put("localTimes", call.localTimes());
      outside.add(one);
    }
    windows.put("outsideCalls", outside);
    compliance.put("callingWindows", windows);

    Map<String, Object> goat = new LinkedHashMap<>();
    goat.put("recorded", c.goatHold().recorded());
    goat.put("note", c.goatHold().note());
    goat.put("calls", c.goatHold().calls());
    goat.put("totalSeconds", c.goatHold().total().toSeconds());
    goat.put("longestSeconds", c.goatHold().longest().toSeconds());
    compliance.put("goatHold", goat);
    root.put("compliance", compliance);
    root.put("notRecorded", r.notRecorded());
    return root;
  }

  private static Map<String, Object> window(CampaignReport.Window w, Optional<Double> cap) {
    Map<String, Object> window = new LinkedHashMap<>();
    window.put("answered", w.answered());
    window.put("abandoned", w.abandoned());
    window.put("machines", w.machines());
    window.put("rate", w.rate());
    window.put("overCap", cap.map(limit -> w.rate() > limit).orElse(null));
    return window;
  }

  private static Map<String, Object> spread(Optional<CampaignReport.Spread> spread, boolean ms) {
    Map<String, Object> values = new LinkedHashMap<>();
    String unit = ms ? "Ms" : "Seconds";
    values.put("p50" + unit, spread.map(s -> value(s.p50(), ms)).orElse(null));
    values.put("p90" + unit, spread.map(s -> value(s.p90(), ms)).orElse(null));
    values.put("max" + unit, spread.map(s -> value(s.max(), ms)).orElse(null));
    return values;
  }

  private static Object value(Duration d, boolean ms) {
    return ms ? (Object) d.toMillis() : (Object) seconds(d);
  }

  private static List<Object> buckets(List<CampaignReport.Bucket> buckets) {
    List<Object> list = new ArrayList<>();
    for (var b : buckets) {
      Map<String, Object> bucket = new LinkedHashMap<>();
      bucket.put("from", b.from());
      bucket.put("to", b.to().orElse(null));
      bucket.put("count", b.count());
      list.add(bucket);
    }
    return list;
  }

  /** Seconds with millisecond precision. */
  static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static Map<String, Long> names(Map<? extends Enum<?>, Long> byEnum) {
    Map<String, Long> named = new LinkedHashMap<>();
    byEnum.forEach((key, count) -> named.put(key.name(), count));
    return named;
  }
}
