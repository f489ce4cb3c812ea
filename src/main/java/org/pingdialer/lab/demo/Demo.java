package org.pingdialer.lab.demo;

import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.pingdialer.agent.AgentState;
import org.pingdialer.api.ApiServer;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.LineCheckResult;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.campaign.CampaignLoop;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.campaign.spec.QueueFiles;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.lab.agents.AgentVoice;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.persona.BoughtList;
import org.pingdialer.lab.persona.GoatLog;
import org.pingdialer.lab.persona.InboundCallers;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.lab.persona.PersonaMix;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.ImportReport;
import org.pingdialer.lead.LeadImporter;
import org.pingdialer.metrics.DialerMetrics;
import org.pingdialer.report.ReportCatalog;
import org.pingdialer.report.ReportFormat;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.store.JdbcDispositionStore;
import org.pingdialer.store.JdbcInboundStore;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.store.JdbcReports;
import org.pingdialer.web.Dashboard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job, end to end on embedded defaults: a fresh lab stack, a bought list drawn from the
 * demo persona mix and imported into a fresh embedded database, line checks, lab agents on real SIP
 * phones, the demo campaign dialing for a while, then a clean stop (no call, phone, bridge or
 * Asterisk left) and a report that walks the loop's steps with counts from the database.
 */
public final class Demo {
  private static final Logger log = LoggerFactory.getLogger(Demo.class);

  /** How long calls in flight get to end by themselves after the stop before they are hung up. */
  private static final Duration DRAIN = Duration.ofSeconds(30);

  /** How often a progress line is printed. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private static final ZoneId AGENTS_ZONE = ZoneId.of("Europe/Berlin");

  /** The lead list the demo campaigns dial. */
  static final String LIST = "lab-numbers";

  /** The second campaign's list: a short one, so it hands its agents back before the end. */
  static final String SECOND_LIST = "lab-renewals";

  /** Calls an hour the simulated network makes to the demo queue's number. */
  static final int CALLERS_PER_HOUR = 120;

  /**
   * What to run.
   *
   * @param workDir a fresh directory for this run: stack, database, bought list, phone logs
   * @param profile {@code lab} or {@code strict}
   * @param apiTokens the REST API's bearer tokens; none: no API
   */
  public record Options(
      Path projectDir,
      Path workDir,
      int leads,
      int agents,
      Duration duration,
      String profile,
      long seed,
      Set<String> apiTokens) {
    public Options {
      apiTokens = Set.copyOf(apiTokens);
      if (leads < 1 || leads > 10_000) {
        throw new IllegalArgumentException("--leads must be between 1 and 10000, was " + leads);
      }
      if (agents < 1 || agents > 20) {
        throw new IllegalArgumentException("--agents must be between 1 and 20, was " + agents);
      }
      if (!profile.equals("lab") && !profile.equals("strict")) {
        throw new IllegalArgumentException("--profile must be lab or strict, was " + profile);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("--minutes must be positive");
      }
    }
  }

  /**
   * The loop's steps with their counts. Calls, answers and abandons come from the attempts table;
   * {@code abandonRate} is abandoned over live-answered calls; {@code channelsLeft} counts our
   * channels and bridges still in Asterisk after the stop (0 when the stop was clean).
   */
  public record Report(
      String campaign,
      String profile,
      int agents,
      long seconds,
      long bought,
      long imported,
      long checkedLive,
      long checkedDead,
      long checkedUnknown,
      long dialed,
      long answered,
      long abandoned,
      double abandonRate,
      long redialedWithAgent,
      long connectedToAgent,
      Map<String, Long> outcomes,
      Map<String, Long> dispositions,
      long goatHoldSeconds,
      Map<String, Long> leadsByState,
      long channelsLeft,
      String workDir,
      List<CampaignLine> campaigns,
      List<QueueLine> queues) {}

  /**
   * One campaign of the demo's floor, from the attempts table: its priority among the others,
   * calls, live answers, abandons (and their rate over live answers), calls put through to an agent
   * and its agents' dispositions.
   */
  public record CampaignLine(
      String name,
      int priority,
      long dialed,
      long answered,
      long abandoned,
      double abandonRate,
      long connectedToAgent,
      Map<String, Long> dispositions) {}

