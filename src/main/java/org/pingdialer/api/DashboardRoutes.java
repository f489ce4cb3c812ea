package org.pingdialer.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.pingdialer.campaign.spec.CampaignLibrary;
import org.pingdialer.web.Dashboard;

/**
 * The live dashboard's routes, on the API's server and behind the same tokens.
 *
 * <p>The token scheme: a browser cannot put a bearer header on the first page load nor on an {@code
 * EventSource}, so the page is opened once with the token in its URL ({@code /dashboard?token=...},
 * what the demo prints) or through the login form that a request without credentials gets (with
 * status 401). Either way the server checks the token and answers with a session cookie ({@link
 * DashboardSessions}: random id, {@code HttpOnly}, {@code SameSite=Strict}, {@code
 * Path=/dashboard}, 12 hours); the page's script then takes the token out of the address bar and
 * the history ({@code history.replaceState}), and the page, its script and style, and its event
 * stream are authorised by the cookie. Every dashboard route also takes {@code Authorization:
 * Bearer}, for scripts.
 *
 * <p>The campaign buttons ({@code POST /dashboard/campaigns/{name}/start|pause|resume|stop}) do
 * what the API's campaign routes do, with the same answers; {@code GET /dashboard/stored} lists the
 * stored campaigns the floor does not run, which the page shows with a start button (adding one to
 * the floor). A cookie alone cannot act: a request by cookie must also carry the session's request
 * token in {@code X-Dashboard-Token} (the page gets it from {@code GET /dashboard/session}), which
 * another site's page can neither read nor guess; a request with a bearer token needs none. With
 * {@code SameSite=Strict} other sites cannot even read through the cookie. Responses carry {@code
 * Referrer-Policy: no-referrer} (the URL with the token is never sent on), {@code Cache-Control:
 * no-store} and a Content-Security-Policy that allows only the page's own script, style and event
 * stream.
 */
final class DashboardRoutes {
  private static final String SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final Dashboard board;
  private final Predicate<String> validToken;
  private final DashboardSessions sessions;
  private final Set<Thread> senders;
  private final Optional<CampaignRoutes> campaigns;
  private final Optional<CampaignLibrary> library;

  /** The header that carries a cookie session's request token on an action. */
  static final String ACTION_HEADER = "X-Dashboard-Token";

  private static final Set<String> ACTIONS = Set.of("start", "pause", "resume", "stop");

  /**
   * @param campaigns the API's campaign routes the buttons act through; without them (a controller
   *     with no floor) the buttons answer 404
   * @param library the stored campaign files, for a start of a campaign not on the floor
   */
  DashboardRoutes(
      Dashboard board,
      Predicate<String> validToken,
      DashboardSessions sessions,
      Set<Thread> senders,
      Optional<CampaignRoutes> campaigns,
      Optional<CampaignLibrary> library) {
    this.board = board;
    this.validToken = validToken;
    this.sessions = sessions;
    this.senders = senders;
    this.campaigns = campaigns;
    this.library = library;
  }

  void register(RoutesConfig routes) {
    routes.before(
        "/dashboard/*",
        ctx -> {
          if (!ctx.path().equals("/dashboard/login") && !authorized(ctx)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new Problem.Raised(
                Problem.of(
                    401,
                    "Unauthorized",
                    "open /dashboard?token=<token> once in the browser (or send 'Authorization:"
                        + " Bearer <token>') with one of the controller's API tokens"));
          }
        });
    routes.get("/dashboard", this::page);
    routes.post("/dashboard/login", this::login);
    routes.get(
        "/dashboard/dashboard.js",
        ctx -> asset(ctx, "dashboard.js", "text/javascript; charset=utf-8"));
    routes.get(
        "/dashboard/dashboard.css", ctx -> asset(ctx, "dashboard.css", "text/css; charset=utf-8"));
    routes.get("/dashboard/view", ctx -> ctx.json(board.current().get(5, TimeUnit.SECONDS)));
    routes.sse("/dashboard/events", this::events);
    routes.get("/dashboard/session", this::session);
    routes.get("/dashboard/stored", this::stored);
    routes.post("/dashboard/campaigns/{name}/{action}", this::act);
  }

  /** The session's request token, for the page's buttons (null for a bearer-token client). */
  private void session(Context ctx) {
    Map<String, Object> body = new HashMap<>();
    body.put(
        "actionToken", sessions.actionToken(ctx.cookie(DashboardSessions.COOKIE)).orElse(null));
    secure(ctx);
    ctx.json(body);
  }

  /** The stored campaigns the floor does not run: the page offers to start each onto it. */
  private void stored(Context ctx) {
    secure(ctx);
    ctx.json(
        Map.of("campaigns", campaigns.map(c -> c.storedNotRunning(library)).orElse(List.of())));
  }

