package org.pingdialer.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pingdialer.call.ami.AmiEndpoint;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.campaign.spec.AgentGroups;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.campaign.spec.InboundQueue;
import org.pingdialer.campaign.spec.QueueFiles;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.persona.InboundCallers;
import org.pingdialer.lab.persona.LabLeads;
import org.pingdialer.lab.persona.Persona;
import org.pingdialer.lab.stack.StackSettings;
import org.pingdialer.serve.Controller;
import org.pingdialer.serve.ServeConfig;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pingdialer serve}: the controller as a long-running service — one campaign on a PBX, the
 * REST API and /metrics, lab agents if asked — configured by one file and the environment, until
 * SIGTERM or Ctrl-C (then a clean stop: no new calls, calls in flight end, agents log out).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the controller: a campaign on a PBX, the REST API and /metrics.",
    footer = {
      "",
      "Examples:",
      "  ./pingdialer stack up && ./pingdialer serve --config docker/controller-local.yaml",
      "  PINGDIALER_ARI_PASSWORD=... PINGDIALER_AMI_SECRET=... \\",
      "    ./pingdialer serve --config docker/controller.yaml",
      "  ./pingdialer serve --config docker/controller.yaml --check   validate and exit",
      "",
      "Every key of the config file can be set by its PINGDIALER_* variable (listed in",
      "docker/controller.yaml); secrets only by variables or files, never in the file."
    })
final class ServeCommand implements Callable<Integer> {
  /** How long calls in flight get to end by themselves when the controller stops. */
  private static final Duration GRACE = Duration.ofSeconds(30);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand PingdialerCommand parent;

  @Option(names = "--config", paramLabel = "FILE", description = "the controller's config file")
  Path config;

  @Option(names = "--check", description = "validate the configuration and the campaign, then exit")
  boolean check;

  @Override
  public Integer call() throws Exception {
    return run(spec.commandLine(), config, check, System.getenv());
  }

  /**
   * Runs the controller from {@code config} with {@code env} over it ({@code campaign start} sets
   * the campaign there).
   */
  static int run(CommandLine commandLine, Path config, boolean check, Map<String, String> env)
      throws Exception {
    PrintWriter out = commandLine.getOut();
    PrintWriter err = commandLine.getErr();
    ServeConfig settings;
    Campaign campaign;
    List<InboundQueue> queues = new ArrayList<>();
    AgentGroups groups = AgentGroups.NONE;
    try {
      // Relative paths in the file are the file's (as in compose files), else the working dir's.
      Path base =
          config != null && config.toAbsolutePath().getParent() != null
              ? config.toAbsolutePath().getParent()
              : Path.of("").toAbsolutePath();
      settings = ServeConfig.read(Optional.ofNullable(config), env, base);
      campaign = CampaignFiles.load(settings.campaign());
      for (Path queue : settings.queues()) {
        queues.add(QueueFiles.load(queue));
      }
      if (settings.agentGroups().isPresent()) {
        groups = AgentGroups.load(settings.agentGroups().get());
        if (campaign.share().agents().isEmpty() && !groups.defines(campaign.agentGroup())) {
          err.println(
              "pingdialer serve: warning: campaign "
                  + campaign.name()
                  + " names agent_group "
                  + campaign.agentGroup()
                  + ", which "
                  + settings.agentGroups().get()
                  + " does not define: every agent works it");
        }
      }
    } catch (ServeConfig.ConfigException e) {
      e.problems().forEach(p -> err.println("pingdialer serve: " + p));
      return PingdialerCommand.EXIT_REJECTED;
    } catch (CampaignFileException e) {
      err.println("pingdialer serve: " + e.getMessage());
      return PingdialerCommand.EXIT_REJECTED;
    }
    Optional<Path> network = Optional.empty();
    Controller.Pbx pbx;
    switch (settings.pbx()) {
      case ServeConfig.Pbx.Endpoints given ->
          pbx =
              new Controller.Pbx(given.ari(), given.ami(), given.sipPort(), settings.labAccounts());
      case ServeConfig.Pbx.LocalStack local -> {
        Optional<StackState> state = StackState.load();
        if (state.isEmpty()) {
          err.println(
              "pingdialer serve: no local stack is running (pbx.stack: local); start one with"
                  + " ./pingdialer stack up, or give pbx.ari_url and the other pbx keys");
          return PingdialerCommand.EXIT_NOT_RUNNING;
        }
        pbx = fromStack(state.get().settings());
        network = Optional.of(StackState.stackDir().resolve("pstn"));
      }
    }
    if (settings.labCallers() > 0 && network.isEmpty()) {
      err.println(
          "pingdialer serve: lab_callers needs the local lab stack (pbx.stack: local): its"
              + " simulated network makes the calls");
      return PingdialerCommand.EXIT_REJECTED;
    }
    if (settings.labAgents() > pbx.accounts().size()) {
      err.println(
          "pingdialer serve: lab_agents asks for "
              + settings.labAgents()
              + " agents but the PBX has "
              + pbx.accounts().size()
              + " agent accounts");
      return PingdialerCommand.EXIT_REJECTED;
    }
    if (check) {
      out.println(
          "ok: campaign "
              + campaign.name()
              + " ("
              + campaign.profile().name().toLowerCase(Locale.ROOT)
              + ")"
              + (queues.isEmpty()
                  ? ""
                  : ", queues "
                      + String.join(", ", queues.stream().map(InboundQueue::name).toList()))
              + ", "
              + settings);
      return 0;
    }
    Set<String> tokens = settings.apiTokens().isEmpty() ? Set.of(newToken()) : settings.apiTokens();
    Path dataDir = settings.dataDir();
    Files.createDirectories(dataDir);
    CountDownLatch stopAsked = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopAsked.countDown();
              try {
                finished.await(90, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Database database =
            seedLabLeads(
                settings,
                campaign,
                settings
                    .database()
                    .map(d -> Database.connect(d.url(), d.user(), d.password()))
                    .orElseGet(() -> Database.embedded(dataDir)),
                out);
        Controller controller =
            Controller.start(
                campaign,
                queues,
                groups,
                pbx,
                database,
                settings.apiHost(),
                settings.apiPort(),
                tokens,
                labCompanions(settings, pbx, dataDir, queues, network),
                // The lab's goats are known by their numbers; a real network has none of them.
                Persona.goats(),
                settings.zone(),
                "serve-" + campaign.name(),
                dataDir)) {
      String url = "http://" + settings.apiHost() + ":" + controller.apiPort();
      if (settings.apiTokens().isEmpty()) {
        // A token made for this run: saved owner-only where the CLI finds it, never printed.
        ApiAccess.save(new ApiAccess(url, tokens.iterator().next()));
        out.println("REST API: " + url + "/api/v1 (bearer token in " + ApiAccess.file() + ")");
      } else {
        out.println("REST API: " + url + "/api/v1 (bearer token from the configuration)");
      }
      out.println("dashboard: " + url + "/dashboard (sign in with an API token)");
      out.println(
          "campaign "
              + campaign.name()
              + " dialing"
              + (settings.labAgents() > 0 ? " with " + settings.labAgents() + " lab agents" : "")
              + "; SIGTERM or Ctrl-C stops it cleanly");
      out.flush();
      stopAsked.await();
      out.println("stopping: no new calls; calls in flight may end by themselves...");
      out.flush();
      controller.stop(GRACE);
      return 0;
    } finally {
      if (settings.apiTokens().isEmpty()) {
        ApiAccess.delete();
      }
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs and returns now that the controller is closed
      }
    }
  }