  /**
   * One inbound queue of the demo: calls offered, their outcomes, the service level reached
   * (answered within {@code answeredWithinSeconds}, over the calls that ended) and the average
   * speed of answer.
   */
  public record QueueLine(
      String name,
      long offered,
      Map<String, Long> outcomes,
      long answeredWithinSeconds,
      double serviceLevel,
      double averageSpeedOfAnswerSeconds) {}

  private Demo() {}

  /** The campaign's HTML report (see docs/reports.md) as {@code report.html}. */
  private static Path writeHtmlReport(Options options, Campaign campaign, ReportCatalog reports)
      throws IOException {
    Path html = options.workDir().resolve("report.html");
    var report = reports.report(campaign.name(), Optional.empty(), Instant.now());
    Files.writeString(html, ReportFormat.HTML.render(report.orElseThrow()));
    return html;
  }

  /**
   * Runs the demo. {@code progress} gets a line every few seconds; {@code stop} is polled (Ctrl-C)
   * and ends the dialing early, with the same clean stop and report.
   */
  public static Report run(Options options, Consumer<String> progress, BooleanSupplier stop)
      throws Exception {
    return run(options, progress, stop, port -> {});
  }

  /** As above; {@code apiStarted} is told the REST API's port once it listens. */
  public static Report run(
      Options options, Consumer<String> progress, BooleanSupplier stop, IntConsumer apiStarted)
      throws Exception {
    Files.createDirectories(options.workDir());
    Campaign campaign =
        CampaignFiles.load(
            options
                .projectDir()
                .resolve(
                    "asterisk-config/campaigns/"
                        + (options.profile().equals("lab")
                            ? "lab-demo.yaml"
                            : "demo-strict.yaml")));
    // The second campaign (higher priority, short list) and the inbound queue share the agents;
    // in the strict profile it is strict too.
    Campaign second =
        CampaignFiles.load(
            options
                .projectDir()
                .resolve(
                    "asterisk-config/campaigns/"
                        + (options.profile().equals("lab")
                            ? "lab-renewals.yaml"
                            : "demo-strict-renewals.yaml")));
    InboundQueue queue =
        QueueFiles.load(options.projectDir().resolve("asterisk-config/queues/lab-support.yaml"));
    PersonaMix mix =
        PersonaMix.load(options.projectDir().resolve("asterisk-config/personas/demo-mix.yaml"));
    progress.accept(
        "starting a lab stack (dialer PBX + simulated network) in " + options.workDir());
    try (AsteriskStack stack =
            AsteriskStack.startLab(
                options.projectDir(), options.workDir().resolve("stack"), options.agents());
        Database database = Database.embedded(options.workDir().resolve("data"))) {
      // Steps 1-2: the bought list, imported.
      var rows = BoughtList.generate(mix, options.leads(), options.seed(), Instant.now());
      Path bought = options.workDir().resolve("bought.csv");
      try (Writer writer = Files.newBufferedWriter(bought, StandardCharsets.UTF_8)) {
        BoughtList.writeCsv(rows, writer);
      }
      var leads = new JdbcLeadStore(database);
      ImportReport imported =
          new LeadImporter(leads, Clock.systemUTC())
              .importFile(
                  bought,
                  new LeadImporter.Options(
                      LIST, "DE", Optional.empty(), Optional.empty(), Map.of(), List.of(), false),
                  LeadImporter.Progress.NONE);
      progress.accept(
          "bought "
              + rows.size()
              + " leads ("
              + bought
              + "), imported "
              + imported.imported()
              + " into list "
              + LIST);
      // The second campaign's customers: a short list (one in 40, at least 3), so that it takes
      // the agents first and hands them back to the first campaign within the demo.
      var renewals =
          BoughtList.generate(
              mix, Math.max(3, options.leads() / 40), options.seed() + 1, Instant.now());
      Path renewalsFile = options.workDir().resolve("renewals.csv");
      try (Writer writer = Files.newBufferedWriter(renewalsFile, StandardCharsets.UTF_8)) {
        BoughtList.writeCsv(renewals, writer);
      }
      new LeadImporter(leads, Clock.systemUTC())
          .importFile(
              renewalsFile,
              new LeadImporter.Options(
                  SECOND_LIST,
                  "DE",
                  Optional.empty(),
                  Optional.empty(),
                  Map.of(),
                  List.of(),
                  false),
              LeadImporter.Progress.NONE);

      // Steps 3-10: line checks, dialing, agents, dispositions, redials.
      var settings =
          new CampaignRun.Settings(
              stack.ari(), Optional.of(stack.ami()), database, "demo", AGENTS_ZONE, 5);
      long begin = System.nanoTime();
      var reports = JdbcReports.catalog(database, List.of(campaign, second), Persona.goats());
      try (CampaignRun run =
              CampaignRun.start(
                  campaign,
                  List.of(queue),
                  settings,
                  InstantSource.system(),
                  Duration.ofSeconds(20));
          var metrics = new DialerMetrics(run);
          var dashboard = Dashboard.watch(run, InstantSource.system(), Persona.goats());
          var api =
              options.apiTokens().isEmpty()
                  ? null
                  : ApiServer.forRun(
                      "127.0.0.1",
                      0,
                      options.apiTokens(),
                      run,
                      ApiServer.Extras.none()
                          .withMetrics(metrics::scrape)
                          .withDashboard(dashboard)
                          .withReports(reports))) {
        if (api != null) {
          apiStarted.accept(api.port());
          progress.accept("REST API: http://127.0.0.1:" + api.port() + "/api/v1 (bearer token)");
          // The token rides in the link once; the page swaps it for a session cookie and takes it
          // out of the address bar.
          progress.accept(
              "dashboard: http://127.0.0.1:"
                  + api.port()
                  + "/dashboard?token="
                  + URLEncoder.encode(
                      options.apiTokens().iterator().next(), StandardCharsets.UTF_8));
        }
        try (LabAgents agents =
            LabAgents.start(
                stack.settings().orElseThrow(),
                run.desk(),
                options.agents(),
                // Speaking with pauses, so the phone goat takes turns with them; their talk
                // time (~20 s, 8-90 s) is their patience with it.
                LabAgent.Behaviour.defaults()
                    .withVoice(AgentVoice.natural())
                    .withRelogin(Duration.ofSeconds(3)),
                options.seed(),
                AGENTS_ZONE,
                options.workDir().resolve("agents"))) {
          CampaignRun secondRun = run.floor().add(second, Duration.ofSeconds(20));
          progress.accept(
              agents.agents().size()
                  + " lab agents logged in; campaigns "
                  + campaign.name()
                  + " ("
                  + options.profile()
                  + ", priority "
                  + campaign.share().priority()
                  + ") and "
                  + second.name()
                  + " (priority "
                  + second.share().priority()
                  + ") dialing, queue "
                  + queue.name()
                  + " taking "
                  + CALLERS_PER_HOUR
                  + " calls an hour to "
                  + String.join(", ", queue.dids())
                  + ", for "
                  + options.duration().toSeconds()
                  + " s; Ctrl-C stops early");
          long deadline = begin + options.duration().toNanos();
          long nextLine = System.nanoTime() + PROGRESS_EVERY.toNanos();
          InboundCallers callers =
              InboundCallers.start(
                  stack.pstnDir(),
                  queue.dids(),
                  CALLERS_PER_HOUR,
                  InboundCallers.Mix.USUAL,
                  options.seed());
          try {
            while (System.nanoTime() < deadline && !stop.getAsBoolean()) {
              Thread.sleep(200);
              if (System.nanoTime() >= nextLine) {
                nextLine += PROGRESS_EVERY.toNanos();
                progress.accept(progressLine(run, secondRun, begin));
              }
            }
          } finally {
            callers.close(); // no new caller from here on
          }
          progress.accept("stopping: no new calls; calls in flight may end by themselves...");
          run.stop();
          secondRun.stop();
          // Callers still waiting hear that all agents are busy; those with agents talk on.
          run.floor().inbound().stop();
          run.drain(DRAIN);
          secondRun.drain(DRAIN);
          long inboundUntil = System.nanoTime() + DRAIN.toNanos();
          while (run.floor().inbound().active().get(5, TimeUnit.SECONDS) > 0
              && System.nanoTime() < inboundUntil) {
            Thread.sleep(200);
          }
        } // lab agents log out here: their bridges go with them
        long channelsLeft = awaitClean(run.ari());
        progress.accept("campaign report: " + writeHtmlReport(options, campaign, reports));
        // The goat's own record (the network's log/goat.log): how long it held the agents.
        long goatHold = GoatLog.of(stack.pstnDir()).totalHeld().toSeconds();
        return report(
            options,
            campaign,
            run,
            rows.size(),
            imported,
            database,
            begin,
            channelsLeft,
            goatHold,
            List.of(campaign, second),
            queue);
      }
    }
  }