  /** A campaign button: start, pause, resume or stop, answered as the API answers it. */
  private void act(Context ctx) throws Exception {
    String action = ctx.pathParam("action");
    CampaignRoutes routes =
        campaigns
            .filter(c -> ACTIONS.contains(action))
            .orElseThrow(
                () ->
                    Problem.notFound(
                        "the dashboard's campaign actions are start, pause, resume and stop"
                            + (campaigns.isEmpty() ? ", on a controller that runs campaigns" : "")
                            + "; not "
                            + action));
    boolean byBearer = ApiServer.bearer(ctx).map(validToken::test).orElse(false);
    if (!byBearer
        && !sessions.actionAllowed(
            ctx.cookie(DashboardSessions.COOKIE), ctx.header(ACTION_HEADER))) {
      throw new Problem.Raised(
          Problem.of(
              403,
              "Forbidden",
              "a dashboard action needs the session's request token in "
                  + ACTION_HEADER
                  + " (reload the dashboard to get one), or 'Authorization: Bearer <token>'"));
    }
    secure(ctx);
    switch (action) {
      case "start" -> routes.start(ctx, library);
      case "pause" -> routes.pause(ctx);
      case "resume" -> routes.resume(ctx);
      default -> routes.stop(ctx);
    }
  }

  private boolean authorized(Context ctx) {
    return ApiServer.bearer(ctx).map(validToken::test).orElse(false)
        || sessions.valid(ctx.cookie(DashboardSessions.COOKIE));
  }

  private void page(Context ctx) throws IOException {
    String token = ctx.queryParam("token");
    if (token != null) {
      if (!validToken.test(token)) {
        loginForm(ctx, "That token is not one of the controller's API tokens.");
        return;
      }
      ctx.header("Set-Cookie", DashboardSessions.cookie(sessions.open()));
    } else if (!authorized(ctx)) {
      loginForm(ctx, null);
      return;
    }
    asset(ctx, "dashboard.html", "text/html; charset=utf-8");
  }

  private void login(Context ctx) {
    String token = ctx.formParam("token");
    if (token == null || !validToken.test(token.strip())) {
      loginForm(ctx, "That token is not one of the controller's API tokens.");
      return;
    }
    ctx.header("Set-Cookie", DashboardSessions.cookie(sessions.open()));
    secure(ctx);
    ctx.status(303).header("Location", "/dashboard");
  }

  /** 401 with a form that asks for a token (what a browser without a session sees). */
  private static void loginForm(Context ctx, String error) {
    secure(ctx);
    ctx.status(401)
        .contentType("text/html; charset=utf-8")
        .result(
            """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>pingdialer dashboard: sign in</title>
            </head><body>
            <h1>pingdialer dashboard</h1>
            <p>%s</p>
            <form method="post" action="/dashboard/login">
            <label>API token <input type="password" name="token" autocomplete="off" required></label>
            <button type="submit">Open the dashboard</button>
            </form>
            <p>The token is one of the controller's API tokens (the demo writes its token to
            ~/.local/state/pingdialer/api.json and prints a link that carries it).</p>
            </body></html>
            """
                .formatted(
                    error == null
                        ? "This dashboard needs one of the controller's API tokens."
                        : error));
  }

  private static void secure(Context ctx) {
    ctx.header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", SECURITY_POLICY);
  }

  private static void asset(Context ctx, String name, String type) throws IOException {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks /web/" + name + ": rebuild it");
      }
      secure(ctx);
      ctx.contentType(type).result(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * The event stream: a {@code view} event with the whole board after each change. Each client gets
   * its own sender thread holding only the newest view, so a slow browser skips views instead of
   * holding up the dashboard or other browsers.
   */
  private void events(SseClient client) {
    client.keepAlive();
    BlockingQueue<Dashboard.View> newest = new ArrayBlockingQueue<>(1);
    Runnable unsubscribe =
        board.subscribe(
            view -> {
              newest.clear(); // only the dashboard's thread offers: the newest always fits
              newest.offer(view);
            });
    Thread sender =
        Thread.ofVirtual()
            .name("dashboard-sse")
            .unstarted(
                () -> {
                  boolean responseGone = false;
                  try {
                    while (!client.terminated()) {
                      client.sendEvent("view", newest.take());
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (RuntimeException e) {
                    // Jetty took the response back under us (a lost client's response is
                    // recycled). Closing the client would run Javalin's request pipeline on it
                    // again, and that loops logging the same error (it filled a disk in a test
                    // run): leave it to the server.
                    responseGone = true;
                  } finally {
                    unsubscribe.run();
                    senders.remove(Thread.currentThread());
                    if (!responseGone) {
                      client.close();
                    }
                  }
                });
    senders.add(sender);
    client.onClose(
        () -> {
          unsubscribe.run();
          sender.interrupt();
        });
    sender.start();
  }
}
