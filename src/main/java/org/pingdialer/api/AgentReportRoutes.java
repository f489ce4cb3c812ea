package org.pingdialer.api;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.report.AgentReport;
import org.pingdialer.report.ReportCatalog;

/**
 * {@code GET /api/v1/agents/report?since=…}: every agent's calls, talk, wrap-up and dispositions
 * across the controller's campaigns and inbound queues, in all and per campaign or queue (default:
 * the last 24 h).
 */
record AgentReportRoutes(ReportCatalog catalog, InboundCallStore inbound) {
  private static final Duration DEFAULT_SPAN = Duration.ofHours(24);

  void report(Context ctx) {
    Instant now = Clock.systemUTC().instant();
    Instant since = ReportRoutes.sinceOr(ctx, now, DEFAULT_SPAN);
    AgentReport report = catalog.agents(inbound.calls(Optional.empty(), since), since);
    List<Map<String, Object>> agents = new ArrayList<>();
    for (AgentReport.Agent agent : report.agents()) {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("agent", agent.agent());
      view.put("calls", agent.calls());
      view.put("talkSeconds", agent.talk().toSeconds());
      view.put("wrapSeconds", agent.wrap().toSeconds());
      view.put("dispositions", agent.dispositions());
      List<Map<String, Object>> parts = new ArrayList<>();
      for (AgentReport.Part part : agent.parts()) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", part.name());
        p.put("kind", part.inbound() ? "inbound" : "outbound");
        p.put("calls", part.calls());
        p.put("talkSeconds", part.talk().toSeconds());
        p.put("wrapSeconds", part.wrap().toSeconds());
        p.put("dispositions", part.dispositions());
        parts.add(p);
      }
      view.put("parts", parts);
      agents.add(view);
    }
    ctx.json(Map.of("since", since.toString(), "agents", agents));
  }
}
