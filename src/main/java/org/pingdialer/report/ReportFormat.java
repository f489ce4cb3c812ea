package org.pingdialer.report;

import java.util.Locale;
import java.util.Optional;

/** The renderings of a report: one JSON document, one CSV table, one self-contained HTML page. */
public enum ReportFormat {
  JSON("application/json"),
  CSV("text/csv; charset=utf-8"),
  HTML("text/html; charset=utf-8");

  private final String contentType;

  ReportFormat(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /** The format named {@code json}, {@code csv} or {@code html} (any case). */
  public static Optional<ReportFormat> named(String name) {
    for (ReportFormat format : values()) {
      if (format.name().equalsIgnoreCase(name)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  public String render(CampaignReport report) {
    return switch (this) {
      case JSON -> ReportJson.render(report);
      case CSV -> ReportCsv.render(report);
      case HTML -> ReportHtml.render(report);
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
