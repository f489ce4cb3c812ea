package org.pingdialer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A report as one self-contained HTML page: inline CSS and inline SVG charts, no script, nothing
 * fetched (it opens from a file, offline, and can be mailed as is). Charts: outcomes, lead states,
 * agents' talk and wrap time, the abandon rate of both windows against the cap, ring times of
 * unanswered calls against the minimum, drop-message latency against the deadline.
 */
final class ReportHtml {
  private static final String STYLE =
      """
      body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
      h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
      table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}
      td:first-child,th:first-child{text-align:left}
      .ok{color:#1a7f37}.bad{color:#c62828;font-weight:bold}.note{color:#666}
      svg text{font:12px system-ui,sans-serif}figure{margin:1em 0}figcaption{font-weight:bold}
      .bar{fill:#4f7cac}.bar.warn{fill:#c62828}.bar.alt{fill:#9bb7d4}
      .mark{stroke:#c62828;stroke-width:2;stroke-dasharray:4 3}
      """;

  private ReportHtml() {}

  static String render(CampaignReport r) {
    var page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>pingdialer report: ")
        .append(esc(r.campaign()))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    page.append("<h1>Campaign ").append(esc(r.campaign())).append("</h1>\n");
    page.append("<p>Profile ")
        .append(esc(r.profile()))
        .append(", report of ")
        .append(esc(r.generatedAt().toString()))
        .append(r.since().map(s -> ", attempts placed since " + esc(s.toString())).orElse(""))
        .append(".</p>\n");

    var c = r.compliance();
    section(page, "Compliance");
    var ab = c.abandonRate();
    page.append("<table><tr><th>Abandon rate</th><th>answered</th><th>abandoned</th>")
        .append("<th>machines</th><th>rate</th></tr>\n");
    abandonRow(page, "last 24 h", ab.last24h(), ab.cap());
    abandonRow(page, "last 30 days", ab.last30d(), ab.cap());
    page.append("</table>\n<p class=\"note\">Cap ")
        .append(ab.cap().map(ReportHtml::percent).orElse("none (not governed)"))
        .append(ab.target().map(t -> ", target " + percent(t)).orElse(""))
        .append(", machines counted as people: ")
        .append(percent(ab.machineShare()))
        .append(". The same computation as the dialer's abandon governor.</p>\n");
    List<Bar> rates = new ArrayList<>();
    rates.add(new Bar("24 h", ab.last24h().rate() * 100, over(ab.last24h(), ab.cap())));
    rates.add(new Bar("30 days", ab.last30d().rate() * 100, over(ab.last30d(), ab.cap())));
    page.append(
        bars("Abandon rate (%) against the cap", rates, "%", ab.cap().map(cap -> cap * 100)));

    var w = c.callingWindows();
    page.append("<p>Calls outside the calling windows: <span class=\"")
        .append(w.outside() == 0 ? "ok" : "bad")
        .append("\">")
        .append(w.outside())
        .append("</span> of ")
        .append(w.checked())
        .append(" checked in the leads' time zones")
        .append(w.zoneUnknown() == 0 ? "" : " (" + w.zoneUnknown() + " without a known zone)")
        .append(".</p>\n");
    if (!w.outsideCalls().isEmpty()) {
      page.append("<table><tr><th>attempt</th><th>number</th><th>placed at</th>")
          .append("<th>local time</th></tr>\n");
      for (var call : w.outsideCalls()) {
        page.append("<tr><td>")
            .append(call.attempt())
            .append("</td><td>")
            .append(esc(call.number()))
            .append("</td><td>")
            .append(esc(call.placedAt().toString()))
            .append("</td><td>")
            .append(esc(String.join("; ", call.localTimes())))
            .append("</td></tr>\n");
      }
      page.append("</table>\n");
    }

    var g = c.ringTimes();
    page.append("<p>Unanswered attempts: ")
        .append(g.unanswered())
        .append(", of which rang less than ")
        .append(g.minimum().toSeconds())
        .append(" s: <span class=\"")
        .append(g.belowMinimum() == 0 ? "ok" : "bad")
        .append("\">")
        .append(g.belowMinimum())
        .append("</span>")
        .append(byOutcome(g.belowMinimumByOutcome()))
        .append(". Ring timeout ")
        .append(ReportJson.seconds(g.ringTimeout()))
        .append(" s.</p>\n");
    page.append(
        histogram(
            "Ring time of unanswered attempts (s)",
            g.histogramSeconds(),
            g.minimum().toSeconds(),
            "minimum"));

    var d = c.dropMessages();
    page.append("<p>Abandoned calls: ")
        .append(d.abandoned())
        .append("; drop message played: ")
        .append(d.played())
        .append(", silent drops: ")
        .append(d.silent())
        .append(", message later than ")
        .append(d.deadline().toMillis())
        .append(" ms after the answer: <span class=\"")
        .append(d.overDeadline() == 0 ? "ok" : "bad")
        .append("\">")
        .append(d.overDeadline())
        .append("</span>")
        .append(
            d.latency()
                .map(
                    s ->
                        " (latency p50 "
                            + s.p50().toMillis()
                            + " ms, p90 "
                            + s.p90().toMillis()
                            + " ms, max "
                            + s.max().toMillis()
                            + " ms)")
                .orElse(""))
        .append(".</p>\n");
    page.append(
        histogram(
            "Drop message latency after the answer (ms)",
            d.histogramMs(),
            d.deadline().toMillis(),
            "deadline"));
    page.append("<p class=\"note\">Goat hold time: ")
        .append(c.goatHold().calls())
        .append(" calls held agents ")
        .append(c.goatHold().total().toSeconds())
        .append(" s in all, the longest ")
        .append(c.goatHold().longest().toSeconds())
        .append(" s (")
        .append(esc(c.goatHold().note()))
        .append(").</p>\n");

    var o = r.outcomes();
    section(page, "Outcomes");
    page.append("<p>")
        .append(o.calls())
        .append(" calls placed (")
        .append(o.connectedToAgent())
        .append(" reached an agent, ")
        .append(o.inFlight())
        .append(" without an outcome yet), ")
        .append(o.lineChecks())
        .append(" line checks.</p>\n");
    page.append(bars("Calls by outcome", enumBars(o.byOutcome()), "", Optional.empty()));
    if (o.lineChecks() > 0) {
      page.append(
          bars("Line checks by outcome", enumBars(o.lineChecksByOutcome()), "", Optional.empty()));
    }
    page.append("<p>").append(r.leads().total()).append(" leads on the campaign's lists.</p>\n");
    page.append(bars("Leads by state", enumBars(r.leads().byState()), "", Optional.empty()));
    page.append(
        bars("Finished leads by reason", enumBars(r.leads().doneByReason()), "", Optional.empty()));

    section(page, "Agents");
    if (r.agents().isEmpty()) {
      page.append("<p>No call reached an agent.</p>\n");
    } else {
      page.append("<table><tr><th>agent</th><th>calls</th><th>talk s</th><th>wrap s</th>")
          .append("<th>dispositions</th></tr>\n");
      List<Bar> talk = new ArrayList<>();
      for (var a : r.agents()) {
        page.append("<tr><td>")
            .append(esc(a.agent()))
            .append("</td><td>")
            .append(a.calls())
            .append("</td><td>")
            .append(ReportJson.seconds(a.talk()))
            .append("</td><td>")
            .append(ReportJson.seconds(a.wrap()))
            .append("</td><td>")
            .append(esc(a.dispositions().toString()))
            .append("</td></tr>\n");
        talk.add(new Bar(a.agent() + " talk", ReportJson.seconds(a.talk()), ""));
        talk.add(new Bar(a.agent() + " wrap", ReportJson.seconds(a.wrap()), "alt"));
      }
      page.append("</table>\n");
      page.append(bars("Talk and wrap time per agent (s)", talk, " s", Optional.empty()));
    }
    section(page, "Not recorded");
    page.append("<ul>");
    r.notRecorded().forEach(n -> page.append("<li>").append(esc(n)).append("</li>"));
    page.append("</ul>\n</body></html>\n");
    return page.toString();
  }

