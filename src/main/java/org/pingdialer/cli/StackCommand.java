package org.pingdialer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.call.ami.AmiMonitor;
import org.pingdialer.call.ami.ContactStatus;
import org.pingdialer.call.ari.AriException;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pingdialer stack up|down|status|reload}: the local lab stack (PBX + simulated network).
 */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description = "Start, inspect, reload and stop the local Asterisk stack (dialer PBX + PSTN).")
final class StackCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Command(
      name = "up",
      description = {
        "Start the stack with the best runtime here (Docker engine, else a cached Debian rootfs;",
        "the first start builds the rootfs, about a minute). Fresh ports and lab credentials."
      })
  int up(
      @Option(names = "--agents", defaultValue = "4", description = "agent accounts (default 4)")
          int agents,
      @Option(
              names = "--runtime",
              defaultValue = "AUTO",
              description = "auto, docker or rootfs (default auto)")
          AsteriskStack.RuntimeChoice runtime,
      @Option(names = "--json", description = "print the status as JSON") boolean json) {
    return up(spec.commandLine().getOut(), agents, runtime, json);
  }

  static int up(PrintWriter out, int agents, AsteriskStack.RuntimeChoice runtime, boolean json) {
    Optional<StackState> existing = StackState.load();
    if (existing.isPresent() && attach(existing.get()).isRunning()) {
      return status(out, json);
    }
    AsteriskStack stack =
        AsteriskStack.startLab(
            PingdialerCommand.projectDir(), StackState.stackDir(), agents, runtime);
    new StackState(stack.runtimeName(), stack.settings().orElseThrow()).save();
    return status(out, json);
  }

  @Command(name = "status", description = "Show whether the stack runs, its endpoints and trunk.")
  int status(@Option(names = "--json", description = "print JSON") boolean json) {
    return status(spec.commandLine().getOut(), json);
  }

  static int status(PrintWriter out, boolean json) {
    Optional<StackState> state = StackState.load();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("stateDir", StackState.stackDir().toString());
    if (state.isEmpty()) {
      report.put("running", false);
      print(out, json, report, "no stack; start one with: ./pingdialer stack up");
      return PingdialerCommand.EXIT_NOT_RUNNING;
    }
    AsteriskStack stack = attach(state.get());
    boolean running = stack.isRunning();
    report.put("running", running);
    report.put("runtime", stack.runtimeName());
    report.put("ari", stack.ari().baseUrl().toString());
    report.put("ariApp", stack.ari().application());
    report.put("ami", stack.ami().host() + ":" + stack.ami().port());
    var ports = state.get().settings().ports();
    report.put("pbxSip", "127.0.0.1:" + ports.pbxSip());
    report.put("pstnSip", "127.0.0.1:" + ports.pstnSip());
    report.put("agents", state.get().settings().agents().stream().map(a -> a.id()).toList());
    report.put("logs", stack.pbxDir().resolve("log").toString());
    if (running) {
      var client = new OkHttpAriClient(stack.ari());
      try {
        report.put("asteriskVersion", client.asteriskInfo().system().version());
        report.put("trunk", client.endpointState("PJSIP", AsteriskStack.TRUNK).orElse("missing"));
      } catch (AriException | UncheckedIOException e) {
        report.put("ariError", e.getMessage());
      }
    }
    StringBuilder text = new StringBuilder();
    report.forEach((k, v) -> text.append(String.format("%-16s %s%n", k, v)));
    text.append("credentials      in ")
        .append(StackState.stackDir().resolve("stack.json"))
        .append(" (owner-only)");
    print(out, json, report, text.toString());
    return running ? 0 : PingdialerCommand.EXIT_NOT_RUNNING;
  }

  @Command(name = "down", description = "Stop the stack (both Asterisk instances).")
  int down() {
    Optional<StackState> state = StackState.load();
    if (state.isEmpty()) {
      spec.commandLine().getOut().println("no stack to stop");
      return 0;
    }
    attach(state.get()).close();
    StackState.delete();
    spec.commandLine().getOut().println("stack stopped");
    return 0;
  }

  @Command(
      name = "reload",
      description = {
        "Re-render asterisk-config/ into the running stack and reload it (the PBX over AMI,",
        "the network over its CLI) after editing the dialplan or PJSIP configuration."
      })
  int reload() {
    StackState state =
        StackState.load()
            .orElseThrow(() -> new IllegalStateException("no stack; run ./pingdialer stack up"));
    AsteriskStack stack = attach(state);
    stack.rerender(PingdialerCommand.projectDir());
    try (var ami =
        AmiMonitor.connect(
            stack.ami(),
            InstantSource.system(),
            new AmiMonitor.Listener() {
              @Override
              public void onContactStatus(ContactStatus status) {}

              @Override
              public void onConnection(boolean connected) {}
            })) {
      ami.reload("");
    }
    stack.networkCli("core reload");
    spec.commandLine().getOut().println("PBX and network configuration reloaded");
    return 0;
  }

  private static AsteriskStack attach(StackState state) {
    return AsteriskStack.attach(
        PingdialerCommand.projectDir(), StackState.stackDir(), state.settings(), state.runtime());
  }

  private static void print(
      PrintWriter out, boolean json, Map<String, Object> report, String text) {
    try {
      out.println(json ? JSON.writeValueAsString(report) : text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print status as JSON", e);
    }
    out.flush();
  }
}
