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
    subcommands = {StackCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
    footer = {
      "",
      "Examples:",
      "  ./pingdialer demo                 bring up the lab stack and show its status",
      "  ./pingdialer stack status --json  machine-readable status of the running stack",
      "  ./pingdialer stack down           stop the lab stack",
      "",
      "Exit codes: 0 ok, 1 error, 2 bad usage, 3 stack not running."
    })
public final class PingdialerCommand implements Runnable {
  static final int EXIT_NOT_RUNNING = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
    return new CommandLine(new PingdialerCommand())
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              commandLine.getErr().println("pingdialer: " + e.getMessage());
              return 1;
            })
        .execute(args);
  }
}
