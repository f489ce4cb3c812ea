package org.pingdialer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.AgentStats;
import org.pingdialer.agent.Disposition;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.campaign.spec.CampaignLibrary;
import org.pingdialer.lead.Lead;
import org.pingdialer.report.ReportCatalog;
import org.pingdialer.store.JdbcInboundStore;
import org.pingdialer.web.Dashboard;

/**
 * The controller's REST API under {@code /api/v1} (Javalin), on loopback by default. Every request
 * needs {@code Authorization: Bearer <token>} with one of the configured tokens; there is no
 * built-in token. Errors are {@code application/problem+json} naming the field and the fix.
 *
 * <p>Agents: {@code GET /api/v1/agents}; {@code POST /api/v1/agents/{id}/pause} ({@code {"reason":
 * "break"}}), {@code resume}, {@code logout}, {@code end-call}, {@code ready}, {@code disposition}
 * ({@code {"code": "sale"}}, or {@code {"code": "callback", "at": "2026-11-29T10:00:00Z",
 * "agentOnly": true}}).
 *
 * <p>{@code /metrics} is the Prometheus exposition (same token); {@code /dashboard} the live
 * dashboard, when one is given ({@link DashboardRoutes}: the token once, then a session cookie).
 *
 * <p>Reports: {@code GET /api/v1/campaigns/{name}/report?format=json|csv|html&since=24h}.
 */
