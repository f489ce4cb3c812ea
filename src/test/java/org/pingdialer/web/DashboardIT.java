package org.pingdialer.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.pingdialer.api.ApiServer;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.campaign.spec.CampaignLibrary;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.metrics.DialerMetrics;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * The live dashboard in a real browser (headless Chromium through the Debian chromedriver) during a
 * lab campaign with a lab agent on a real baresip phone: the page is opened with the token once,
 * swaps it for its session cookie, and shows the agent logging in and changing state and a call
 * appearing, all pushed over SSE; the floor table's buttons pause, resume, stop and start the
 * campaign, and a cookie alone cannot. Also: no token, no dashboard (page and event stream); and a
 * governed (predictive) campaign's abandon rate on both windows against its cap.
 */
@LabStack
class DashboardIT {
  private static final String TOKEN = "it-dashboard-token-0123456789";
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Path SCREENSHOT = Path.of("target/dashboard.png");

  private final OkHttpClient http = new OkHttpClient();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  private record Answer(int status, String contentType, String setCookie, String body) {}

  private Answer get(int port, String path, String header, String value) throws Exception {
    var request = new Request.Builder().url("http://127.0.0.1:" + port + path);
    if (header != null) {
      request.header(header, value);
    }
    try (var response = http.newCall(request.build()).execute()) {
      return new Answer(
          response.code(),
          response.header("Content-Type", ""),
          response.header("Set-Cookie", ""),
          response.body().string());
    }
  }

  /** A running campaign with its dashboard on the API's server. */
  private record Board(CampaignRun run, int port) {}