  /** Our channels and bridges still in Asterisk, after giving them a few seconds to go. */
  private static long awaitClean(AriClient ari) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long left = ours(ari);
    while (left > 0 && System.nanoTime() < end) {
      Thread.sleep(250);
      left = ours(ari);
    }
    if (left > 0) {
      log.warn("{} channels or bridges of ours are still in Asterisk after the stop", left);
    }
    return left;
  }

  private static long ours(AriClient ari) {
    long channels = ari.channels().size(); // on the demo's own stack, every channel is ours
    long bridges = ari.bridges().stream().filter(b -> b.id().startsWith("pd-")).count();
    return channels + bridges;
  }

  private static String progressLine(CampaignRun run, CampaignRun second, long begin)
      throws Exception {
    CampaignLoop.Stats loop = run.loop().stats().get(5, TimeUnit.SECONDS);
    CampaignLoop.Stats secondLoop = second.loop().stats().get(5, TimeUnit.SECONDS);
    Map<String, Integer> waiting = run.floor().inbound().waiting().get(5, TimeUnit.SECONDS);
    Map<LineCheckResult, Long> checks =
        run.lineChecker().isPresent()
            ? run.lineChecker().get().stats().get(5, TimeUnit.SECONDS).results()
            : Map.of();
    Map<String, AgentState> agents = run.desk().states().get(5, TimeUnit.SECONDS);
    Map<String, Long> byState = new TreeMap<>();
    agents
        .values()
        .forEach(s -> byState.merge(s.status().name().toLowerCase(Locale.ROOT), 1L, Long::sum));
    return String.format(
        Locale.ROOT,
        "%4d s  checked %d live / %d dead  dialed %d  answered %d  abandoned %d  filed %d"
            + "  | %s dialed %d  | waiting in queue %s  | agents %s",
        Duration.ofNanos(System.nanoTime() - begin).toSeconds(),
        checks.getOrDefault(LineCheckResult.LIVE, 0L),
        checks.getOrDefault(LineCheckResult.DEAD, 0L),
        loop.placed(),
        loop.outcomes().getOrDefault(DialOutcome.ANSWERED, 0L),
        loop.outcomes().getOrDefault(DialOutcome.ABANDONED, 0L),
        loop.filed().values().stream().mapToLong(Long::longValue).sum(),
        second.campaign().name(),
        secondLoop.placed(),
        waiting,
        byState);
  }

  private static Report report(
      Options options,
      Campaign campaign,
      CampaignRun run,
      long bought,
      ImportReport imported,
      Database database,
      long begin,
      long channelsLeft,
      long goatHoldSeconds,
      List<Campaign> campaigns,
      InboundQueue queue)
      throws Exception {
    JdbcAttemptStore.Counts counts = new JdbcAttemptStore(database).countsOf(campaign.name());
    CampaignLoop.Stats loop = run.loop().stats().get(5, TimeUnit.SECONDS);
    Map<LineCheckResult, Long> checks =
        run.lineChecker().isPresent()
            ? run.lineChecker().get().stats().get(5, TimeUnit.SECONDS).results()
            : Map.of();
    Map<String, Long> outcomes = new TreeMap<>();
    counts.byOutcome().forEach((o, n) -> outcomes.put(o.name().toLowerCase(Locale.ROOT), n));
    Map<String, Long> leadsByState = new TreeMap<>();
    new JdbcLeadStore(database)
        .countByState(LIST)
        .forEach((state, n) -> leadsByState.put(state.name().toLowerCase(Locale.ROOT), n));
    return new Report(
        campaign.name(),
        options.profile(),
        options.agents(),
        Duration.ofNanos(System.nanoTime() - begin).toSeconds(),
        bought,
        imported.imported(),
        checks.getOrDefault(LineCheckResult.LIVE, 0L),
        checks.getOrDefault(LineCheckResult.DEAD, 0L),
        checks.getOrDefault(LineCheckResult.UNKNOWN, 0L),
        counts.calls(),
        counts.of(DialOutcome.ANSWERED) + counts.of(DialOutcome.ABANDONED),
        counts.of(DialOutcome.ABANDONED),
        counts.abandonRate(),
        loop.agentRedials(),
        counts.connectedToAgent(),
        outcomes,
        new TreeMap<>(loop.filed()),
        goatHoldSeconds,
        leadsByState,
        channelsLeft,
        options.workDir().toString(),
        campaignLines(database, campaigns),
        List.of(queueLine(database, queue)));
  }

  private static List<CampaignLine> campaignLines(Database database, List<Campaign> campaigns) {
    var attempts = new JdbcAttemptStore(database);
    var dispositions = new JdbcDispositionStore(database);
    List<CampaignLine> lines = new ArrayList<>();
    for (Campaign c : campaigns) {
      JdbcAttemptStore.Counts counts = attempts.countsOf(c.name());
      lines.add(
          new CampaignLine(
              c.name(),
              c.share().priority(),
              counts.calls(),
              counts.of(DialOutcome.ANSWERED) + counts.of(DialOutcome.ABANDONED),
              counts.of(DialOutcome.ABANDONED),
              counts.abandonRate(),
              counts.connectedToAgent(),
              new TreeMap<>(dispositions.countsOf(c.name()))));
    }
    return lines;
  }

  private static QueueLine queueLine(Database database, InboundQueue queue) {
    InboundCallStore.QueueFigures figures =
        new JdbcInboundStore(database)
            .figures(queue.name(), Instant.EPOCH, queue.serviceLevel().answeredWithin());
    Map<String, Long> outcomes = new TreeMap<>();
    figures
        .outcomes()
        .forEach((outcome, n) -> outcomes.put(outcome.name().toLowerCase(Locale.ROOT), n));
    return new QueueLine(
        queue.name(),
        figures.offered(),
        outcomes,
        queue.serviceLevel().answeredWithin().toSeconds(),
        figures.serviceLevel(),
        figures.averageSpeedOfAnswer().toMillis() / 1000.0);
  }

  private static String campaignsText(Report r) {
    List<String> lines = new ArrayList<>();
    for (CampaignLine c : r.campaigns()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "    %-14s %d: %d / %d / %d (%.1f %%) / %d / %d",
              c.name(),
              c.priority(),
              c.dialed(),
              c.answered(),
              c.abandoned(),
              100 * c.abandonRate(),
              c.connectedToAgent(),
              c.dispositions().values().stream().mapToLong(Long::longValue).sum()));
    }
    return String.join("\n", lines);
  }

  private static String queuesText(Report r) {
    List<String> lines = new ArrayList<>();
    for (QueueLine q : r.queues()) {
      if (q.offered() == 0) {
        // No caller yet: a service level of 0 % would say the queue failed them.
        lines.add(String.format(Locale.ROOT, "    %-14s 0: no caller in this run", q.name()));
        continue;
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "    %-14s %d: %s, %.0f %% within %d s, ASA %.1f s",
              q.name(),
              q.offered(),
              q.outcomes(),
              100 * q.serviceLevel(),
              q.answeredWithinSeconds(),
              q.averageSpeedOfAnswerSeconds()));
    }
    return String.join("\n", lines);
  }

  /** The report as the ten steps of the loop, for a terminal. */
  public static String toText(Report r) {
    long total = r.leadsByState().values().stream().mapToLong(Long::longValue).sum();
    return String.join(
        "\n",
        "pingdialer demo: campaign "
            + r.campaign()
            + " ("
            + r.profile()
            + "), "
            + r.agents()
            + " lab agents, "
            + r.seconds()
            + " s",
        "  1 bought          " + r.bought() + " leads drawn from the persona mix",
        "  2 imported        " + r.imported(),
        "  3 line-checked    "
            + r.checkedLive()
            + " live, "
            + r.checkedDead()
            + " dead, "
            + r.checkedUnknown()
            + " to check again",
        "  4 dialed          " + r.dialed() + " calls",
        "  5 answered        " + r.answered() + " (outcomes " + r.outcomes() + ")",
        "  6 to an agent     " + r.connectedToAgent(),
        "  7 abandoned       "
            + r.abandoned()
            + String.format(
                Locale.ROOT, " (abandon rate %.1f %% of live answers)", 100 * r.abandonRate()),
        "  8 redialed with an agent reserved  " + r.redialedWithAgent(),
        "  9 dispositions    " + r.dispositions(),
        " 10 goat hold time  " + r.goatHoldSeconds() + " s",
        "  leads now         " + r.leadsByState() + " (" + total + " in all)",
        "  campaigns on the floor (priority: dialed / live answers / abandoned / to an agent /"
            + " filed)",
        campaignsText(r),
        "  inbound queues (offered: outcomes, service level, average speed of answer)",
        queuesText(r),
        "  left in Asterisk  " + r.channelsLeft() + " channels/bridges",
        "  files             " + r.workDir());
  }
}