public final class ApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 5;

  private final Javalin app;

  /** The dashboard's event-stream senders, stopped with the server. */
  private final Set<Thread> senders;

  private ApiServer(Javalin app, Set<Thread> senders) {
    this.app = app;
    this.senders = senders;
  }

  /**
   * What the API serves besides the agents: none by default, each added with its {@code with}
   * method.
   *
   * @param metrics the Prometheus exposition served at {@code /metrics}
   * @param dashboard the live dashboard at {@code /dashboard} ({@link DashboardRoutes}: the token
   *     once, then a session cookie), and the calls in flight at {@code /api/v1/calls}
   * @param reports the campaign reports at {@code GET /api/v1/campaigns/{name}/report}
   * @param library the stored campaign files at {@code /api/v1/campaigns/{name}/definition}
   */
  public record Extras(
      Optional<Supplier<String>> metrics,
      Optional<Dashboard> dashboard,
      ReportCatalog reports,
      Optional<CampaignLibrary> library) {
    public static Extras none() {
      return new Extras(Optional.empty(), Optional.empty(), ReportCatalog.none(), Optional.empty());
    }

    public Extras withMetrics(Supplier<String> scrape) {
      return new Extras(Optional.of(scrape), dashboard, reports, library);
    }

    public Extras withDashboard(Dashboard board) {
      return new Extras(metrics, Optional.of(board), reports, library);
    }

    public Extras withReports(ReportCatalog catalog) {
      return new Extras(metrics, dashboard, catalog, library);
    }

    public Extras withLibrary(CampaignLibrary campaigns) {
      return new Extras(metrics, dashboard, reports, Optional.of(campaigns));
    }
  }

  /**
   * Starts the API of the agents at {@code desk}.
   *
   * @param port 0 for any free port
   * @param tokens the bearer tokens that may call it; at least one
   * @param pauseCodes the campaign's pause reasons an agent may be paused with
   */
  public static ApiServer start(
      String host,
      int port,
      Set<String> tokens,
      AgentDesk desk,
      List<String> pauseCodes,
      Extras extras) {
    return start(host, port, tokens, desk, pauseCodes, extras, Optional.empty());
  }

  /**
   * The API of a running campaign: its agents, the campaign itself under {@code /api/v1/campaigns}
   * (live figures, start, pause, resume, stop), its calls, leads and DNC lists, and the {@code
   * extras}.
   */
  public static ApiServer forRun(
      String host, int port, Set<String> tokens, CampaignRun run, Extras extras) {
    return start(
        host,
        port,
        tokens,
        run.desk(),
        run.campaign().pauseCodes(),
        extras,
        Optional.of(new CampaignRoutes(run.floor(), extras.reports())));
  }

  private static ApiServer start(
      String host,
      int port,
      Set<String> tokens,
      AgentDesk desk,
      List<String> pauseCodes,
      Extras extras,
      Optional<CampaignRoutes> campaign) {
    var metrics = extras.metrics();
    var dashboard = extras.dashboard();
    var reports = extras.reports();
    if (tokens.isEmpty() || tokens.stream().anyMatch(t -> t.length() < 16)) {
      throw new IllegalArgumentException(
          "the API needs at least one token of 16 or more characters (PINGDIALER_API_TOKENS or"
              + " PINGDIALER_API_TOKEN_FILE); there is no default");
    }
    List<byte[]> allowed = tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    var routes = new Routes(desk, List.copyOf(pauseCodes));
    Set<Thread> senders = ConcurrentHashMap.newKeySet();
    Optional<DashboardRoutes> board =
        dashboard.map(
            d ->
                new DashboardRoutes(
                    d,
                    given -> valid(given, allowed),
                    new DashboardSessions(InstantSource.system()),
                    senders,
                    campaign,
                    extras.library()));
    Javalin app =
        Javalin.create(
            config -> {
              config.jetty.host = host;
              config.jetty.port = port;
              config.jsonMapper(new JavalinJackson(JSON, false));
              config.routes.before("/api/*", ctx -> authorize(ctx, allowed));
              config.routes.before("/metrics", ctx -> authorize(ctx, allowed));
              metrics.ifPresent(
                  scrape ->
                      config.routes.get(
                          "/metrics",
                          ctx ->
                              ctx.contentType("text/plain; version=0.0.4").result(scrape.get())));
              board.ifPresent(b -> b.register(config.routes));
              config.routes.get("/api/v1/openapi.json", ApiServer::openApi);
              config.routes.get("/api/v1/agents", routes::agents);
              config.routes.post("/api/v1/agents/{id}/pause", routes::pause);
              config.routes.post("/api/v1/agents/{id}/resume", routes::resume);
              config.routes.post("/api/v1/agents/{id}/logout", routes::logout);
              config.routes.post("/api/v1/agents/{id}/end-call", routes::endCall);
              config.routes.post("/api/v1/agents/{id}/ready", routes::ready);
              config.routes.post("/api/v1/agents/{id}/preview/dial", routes::dialPreview);
              config.routes.post("/api/v1/agents/{id}/preview/skip", routes::skipPreview);
              config.routes.post("/api/v1/agents/{id}/disposition", routes::disposition);
              dashboard.ifPresent(
                  d ->
                      config.routes.get(
                          "/api/v1/calls",
                          ctx -> {
                            var view = d.current().get(WAIT_SECONDS, TimeUnit.SECONDS);
                            ctx.json(
                                Map.of("inFlight", view.calls(), "recent", view.recentCalls()));
                          }));
              campaign.ifPresent(
                  c -> {
                    var leads =
                        new LeadRoutes(
                            c.floor().database(),
                            () -> c.floor().runs().stream().map(CampaignRun::campaign).toList(),
                            () -> c.floor().runs().forEach(r -> r.loop().leadsArrived()));
                    config.routes.get("/api/v1/leads", leads::search);
                    config.routes.post("/api/v1/leads/import", leads::importFile);
                    config.routes.get("/api/v1/leads/{id}", leads::one);
                    config.routes.get("/api/v1/leads/{id}/why", leads::why);
                    config.routes.post("/api/v1/dnc/{list}", leads::addDnc);
                    config.routes.get("/api/v1/dnc", leads::checkDnc);
                    config.routes.get("/api/v1/campaigns", ctx -> c.list(ctx, extras.library()));
                    config.routes.get("/api/v1/campaigns/{name}", c::one);
                    config.routes.get("/api/v1/campaigns/{name}/why", c::why);
                    config.routes.post(
                        "/api/v1/campaigns/{name}/start", ctx -> c.start(ctx, extras.library()));
                    config.routes.post("/api/v1/campaigns/{name}/pause", c::pause);
                    config.routes.post("/api/v1/campaigns/{name}/resume", c::resume);
                    config.routes.post("/api/v1/campaigns/{name}/stop", c::stop);
                    var queues =
                        new QueueRoutes(c.floor(), new JdbcInboundStore(c.floor().database()));
                    config.routes.get("/api/v1/queues", queues::list);
                    var agentReport =
                        new AgentReportRoutes(reports, new JdbcInboundStore(c.floor().database()));
                    config.routes.get("/api/v1/agents/report", agentReport::report);
                  });
              config.routes.get(
                  "/api/v1/campaigns/{name}/report", new ReportRoutes(reports)::report);
              extras
                  .library()
                  .ifPresent(
                      library -> {
                        var definitions =
                            new DefinitionRoutes(
                                library,
                                () ->
                                    campaign
                                        .map(
                                            c ->
                                                c.floor().runs().stream()
                                                    .map(r -> r.campaign().name())
                                                    .collect(Collectors.toSet()))
                                        .orElse(Set.of()));
                        config.routes.get("/api/v1/campaigns/{name}/definition", definitions::read);
                        config.routes.put(
                            "/api/v1/campaigns/{name}/definition", definitions::store);
                        config.routes.delete(
                            "/api/v1/campaigns/{name}/definition", definitions::delete);
                      });
              config.routes.exception(Problem.Raised.class, (e, ctx) -> answer(ctx, e.problem));
              config.routes.error(
                  404,
                  "*",
                  ctx -> {
                    if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                      answer(ctx, Problem.of(404, "Not found", "no such resource: " + ctx.path()));
                    }
                  });
            });
    app.start();
    return new ApiServer(app, senders);
  }

  /** A request's JSON object body (an empty body is an empty object), else a 400 problem. */
  static JsonNode body(Context ctx) {
    return Routes.body(ctx);
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  /** The API's description, kept beside the code in src/main/resources/api/openapi.json. */
  private static void openApi(Context ctx) throws IOException {
    try (var in = ApiServer.class.getResourceAsStream("/api/openapi.json")) {
      ctx.contentType("application/json")
          .result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** True when {@code given} is one of the tokens (compared in constant time per token). */
  private static boolean valid(String given, List<byte[]> allowed) {
    byte[] bytes = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (byte[] token : allowed) {
      ok |= MessageDigest.isEqual(token, bytes);
    }
    return ok;
  }

  /** The bearer token of the request, if it sends one. */
  static Optional<String> bearer(Context ctx) {
    String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
    return header.startsWith("Bearer ")
        ? Optional.of(header.substring(7).strip())
        : Optional.empty();
  }

  private static void authorize(Context ctx, List<byte[]> allowed) {
    if (!valid(bearer(ctx).orElse(""), allowed)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new Problem.Raised(
          Problem.of(
              401,
              "Unauthorized",
              "send 'Authorization: Bearer <token>' with one of the controller's API tokens"));
    }
  }

  static void answer(Context ctx, Problem problem) {
    ctx.status(problem.status());
    try {
      ctx.contentType(Problem.CONTENT_TYPE).result(JSON.writeValueAsString(problem));
    } catch (JsonProcessingException e) {
      ctx.result(problem.detail());
    }
  }

  /** The handlers; each waits briefly for the desk's owner thread. */
  private record Routes(AgentDesk desk, List<String> pauseCodes) {
    void agents(Context ctx) throws Exception {
      Map<String, AgentState> states = desk.states().get(WAIT_SECONDS, TimeUnit.SECONDS);
      List<Map<String, Object>> agents = new ArrayList<>();
      for (var entry : new TreeMap<>(states).entrySet()) {
        agents.add(view(entry.getKey(), entry.getValue()));
      }
      ctx.json(agents);
    }

    private Map<String, Object> view(String id, AgentState state) throws Exception {
      Map<String, Object> agent = new LinkedHashMap<>();
      agent.put("id", id);
      agent.put("state", state.status().name().toLowerCase(Locale.ROOT));
      state.pause().ifPresent(p -> agent.put("pause", p.code()));
      Optional<AgentStats.Snapshot> stats = desk.stats(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
      stats.ifPresent(
          s -> {
            agent.put("calls", s.calls());
            agent.put("talkSeconds", s.talk().toSeconds());
            agent.put("wrapSeconds", s.wrap().toSeconds());
            agent.put("pauseSeconds", s.pause().toSeconds());
            agent.put("idleSeconds", s.idle().toSeconds());
            agent.put("loggedInSeconds", s.loggedIn().toSeconds());
            agent.put("dispositions", s.dispositions());
          });
      desk.preview(id)
          .get(WAIT_SECONDS, TimeUnit.SECONDS)
          .ifPresent(lead -> agent.put("preview", previewOf(lead)));
      return agent;
    }

    /** What a preview campaign's agent sees before the call: who, which number, from where. */
    private static Map<String, Object> previewOf(Lead lead) {
      Map<String, Object> preview = new LinkedHashMap<>();
      preview.put("leadId", lead.id());
      preview.put("number", lead.e164());
      preview.put("list", lead.list());
      var contact = lead.contact();
      contact
          .fullName()
          .or(
              () ->
                  contact.firstName().isPresent() || contact.lastName().isPresent()
                      ? Optional.of(
                          (contact.firstName().orElse("") + " " + contact.lastName().orElse(""))
                              .strip())
                      : Optional.empty())
          .ifPresent(name -> preview.put("name", name));
      contact.email().ifPresent(email -> preview.put("email", email));
      contact.source().ifPresent(source -> preview.put("source", source));
      preview.put("attempts", lead.attempts());
      lead.waitReason()
          .ifPresent(r -> preview.put("waitReason", r.name().toLowerCase(Locale.ROOT)));
      return preview;
    }

    private AgentState known(String id) throws Exception {
      AgentState state = desk.states().get(WAIT_SECONDS, TimeUnit.SECONDS).get(id);
      if (state == null || state.status() == AgentState.Status.LOGGED_OUT) {
        throw Problem.notFound("agent " + id + " is not logged in; see GET /api/v1/agents");
      }
      return state;
    }

    void pause(Context ctx) throws Exception {
      String id = ctx.pathParam("id");
      known(id);
      JsonNode body = body(ctx);
      String reason = text(body, "reason").orElse(pauseCodes.getFirst());
      if (!pauseCodes.contains(reason)) {
        throw new Problem.Raised(
            Problem.badField(
                "reason",
                "one of the campaign's pause codes ("
                    + String.join(", ", pauseCodes)
                    + "; pause_codes in its file), was "
                    + reason));
      }
      AgentState after =
          desk.pause(id, AgentState.PauseReason.byAgent(reason))
              .get(WAIT_SECONDS, TimeUnit.SECONDS);
      ctx.json(view(id, after));
    }

    void resume(Context ctx) throws Exception {
      String id = ctx.pathParam("id");
      known(id);
      ctx.json(view(id, desk.resume(id).get(WAIT_SECONDS, TimeUnit.SECONDS)));
    }

    void logout(Context ctx) throws Exception {
      String id = ctx.pathParam("id");
      known(id);
      desk.logout(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
      ctx.status(202).json(Map.of("id", id, "loggingOut", true));
    }

    void endCall(Context ctx) throws Exception {
      String id = ctx.pathParam("id");
      AgentState state = known(id);
      if (state.status() != AgentState.Status.ON_CALL) {
        throw Problem.conflict(
            "agent " + id + " has no call to end (it is " + state.status() + ")");
      }
      desk.endCall(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
      ctx.status(202).json(Map.of("id", id, "ending", true));
    }

    void dialPreview(Context ctx) throws Exception {
      String id = previewing(ctx);
      desk.dialPreview(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
      ctx.status(202).json(Map.of("id", id, "dialing", true));
    }

    void skipPreview(Context ctx) throws Exception {
      String id = previewing(ctx);
      desk.skipPreview(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
      ctx.status(202).json(Map.of("id", id, "skipped", true));
    }

    /** The agent of the path, who must have a lead in preview (409 otherwise). */
    private String previewing(Context ctx) throws Exception {
      String id = ctx.pathParam("id");
      AgentState state = known(id);
      if (desk.preview(id).get(WAIT_SECONDS, TimeUnit.SECONDS).isEmpty()) {
        throw Problem.conflict(
            "agent "
                + id
                + " has no lead in preview (it is "
                + state.status()
                + "; only a preview campaign shows leads)");
      }
      return id;
    }

    void ready(Context ctx) throws Exception {
      String id = ctx.pathParam("id");
      known(id);
      desk.ready(id).get(WAIT_SECONDS, TimeUnit.SECONDS);
      ctx.status(202).json(Map.of("id", id, "ready", true));
    }

    void disposition(Context ctx) throws Exception {
      String id = ctx.pathParam("id");
      known(id);
      Disposition disposition = disposition(id, body(ctx));
      desk.file(id, disposition).get(WAIT_SECONDS, TimeUnit.SECONDS);
      ctx.status(202).json(Map.of("id", id, "filed", disposition.code()));
    }

    private static Disposition disposition(String agent, JsonNode body) {
      String code =
          text(body, "code")
              .orElseThrow(
                  () ->
                      new Problem.Raised(
                          Problem.badField(
                              "code",
                              "required: refused, callback, sale, dnc, wrong_number or machine")));
      return switch (code) {
        case "refused" -> new Disposition.Refused();
        case "sale" -> new Disposition.Sale();
        case "dnc" -> new Disposition.DoNotCall();
        case "wrong_number" -> new Disposition.WrongNumber();
        case "machine" -> new Disposition.Machine();
        case "callback" -> {
          String at =
              text(body, "at")
                  .orElseThrow(
                      () ->
                          new Problem.Raised(
                              Problem.badField(
                                  "at", "a callback needs its time, e.g. 2026-11-29T10:00:00Z")));
          Instant when;
          try {
            when = Instant.parse(at);
          } catch (DateTimeParseException e) {
            throw new Problem.Raised(
                Problem.badField(
                    "at", "an ISO-8601 instant such as 2026-11-29T10:00:00Z, was " + at));
          }
          boolean agentOnly = body.path("agentOnly").asBoolean(false);
          yield new Disposition.Callback(when, agentOnly ? Optional.of(agent) : Optional.empty());
        }
        default ->
            throw new Problem.Raised(
                Problem.badField(
                    "code",
                    "one of refused, callback, sale, dnc, wrong_number, machine; was " + code));
      };
    }

    private static JsonNode body(Context ctx) {
      String text = ctx.body();
      if (text.isBlank()) {
        return JSON.createObjectNode();
      }
      try {
        JsonNode node = JSON.readTree(text);
        if (!node.isObject()) {
          throw new Problem.Raised(Problem.badField("body", "must be a JSON object"));
        }
        return node;
      } catch (JsonProcessingException e) {
        throw new Problem.Raised(
            Problem.badField("body", "not valid JSON: " + e.getOriginalMessage()));
      }
    }

    private static Optional<String> text(JsonNode body, String field) {
      JsonNode value = body.get(field);
      return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
  }

  @Override
  public void close() {
    // The senders close their event streams while the server still has their responses: closed
    // after the server stopped, Javalin would run its request pipeline on recycled responses.
    senders.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (Thread sender : List.copyOf(senders)) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !sender.join(Duration.ofNanos(left))) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    app.stop();
  }
}
