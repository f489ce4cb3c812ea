package org.pingdialer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pingdialer.lab.demo.Demo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pingdialer demo}: the main job for a newcomer. Runs the whole loop on embedded defaults
 * against a fresh lab stack (see {@link Demo}) and prints the report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole dialer loop on embedded defaults: a fresh lab stack (dialer PBX + simulated",
      "network), a bought list drawn from the demo persona mix, imported into a fresh embedded",
      "database, line checks, lab agents on real SIP phones (baresip), the demo campaign dialing,",
      "then a clean stop and a report of the loop's steps. Ctrl-C stops early, just as cleanly."
    },
    footer = {
      "",
      "Examples:",
      "  ./pingdialer demo",
      "  ./pingdialer demo --leads 500 --agents 6 --minutes 10",
      "  ./pingdialer demo --profile strict --json > report.json",
      "",
      "Exit codes: 0 done (the report says what happened), 1 error, 2 bad options."
    })
final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--leads", defaultValue = "200", description = "leads to buy (default 200)")
  int leads;

  @Option(names = "--agents", defaultValue = "4", description = "lab agents (default 4)")
  int agents;

  @Option(names = "--minutes", defaultValue = "3", description = "how long to dial (default 3)")
  double minutes;

  @Option(
      names = "--profile",
      defaultValue = "lab",
      description = "lab (default) or strict: the regulators' rules on the same lab network")
  String profile;

  @Option(names = "--seed", defaultValue = "2026", description = "for the list and the agents")
  long seed;

  @Option(
      names = "--work-dir",
      description =
          "where this run's stack, database and logs go (default: a new directory in"
              + " the state dir)")
  Path workDir;

  @Option(names = "--json", description = "print the final report as one JSON object")
  boolean json;

  /** PINGDIALER_API_TOKEN if set, else a fresh random token for this run. */
  private static String apiToken() {
    String given = System.getenv("PINGDIALER_API_TOKEN");
    if (given != null && !given.isBlank()) {
      return given;
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Demo.Options options;
    try {
      options =
          new Demo.Options(
              PingdialerCommand.projectDir(),
              workDir != null
                  ? workDir
                  : StackState.stateDir()
                      .resolve("demo")
                      .resolve(
                          LocalDateTime.now(ZoneOffset.UTC)
                              .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))),
              leads,
              agents,
              Duration.ofMillis((long) (minutes * 60_000)),
              profile,
              seed,
              Set.of(apiToken()));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    // Ctrl-C: stop dialing, let the demo clean up (hang up, log agents out, stop Asterisk), and
    // only then let the JVM go.
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                finished.await(90, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter progress = json ? err : out;
    String logFile = System.getenv("PINGDIALER_LOG_FILE");
    if (logFile != null && !logFile.isBlank()) {
      progress.println("full log: " + logFile);
    }
    try {
      Demo.Report report =
          Demo.run(
              options,
              line -> {
                progress.println(line);
                progress.flush();
              },
              stop::get,
              port -> {
                ApiAccess.save(
                    new ApiAccess(
                        "http://127.0.0.1:" + port, options.apiTokens().iterator().next()));
                progress.println(
                    "agents from another terminal: ./pingdialer agents list (token in "
                        + ApiAccess.file()
                        + ")");
              });
      if (json) {
        out.println(JSON.writeValueAsString(report));
      } else {
        out.println(Demo.toText(report));
      }
      out.flush();
      return 0;
    } finally {
      ApiAccess.delete();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook runs and returns now that the demo is done
      }
    }
  }
}