  private Board start(AsteriskStack stack, String pacing, String... numbers) throws Exception {
    var campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            line_check: off
            wrap_up: 5s
            """
                + pacing);
    Database database = LabRuns.database("h2-dashboard-");
    toClose.add(database);
    LabCampaigns.importNumbers(new JdbcLeadStore(database), "bought", numbers);
    var run =
        CampaignRun.start(
            campaign,
            new CampaignRun.Settings(
                stack.ari(), Optional.of(stack.ami()), database, "it-dash", BERLIN, 1),
            InstantSource.system(),
            Duration.ofSeconds(10));
    toClose.add(run);
    var metrics = new DialerMetrics(run);
    toClose.add(metrics);
    var dashboard = Dashboard.watch(run, InstantSource.system(), Persona.goats());
    toClose.add(dashboard);
    var api =
        ApiServer.forRun(
            "127.0.0.1",
            0,
            Set.of(TOKEN),
            run,
            ApiServer.Extras.none()
                .withMetrics(metrics::scrape)
                .withDashboard(dashboard)
                .withLibrary(library()));
    toClose.add(api);
    return new Board(run, api.port());
  }

  /** A stored campaign the floor does not run, with no leads: the page offers to start it. */
  private static final String STORED = "it-stored-" + UUID.randomUUID().toString().substring(0, 8);

  private static CampaignLibrary library() throws Exception {
    var library = new CampaignLibrary(Files.createTempDirectory("pd-dashboard-library-"));
    library.save(
        STORED,
        """
        name: %s
        profile: lab
        trunk: carrier
        default_region: DE
        agent_group: lab
        calling_windows:
          mon-sun: 00:00-24:00
        lists: [spare]
        pacing: {mode: progressive, ring_timeout: 15s}
        line_check: off
        """
            .formatted(STORED));
    return library;
  }

  /** One lab agent on a baresip phone: talks 4 s, files a sale, ends wrap-up at once. */
  private LabAgents agent(AsteriskStack stack, CampaignRun run) {
    LabAgents agents =
        LabRuns.agents(
            stack,
            run,
            1,
            LabAgent.Behaviour.defaults()
                .withTalk(TalkTime.fixed(Duration.ofSeconds(4)))
                .withMix(DispositionMix.of(0, 0, 100))
                .withWrapUpEnd(LabAgent.WrapUpEnd.READY),
            11);
    toClose.add(agents);
    return agents;
  }

  /** Opens the dashboard with the token once and waits until its event stream is live. */
  private WebDriver open(int port) throws Exception {
    WebDriver browser = chromium();
    toClose.add(browser::quit);
    browser.get("http://127.0.0.1:" + port + "/dashboard?token=" + TOKEN);
    await().atMost(Duration.ofSeconds(20)).until(() -> text(browser, "connection").equals("live"));
    assertThat(browser.getCurrentUrl()).doesNotContain("token");
    return browser;
  }

  @Test
  void theDashboardShowsAnAgentChangingStateAndACallInARealBrowser(AsteriskStack stack)
      throws Exception {
    // Persona 10 rings 3 s before a person answers: each call is on the board while it rings.
    Board board =
        start(
            stack,
            "pacing: {mode: progressive, ring_timeout: 15s}\n",
            "+4930999103001",
            "+4930999103002");
    CampaignRun run = board.run();
    var campaign = run.campaign();
    int port = board.port();

    // Without a token: 401 for the page (a sign-in form), the event stream and the view.
    Answer page = get(port, "/dashboard", null, null);
    assertThat(page.status()).isEqualTo(401);
    assertThat(page.body()).contains("<form", "/dashboard/login");
    assertThat(get(port, "/dashboard/events", "Accept", "text/event-stream").status())
        .isEqualTo(401);
    assertThat(get(port, "/dashboard/view", null, null).status()).isEqualTo(401);
    assertThat(get(port, "/dashboard?token=wrong-token-0123456789", null, null).status())
        .isEqualTo(401);
    assertThat(get(port, "/dashboard/events", "Cookie", "pd_dashboard=made-up").status())
        .isEqualTo(401);
    // The token once: the page, and a session cookie scripts cannot read nor other sites send.
    Answer opened = get(port, "/dashboard?token=" + TOKEN, null, null);
    assertThat(opened.status()).isEqualTo(200);
    assertThat(opened.setCookie())
        .startsWith("pd_dashboard=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/dashboard")
        .doesNotContain(TOKEN);
    String cookie = opened.setCookie().substring(0, opened.setCookie().indexOf(';'));
    assertThat(get(port, "/dashboard/view", "Cookie", cookie).status()).isEqualTo(200);
    assertThat(get(port, "/dashboard/view", "Authorization", "Bearer " + TOKEN).body())
        .contains("\"campaign\":\"" + campaign.name() + "\"");

    WebDriver browser = open(port);
    assertThat(text(browser, "campaign")).isEqualTo(campaign.name());
    // The floor's table lists every campaign on it (here one), with its state and place.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                text(browser, "floor-campaigns")
                    .matches("(?s).*" + campaign.name() + "\\s+dialing\\s+1\\s+1\\s.*"));

    // What the page showed, sampled by the test while the campaign runs.
    List<String> agentStates = new CopyOnWriteArrayList<>();
    LabAgents agents = agent(stack, run);
    String agent = agents.agents().getFirst().id();
    String card = "[data-agent='" + agent + "']";
    String call = "#calls tbody tr[data-call]";
    // The page re-renders its rows on every pushed event, so each sample is read in one script
    // run: an element found in one WebDriver round trip may be gone by the next.
    List<String> callSeen = new CopyOnWriteArrayList<>();

    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              Object state =
                  script(
                      browser,
                      "const c = document.querySelector(arguments[0]);"
                          + " return c ? c.getAttribute('data-state') : null;",
                      card);
              if (state != null
                  && (agentStates.isEmpty() || !agentStates.getLast().equals(state))) {
                agentStates.add(state.toString());
              }
              if (!agentStates.contains("on_call")) {
                return false;
              }
              Object row =
                  script(
                      browser,
                      "const r = document.querySelector(arguments[0]);"
                          + " if (!r) return null;"
                          + " const s = r.querySelector('.steps');"
                          + " return [r.innerText, s ? s.innerText : ''];",
                      call);
              if (row instanceof List<?> texts) {
                texts.forEach(t -> callSeen.add(String.valueOf(t)));
                return true;
              }
              return false;
            });
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("dashboard screenshot: " + SCREENSHOT.toAbsolutePath());

    // The agent was seen logged in (ready, or reserved at once for the progressive call placed
    // for it), then on the call: a change of state on the page.
    assertThat(agentStates).containsAnyOf("ready", "reserved");
    assertThat(agentStates.getFirst()).isIn("ready", "reserved");
    assertThat(agentStates.indexOf(agentStates.getFirst()))
        .isLessThan(agentStates.indexOf("on_call"));
    assertThat(callSeen).hasSize(2);
    assertThat(callSeen.get(0)).contains("…300").containsAnyOf("bridged", "connecting");
    assertThat(callSeen.get(1))
        .contains("ringing +", "→ answered +"); // the timeline, its arrows decoded as UTF-8
    // The pacing panel says this lab campaign has no cap rather than show rates it does not keep.
    assertThat(text(browser, "abandon")).contains("No abandon cap");
    assertThat(text(browser, "goat")).contains("no goat call has reached an agent yet");

    // The call ends: it leaves the board for "just ended" and the outcome chart.
    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () ->
                !browser
                    .findElements(By.cssSelector("#recent tbody tr[data-ended-call]"))
                    .isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !browser
                    .findElements(By.cssSelector("#outcomes rect[data-outcome='answered']"))
                    .isEmpty());

    // The metrics the dashboard's issue asked for are exposed.
    String scraped = get(port, "/metrics", "Authorization", "Bearer " + TOKEN).body();
    assertThat(scraped)
        .contains(
            "pingdialer_answer_to_bridge_seconds_bucket",
            "pingdialer_drop_message_latency_seconds_bucket",
            "pingdialer_ari_reconnects_total",
            "pingdialer_event_loop_lag_seconds_count{loop=\"engine\"}");
    assertThat(scraped).containsPattern("pingdialer_answer_to_bridge_seconds_count\\{[^}]*} [1-9]");

    // The campaign's state as the operator sets it (API, CLI) is pushed to the page.
    assertThat(text(browser, "campaign-state")).isEqualTo("dialing");
    run.pause();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> text(browser, "campaign-state").equals("paused"));
    run.startAgain();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> text(browser, "campaign-state").equals("dialing"));

    // The floor table's buttons: each one offered by the campaign's state, doing what the API
    // does, shown on the page within a second (not at the next floor ask, 5 s later).
    assertThat(buttons(browser, campaign.name())).isEqualTo("pause stop");
    for (String[] step :
        new String[][] {
          {"pause", "paused", "resume stop"},
          {"resume", "dialing", "pause stop"},
          {"stop", "stopped", "start"},
          {"start", "dialing", "pause stop"}
        }) {
      click(browser, campaign.name(), step[0]);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> run.state().name().equalsIgnoreCase(step[1]));
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> buttons(browser, campaign.name()).equals(step[2]));
      assertThat(text(browser, "floor-message")).isEqualTo(campaign.name() + ": " + step[1]);
    }

    // A cookie alone does not act (another site's form would carry it, were SameSite ignored):
    // the session's request token must come too; a bearer token needs none.
    String pause = "/dashboard/campaigns/" + campaign.name() + "/pause";
    assertThat(post(port, pause, Map.of("Cookie", cookie)).status()).isEqualTo(403);
    assertThat(post(port, pause, Map.of("Cookie", cookie, "X-Dashboard-Token", "made-up")).status())
        .isEqualTo(403);
    assertThat(post(port, pause, Map.of()).status()).isEqualTo(401);
    assertThat(run.state()).isEqualTo(CampaignRun.State.DIALING);
    String actionToken =
        get(port, "/dashboard/session", "Cookie", cookie)
            .body()
            .replaceAll(".*\"actionToken\":\"([^\"]+)\".*", "$1");
    assertThat(
            post(port, pause, Map.of("Cookie", cookie, "X-Dashboard-Token", actionToken)).status())
        .isEqualTo(202);
    assertThat(run.state()).isEqualTo(CampaignRun.State.PAUSED);
    assertThat(
            post(
                    port,
                    "/dashboard/campaigns/" + campaign.name() + "/resume",
                    Map.of("Authorization", "Bearer " + TOKEN))
                .status())
        .isEqualTo(202);
    assertThat(run.state()).isEqualTo(CampaignRun.State.DIALING);
    Answer unknown =
        post(
            port,
            "/dashboard/campaigns/no-such-campaign/stop",
            Map.of("Authorization", "Bearer " + TOKEN));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("this controller runs campaigns " + campaign.name());

    // A stored campaign the floor does not run is listed with a start button, which adds it to
    // the floor: it dials beside the other.
    await().atMost(Duration.ofSeconds(5)).until(() -> buttons(browser, STORED).equals("start"));
    click(browser, STORED, "start");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                run.floor()
                    .run(STORED)
                    .map(added -> added.state() == CampaignRun.State.DIALING)
                    .orElse(false));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> buttons(browser, STORED).equals("pause stop"));
    assertThat(text(browser, "floor-message")).isEqualTo(STORED + ": dialing");
    assertThat(run.state()).isEqualTo(CampaignRun.State.DIALING);
  }

  private Answer post(int port, String path, Map<String, String> headers) throws Exception {
    var request =
        new Request.Builder()
            .url("http://127.0.0.1:" + port + path)
            .post(RequestBody.create(new byte[0]));
    headers.forEach(request::header);
    try (var response = http.newCall(request.build()).execute()) {
      return new Answer(
          response.code(),
          response.header("Content-Type", ""),
          response.header("Set-Cookie", ""),
          response.body().string());
    }
  }

  /** The campaign row's buttons, in order, read in one script run (rows are re-rendered). */
  private static String buttons(WebDriver browser, String campaign) {
    return String.valueOf(
        script(
            browser,
            "const r = document.querySelector(`#floor-campaigns tr[data-campaign='${arguments[0]}']`);"
                + " return r ? [...r.querySelectorAll('button')].map(b => b.dataset.action)"
                + ".join(' ') : '';",
            campaign));
  }

  /** Clicks a campaign row's button, found and clicked in one script run. */
  private static void click(WebDriver browser, String campaign, String action) {
    Object clicked =
        script(
            browser,
            "const b = document.querySelector("
                + "`#floor-campaigns tr[data-campaign='${arguments[0]}'] button[data-action='${arguments[1]}']`);"
                + " if (!b) return false; b.click(); return true;",
            campaign,
            action);
    assertThat(clicked).as("the %s button of %s", action, campaign).isEqualTo(true);
  }

  @Test
  void aGovernedCampaignShowsTheAbandonRateOnBothWindowsAgainstItsCap(AsteriskStack stack)
      throws Exception {
    // No leads: the agent only waits, but a seated agent makes the governor decide.
    Board board =
        start(
            stack,
            """
            pacing:
              mode: predictive
              max_abandon_rate: 0.03
              max_channels: 4
              ring_timeout: 8s
            """);
    WebDriver browser = open(board.port());
    agent(stack, board.run());
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> browser.findElements(By.cssSelector("#abandon .bar")).size() == 2);
    assertThat(text(browser, "abandon"))
        .contains(
            "24 h: 0.00 % (cap 3.00 %, target 2.00 %)", "30 d: 0.00 % (cap 3.00 %, target 2.00 %)");
    // No answer yet today: one drop would pass the cap, so one call per agent.
    assertThat(text(browser, "pacing"))
        .contains("predictive (abandon cap 3.0 %", "one more abandon would pass the cap");
    Files.copy(
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
        Path.of("target/dashboard-governed.png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static String text(WebDriver browser, String id) {
    Object text =
        script(
            browser,
            "const e = document.getElementById(arguments[0]); return e ? e.innerText : '';",
            id);
    return String.valueOf(text).strip();
  }

  private static Object script(WebDriver browser, String javascript, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(javascript, arguments);
  }

  /** The system's Chromium, headless, with a fresh profile; nothing is downloaded. */
  private static WebDriver chromium() throws Exception {
    for (String needed : new String[] {"/usr/bin/chromium", "/usr/bin/chromedriver"}) {
      if (!Files.isExecutable(Path.of(needed))) {
        throw new IllegalStateException(
            needed
                + " is missing: install Debian's chromium and chromium-driver (as root:"
                + " docker/host-prerequisites.sh, which ./pingdialer test runs)");
      }
    }
    Path profile = Files.createTempDirectory(Path.of("target"), "chromium-");
    var options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    // Without the background-networking flags it waits on connections refused here (no internet).
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
