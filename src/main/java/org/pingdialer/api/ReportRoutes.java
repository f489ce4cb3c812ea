package org.pingdialer.api;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.pingdialer.campaign.spec.Durations;
import org.pingdialer.report.CampaignReport;
import org.pingdialer.report.ReportCatalog;
import org.pingdialer.report.ReportFormat;

/** {@code GET /api/v1/campaigns/{name}/report?format=json|csv|html&since=…}. */
record ReportRoutes(ReportCatalog catalog) {

  void report(Context ctx) {
    String asked = Optional.ofNullable(ctx.queryParam("format")).orElse("json");
    ReportFormat format =
        ReportFormat.named(asked)
            .orElseThrow(
                () ->
                    new Problem.Raised(
                        Problem.badField("format", "one of json, csv, html; was " + asked)));
    Instant now = Clock.systemUTC().instant();
    Optional<Instant> since = Optional.ofNullable(ctx.queryParam("since")).map(s -> since(s, now));
    String name = ctx.pathParam("name");
    CampaignReport report =
        catalog
            .report(name, since, now)
            .orElseThrow(
                () ->
                    Problem.notFound(
                        "no campaign '"
                            + name
                            + "' here; known: "
                            + (catalog.names().isEmpty()
                                ? "none"
                                : String.join(", ", catalog.names()))));
    ctx.contentType(format.contentType()).result(format.render(report));
  }

  /** The request's {@code since}, or {@code span} back from now when it names none. */
  static Instant sinceOr(Context ctx, Instant now, Duration span) {
    return Optional.ofNullable(ctx.queryParam("since"))
        .map(s -> since(s, now))
        .orElse(now.minus(span));
  }

  static Instant since(String text, Instant now) {
    Optional<Duration> back = Durations.parse(text);
    if (back.isPresent()) {
      return now.minus(back.get());
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new Problem.Raised(
          Problem.badField(
              "since",
              "an ISO-8601 instant such as 2026-11-28T08:00:00Z or a time back from now ("
                  + Durations.EXAMPLES
                  + "), was "
                  + text));
    }
  }
}
