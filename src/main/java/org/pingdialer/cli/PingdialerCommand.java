package org.pingdialer.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pingdialer} command line: one subcommand per capability. */
@Command(
    name = "pingdialer",
    mixinStandardHelpOptions = true,
    version = "pingdialer 0.1.0",
    description = "Outbound call-center dialer driving real Asterisk over ARI and AMI.",
    subcommands = {
      StackCommand.class,
      DemoCommand.class,
      LeadsCommand.class,
      DncCommand.class,
      CampaignCommand.class,
      AgentsCommand.class,
      SimulateCommand.class,
      ServeCommand.class,
      WhyCommand.class,
      CallsCommand.class,
      QueuesCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  ./pingdialer demo                 bring up the lab stack and show its status",
      "  ./pingdialer stack status --json  machine-readable status of the running stack",
      "  ./pingdialer stack down           stop the lab stack",
      "  ./pingdialer leads import bought.csv --list summer --json",
      "  ./pingdialer dnc add +49301234567 --list summer-dnc",
      "  ./pingdialer serve --config docker/controller.yaml   the controller as a service",
      "  ./pingdialer report lab-demo --format html --out lab-demo.html",
      "",
      "Data: --data-dir (default $PINGDIALER_DATA_DIR or ~/.local/share/pingdialer) holds the",
      "embedded database; PINGDIALER_DB_URL (+ _USER, _PASSWORD or _PASSWORD_FILE) selects",
      "PostgreSQL instead.",
      "",
      "Exit codes: 0 ok, 1 error, 2 bad usage, 3 stack not running, 4 input rejected."
    })
public final class PingdialerCommand implements Runnable {
  static final int EXIT_NOT_RUNNING = 3;

  /** The input (a file, a number) was rejected; nothing was stored. */
  static final int EXIT_REJECTED = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "data directory of the embedded database (default ${DEFAULT-VALUE})")
  Path dataDir = DataOptions.defaultDataDir();

  Path dataDir() {
    return dataDir;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand");
  }

  /**
   * The checkout with asterisk-config/ and docker/: the system property {@code
   * pingdialer.projectDir} (tests), else {@code $PINGDIALER_HOME} (set by the launcher), else the
   * working directory.
   */
  static Path projectDir() {
    String home = System.getProperty("pingdialer.projectDir", System.getenv("PINGDIALER_HOME"));
    return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
  }

  public static int execute(String... args) {
    return configure(new CommandLine(new PingdialerCommand())).execute(args);
  }

  /**
   * Errors as one line naming the problem, exit code 1 (tests set their own out/err). Choices such
   * as {@code --runtime rootfs} are written in lower case in the help and the README, and taken in
   * any case.
   */
  static CommandLine configure(CommandLine commandLine) {
    return commandLine
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(
            (e, cl, parseResult) -> {
              if (e.getMessage() == null) {
                // No message is a bug of ours, not a problem of the input: say where it was.
                cl.getErr().println("pingdialer: internal error (please report it): " + e);
                e.printStackTrace(cl.getErr());
              } else {
                cl.getErr().println("pingdialer: " + e.getMessage());
              }
              return 1;
            });
  }
}
