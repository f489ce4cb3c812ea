package org.pingdialer.api;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pingdialer.campaign.Floor;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.inbound.InboundDesk;
import org.pingdialer.inbound.InboundOutcome;

/**
 * {@code GET /api/v1/queues?since=…}: the floor's inbound queues, each with its callers waiting now
 * and its figures since {@code since} (default: the last 24 h): calls offered and their outcomes,
 * the service level reached (answered within the queue's threshold, over the calls that ended), the
 * average speed of answer and the longest wait.
 */
record QueueRoutes(Floor floor, InboundCallStore calls) {
  private static final Duration DEFAULT_SPAN = Duration.ofHours(24);

  void list(Context ctx) throws Exception {
    Instant now = Clock.systemUTC().instant();
    Instant since = ReportRoutes.sinceOr(ctx, now, DEFAULT_SPAN);
    Map<String, Integer> waiting = floor.inbound().waiting().get(5, TimeUnit.SECONDS);
    List<Map<String, Object>> queues = new ArrayList<>();
    for (InboundQueue queue : floor.inbound().queues().values()) {
      queues.add(view(queue, waiting.getOrDefault(queue.name(), 0), since));
    }
    queues.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
    ctx.json(Map.of("since", since.toString(), "queues", queues));
  }

  private Map<String, Object> view(InboundQueue queue, int waitingNow, Instant since) {
    InboundCallStore.QueueFigures figures =
        calls.figures(queue.name(), since, queue.serviceLevel().answeredWithin());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", queue.name());
    view.put("numbers", queue.dids());
    view.put("priority", queue.share().priority());
    view.put("agents", queue.share().agents().isEmpty() ? "all" : queue.share().agents());
    view.put("reserveAgents", InboundDesk.reserveOf(queue));
    view.put("waiting", waitingNow);
    view.put("offered", figures.offered());
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (InboundOutcome outcome : InboundOutcome.values()) {
      outcomes.put(
          outcome.name().toLowerCase(Locale.ROOT), figures.outcomes().getOrDefault(outcome, 0L));
    }
    view.put("outcomes", outcomes);
    view.put(
        "serviceLevel",
        Map.of(
            "answeredWithinSeconds", queue.serviceLevel().answeredWithin().toSeconds(),
            "target", queue.serviceLevel().target(),
            "reached", figures.serviceLevel(),
            "answeredWithin", figures.answeredWithin()));
    view.put("averageSpeedOfAnswerSeconds", figures.averageSpeedOfAnswer().toMillis() / 1000.0);
    view.put("longestWaitSeconds", figures.longestWait().toMillis() / 1000.0);
    return view;
  }
}