  /**
   * The lab agents and the lab's callers to the queues' numbers (the simulated network's call
   * files), started with the run and stopped after it.
   */
  private static Controller.Companion labCompanions(
      ServeConfig settings,
      Controller.Pbx pbx,
      Path dataDir,
      List<InboundQueue> queues,
      Optional<Path> network) {
    Controller.Companion agents = labAgents(settings, pbx, dataDir);
    if (settings.labCallers() == 0 || network.isEmpty()) {
      return agents;
    }
    List<String> numbers = queues.stream().flatMap(q -> q.dids().stream()).toList();
    return run -> {
      AutoCloseable started = agents.start(run);
      InboundCallers callers =
          InboundCallers.start(
              network.get(),
              numbers,
              settings.labCallers(),
              InboundCallers.Mix.USUAL,
              System.nanoTime());
      return () -> {
        callers.close();
        started.close();
      };
    };
  }

  /** The configured number of lab agents on baresip, started with the run. */
  private static Controller.Companion labAgents(
      ServeConfig settings, Controller.Pbx pbx, Path dataDir) {
    int count = settings.labAgents();
    if (count == 0) {
      return Controller.Companion.none();
    }
    return run ->
        LabAgents.start(
            pbx.accounts(),
            pbx.sipPort(),
            run.desk(),
            count,
            // Back in after a PBX restart, as real agents would dial in again.
            LabAgent.Behaviour.defaults().withRelogin(Duration.ofSeconds(3)),
            System.nanoTime(),
            settings.zone(),
            dataDir.resolve("agents"));
  }

  /**
   * With {@code lab_leads}: the campaign's first list gets a bought list drawn from the persona mix
   * if it holds no lead yet (the Docker stack's first start). Closes the database if that fails.
   */
  private static Database seedLabLeads(
      ServeConfig settings, Campaign campaign, Database database, PrintWriter out)
      throws Exception {
    if (settings.labLeads().isEmpty()) {
      return database;
    }
    var wanted = settings.labLeads().get();
    String list = campaign.lists().get(0);
    try {
      LabLeads.seedIfEmpty(
              new JdbcLeadStore(database),
              list,
              wanted.personaMix(),
              wanted.count(),
              settings.dataDir(),
              Clock.systemUTC())
          .ifPresentOrElse(
              report ->
                  out.println(
                      "lab leads: drew "
                          + wanted.count()
                          + " from "
                          + wanted.personaMix().getFileName()
                          + ", imported "
                          + report.imported()
                          + " into list "
                          + list),
              () -> out.println("lab leads: list " + list + " already has leads; none drawn"));
      return database;
    } catch (Exception | Error e) {
      database.close();
      throw e;
    }
  }

  private static Controller.Pbx fromStack(StackSettings stack) {
    return new Controller.Pbx(
        new AriEndpoint(
            URI.create("http://127.0.0.1:" + stack.ports().pbxHttp() + "/ari"),
            stack.ariUser(),
            stack.ariPassword(),
            stack.ariApp()),
        new AmiEndpoint("127.0.0.1", stack.ports().pbxAmi(), stack.amiUser(), stack.amiSecret()),
        stack.ports().pbxSip(),
        stack.agents());
  }

  private static String newToken() {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
