package org.pingdialer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pingdialer why LEAD --campaign FILE}: why one lead is or is not dialable now. */
@Command(
    name = "why",
    mixinStandardHelpOptions = true,
    description = {
      "Why is this lead dialed or not, now? Every reason the campaign's rules (calling window in",
      "the lead's time zone, DNC, consent, attempt caps, waiting for a redial or callback, its",
      "state) hold it, or that it is dialable. The same as campaign why FILE --lead LEAD."
    },
    footer = {
      "",
      "Example:",
      "  ./pingdialer why 42 --campaign asterisk-config/campaigns/lab-demo.yaml --json",
      "",
      "Exit codes: 0 answered, 4 the campaign file or the lead id is wrong."
    })
final class WhyCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand PingdialerCommand root;

  @Parameters(paramLabel = "LEAD", description = "the lead's id (see leads show, campaign why)")
  long lead;

  @Option(
      names = "--campaign",
      required = true,
      paramLabel = "FILE",
      description = "the campaign file whose rules apply")
  Path campaign;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return CampaignCommand.why(
        spec.commandLine().getOut(),
        spec.commandLine().getErr(),
        root.dataDir(),
        campaign,
        lead,
        json);
  }
}