  private record Bar(String label, double value, String css) {}

  private static void section(StringBuilder page, String title) {
    page.append("<h2>").append(esc(title)).append("</h2>\n");
  }

  private static void abandonRow(
      StringBuilder page, String name, CampaignReport.Window w, Optional<Double> cap) {
    page.append("<tr><td>")
        .append(name)
        .append("</td><td>")
        .append(w.answered())
        .append("</td><td>")
        .append(w.abandoned())
        .append("</td><td>")
        .append(w.machines())
        .append("</td><td class=\"")
        .append(cap.isEmpty() ? "" : over(w, cap).isEmpty() ? "ok" : "bad")
        .append("\">")
        .append(percent(w.rate()))
        .append("</td></tr>\n");
  }

  private static String over(CampaignReport.Window w, Optional<Double> cap) {
    return cap.isPresent() && w.rate() > cap.get() ? "warn" : "";
  }

  private static String byOutcome(Map<? extends Enum<?>, Long> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach(
        (k, n) -> {
          if (n > 0) {
            parts.add(k.name() + " " + n);
          }
        });
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  private static List<Bar> enumBars(Map<? extends Enum<?>, Long> counts) {
    List<Bar> bars = new ArrayList<>();
    counts.forEach((k, n) -> bars.add(new Bar(k.name(), n, "")));
    return bars;
  }

  /** A horizontal bar chart, one row per bar, with an optional dashed marker (a cap). */
  private static String bars(String title, List<Bar> bars, String unit, Optional<Double> marker) {
    int labelWidth = 160;
    int width = 560;
    int row = 22;
    int height = bars.size() * row + 30;
    double max = marker.orElse(0.0);
    for (Bar bar : bars) {
      max = Math.max(max, bar.value());
    }
    max = max <= 0 ? 1 : max * 1.1;
    var svg = new StringBuilder();
    svg.append("<figure><figcaption>")
        .append(esc(title))
        .append("</figcaption><svg role=\"img\" class=\"chart\" width=\"")
        .append(width + labelWidth + 60)
        .append("\" height=\"")
        .append(height)
        .append("\" aria-label=\"")
        .append(esc(title))
        .append("\"><title>")
        .append(esc(title))
        .append("</title>\n");
    int y = 5;
    for (Bar bar : bars) {
      double w = bar.value() / max * width;
      svg.append("<text x=\"0\" y=\"")
          .append(y + 15)
          .append("\">")
          .append(esc(bar.label()))
          .append("</text><rect class=\"bar ")
          .append(bar.css())
          .append("\" x=\"")
          .append(labelWidth)
          .append("\" y=\"")
          .append(y + 3)
          .append("\" width=\"")
          .append(fmt(w))
          .append("\" height=\"16\"/><text x=\"")
          .append(fmt(labelWidth + w + 4))
          .append("\" y=\"")
          .append(y + 15)
          .append("\">")
          .append(number(bar.value()))
          .append(esc(unit))
          .append("</text>\n");
      y += row;
    }
    final double scale = max;
    marker.ifPresent(
        m -> {
          double x = labelWidth + m / scale * width;
          svg.append("<line class=\"mark\" x1=\"")
              .append(fmt(x))
              .append("\" x2=\"")
              .append(fmt(x))
              .append("\" y1=\"0\" y2=\"")
              .append(height - 15)
              .append("\"/><text x=\"")
              .append(fmt(x + 3))
              .append("\" y=\"")
              .append(height - 3)
              .append("\">cap ")
              .append(number(m))
              .append(esc(unit))
              .append("</text>\n");
        });
    svg.append("</svg></figure>\n");
    return svg.toString();
  }

  /** A vertical histogram of the buckets, with a dashed line at {@code marker}. */
  private static String histogram(
      String title, List<CampaignReport.Bucket> buckets, long marker, String markerName) {
    int column = 70;
    int plot = 160;
    int width = buckets.size() * column + 20;
    long max = 1;
    for (var b : buckets) {
      max = Math.max(max, b.count());
    }
    var svg = new StringBuilder();
    svg.append("<figure><figcaption>")
        .append(esc(title))
        .append(" <span class=\"note\">(dashed: the ")
        .append(markerName)
        .append(" ")
        .append(marker)
        .append(
            "; red: breaks the rule)</span></figcaption><svg role=\"img\" class=\"chart\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(plot + 45)
        .append("\" aria-label=\"")
        .append(esc(title))
        .append("\"><title>")
        .append(esc(title))
        .append("</title>\n");
    int x = 10;
    for (var b : buckets) {
      double h = (double) b.count() / max * plot;
      boolean below = b.to().map(to -> to <= marker).orElse(false);
      boolean warnBucket = markerName.equals("minimum") ? below : b.from() >= marker;
      svg.append("<rect class=\"bar ")
          .append(warnBucket && b.count() > 0 ? "warn" : "")
          .append("\" x=\"")
          .append(x + 5)
          .append("\" y=\"")
          .append(fmt(20 + plot - h))
          .append("\" width=\"")
          .append(column - 10)
          .append("\" height=\"")
          .append(fmt(h))
          .append("\"/><text x=\"")
          .append(x + 8)
          .append("\" y=\"")
          .append(fmt(15 + plot - h))
          .append("\">")
          .append(b.count())
          .append("</text><text x=\"")
          .append(x + 5)
          .append("\" y=\"")
          .append(plot + 38)
          .append("\">")
          .append(b.from())
          .append(b.to().map(to -> "–" + to).orElse("+"))
          .append("</text>\n");
      if (b.from() == marker) {
        svg.append("<line class=\"mark\" x1=\"")
            .append(x)
            .append("\" x2=\"")
            .append(x)
            .append("\" y1=\"10\" y2=\"")
            .append(plot + 22)
            .append("\"><title>")
            .append(markerName)
            .append("</title></line>\n");
      }
      x += column;
    }
    svg.append("</svg></figure>\n");
    return svg.toString();
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? String.valueOf((long) value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String esc(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
