package org.pingdialer.cli;

import org.pingdialer.stack.AsteriskStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pingdialer demo}: the main job for a newcomer. For now it brings up the local stack
 * (dialer PBX + simulated network) and prints its status; the campaign loop joins it as the engine
 * grows (issue "demo").
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Bring up the local lab stack (embedded defaults, auto-provisioned Asterisk) and show it.",
      "Stop it again with: ./pingdialer stack down"
    })
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--agents", defaultValue = "4", description = "lab agent accounts (default 4)")
  int agents;

  @Option(names = "--json", description = "print the status as JSON")
  boolean json;

  @Override
  public Integer call() {
    return StackCommand.up(
        spec.commandLine().getOut(), agents, AsteriskStack.RuntimeChoice.AUTO, json);
  }
}
