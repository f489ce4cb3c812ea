package org.pingdialer.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.AriException;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.testing.EngineWithAgents;

/**
 * Answer→bridge latency and call rate of the call engine, next to a raw ARI client doing the same
 * work on the same stack in the same run (alternating), reported as ratios. Every call: originate
 * to a silent line that answers at once, bridge it to a waiting agent, hang it up once bridged.
 *
 * <p>Run: {@code bench/answer-to-bridge.sh [calls per run] [in-flight levels] [rounds]}.
 */
public final class AnswerToBridgeBench {
  private static final String CUSTOMER = "4930999900001";
  private static final String AGENT_LINE = "4930999900002";

  /** Warm-up ends once compiling takes less than this share of a warm-up round's time. */
  private static final double STEADY_JIT_SHARE = 0.02;

  private static final int MAX_WARM_UP_ROUNDS = 30;

  private static final Duration IDLE_SPAN = Duration.ofSeconds(10);

  private AnswerToBridgeBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    List<Integer> levels =
        args.length > 1
            ? Arrays.stream(args[1].split(",")).map(Integer::parseInt).toList()
            : List.of(10, 50);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int maxLevel = levels.stream().mapToInt(Integer::intValue).max().orElseThrow();

    Path project = Path.of(System.getProperty("pingdialer.projectDir", ".")).toAbsolutePath();
    Files.createDirectories(project.resolve("target"));
    Path dataDir = Files.createTempDirectory(project.resolve("target"), "bench-db-");
    try (var stack = AsteriskStack.startLab(project, project.resolve("target/bench-stack"), 1);
        var database = Database.embedded(dataDir)) {
      var engineAri = new OkHttpAriClient(stack.ari());
      var floor =
          EngineWithAgents.start(
              "bench",
              AsteriskStack.TRUNK,
              engineAri,
              // As in production: every attempt and its evidence go to the embedded database.
              new JdbcAttemptStore(database),
              DialPolicy.lab(Duration.ofSeconds(30)));
      var engine = floor.engine;
      var bridgedHangups = Executors.newFixedThreadPool(8);
      try (var stream = engineStream(engineAri, engine, bridgedHangups)) {
        stream.start();
        waitUntil(() -> engine.snapshot().get().connected());
        for (int i = 0; i < maxLevel; i++) {
          floor.seat(agent(engineAri, "bagent", i));
        }

        var rawEndpoint =
            new AriEndpoint(
                stack.ari().baseUrl(), stack.ari().user(), stack.ari().password(), "pdraw");
        try (var raw = new RawAriDialer(rawEndpoint)) {
          raw.connect();
          var rawAri = new OkHttpAriClient(rawEndpoint);
          for (int i = 0; i < maxLevel; i++) {
            raw.addAgentBridge(agent(rawAri, "rawagent", i).bridgeId());
          }
          warmUp(engine, raw);

          System.out.println(
              "| in flight | round | engine p50 / p99 ms | raw p50 / p99 ms | engine calls/s |"
                  + " raw calls/s | JVM CPU ms per call engine / raw |");
          System.out.println("|---|---|---|---|---|---|---|");
          for (int level : levels) {
            List<double[]> rows = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
              var threads = ThreadCpu.now();
              var asterisk = AsteriskCpu.now();
              long cpu = cpuNanos();
              Result e = runEngine(engine, calls, level);
              double engineCpu = (cpuNanos() - cpu) / 1e6 / calls;
              var afterEngine = ThreadCpu.now();
              var asteriskAfterEngine = AsteriskCpu.now();
              cpu = cpuNanos();
              RawAriDialer.Run r = raw.run(calls, level, CUSTOMER, AsteriskStack.TRUNK);
              double rawCpu = (cpuNanos() - cpu) / 1e6 / calls;
              // The durable write of each attempt and its result (its own thread): work the raw
              // client does not do at all.
              double storeCpu = afterEngine.perCall(threads, "attempts-bench", calls);
              System.out.println(
                  "  engine's threads, ms per call: " + afterEngine.since(threads, calls));
              System.out.println(
                  "  raw client's threads, ms per call: "
                      + ThreadCpu.now().since(afterEngine, calls));
              System.out.println(
                  "  Asterisk CPU ms per call, engine: "
                      + asteriskAfterEngine.since(asterisk, calls)
                      + "; raw client: "
                      + AsteriskCpu.now().since(asteriskAfterEngine, calls));
              Result rr = new Result(r.latencies(), r.elapsed(), calls);
              rows.add(
                  new double[] {
                    e.p(50),
                    e.p(99),
                    rr.p(50),
                    rr.p(99),
                    e.rate(),
                    rr.rate(),
                    engineCpu,
                    rawCpu,
                    e.rate() / rr.rate(),
                    engineCpu / rawCpu,
                    (engineCpu - storeCpu) / rawCpu
                  });
              System.out.printf(
                  "| %d | %d | %.1f / %.1f | %.1f / %.1f | %.0f | %.0f | %.2f / %.2f |%n",
                  level, round, e.p(50), e.p(99), rr.p(50), rr.p(99), e.rate(), rr.rate(),
                  engineCpu, rawCpu);
            }
            double engineP99 = median(rows, 1);
            double rawP99 = median(rows, 3);
            System.out.printf(
                "in flight %d, medians of %d rounds: p99 engine %.1f ms vs raw %.1f ms (ratio %.2f,"
                    + " target <= 1.5); calls/s engine %.0f vs raw %.0f (ratio %.2f, target >= 0.9);"
                    + " JVM CPU per call engine %.2f vs raw %.2f ms (ratio %.2f, target <= 1.3);"
                    + " median of the rounds' own ratios (each round runs both clients back to"
                    + " back, so the machine's swings hit both): calls/s %.2f, CPU %.2f, CPU"
                    + " without the engine's store thread %.2f%n",
                level,
                rounds,
                engineP99,
                rawP99,
                engineP99 / Math.max(rawP99, 1.0),
                median(rows, 4),
                median(rows, 5),
                median(rows, 4) / median(rows, 5),
                median(rows, 6),
                median(rows, 7),
                median(rows, 6) / median(rows, 7),
                median(rows, 8),
                median(rows, 9),
                median(rows, 10));
          }
          System.out.println(
              "raw client calls that could not be created or bridged: " + raw.failedCalls());
          idleAgentsCost(engineAri, 2 * maxLevel);
        }
      } finally {
        floor.close();
        bridgedHangups.shutdownNow();
      }
    }
  }

  /**
   * What agents cost Asterisk while they wait: the stack's CPU over 10 s with every agent's channel
   * standing in its bridge, then again with none.
   */
  private static void idleAgentsCost(AriClient ari, int agents) throws Exception {
    AsteriskCpu standing = idleCpu();
    for (String prefix : List.of("bagent", "rawagent")) {
      for (int i = 0; i < agents / 2; i++) {
        ari.hangup(String.format("%s-%04d", prefix, i), "normal");
      }
    }
    Thread.sleep(3000);
    AsteriskCpu none = idleCpu();
    System.out.printf(
        "idle, CPU ms per second: %d agent channels standing in their mixing bridges: dialer PBX"
            + " %.1f, simulated network %.1f; no agent: dialer PBX %.1f, simulated network %.1f;"
            + " per standing agent: dialer PBX %.2f, simulated network %.2f%n",
        agents,
        standing.pbxNanos() / 1e6,
        standing.networkNanos() / 1e6,
        none.pbxNanos() / 1e6,
        none.networkNanos() / 1e6,
        (standing.pbxNanos() - none.pbxNanos()) / 1e6 / agents,
        (standing.networkNanos() - none.networkNanos()) / 1e6 / agents);
  }

  /** Asterisk's CPU per second over {@link #IDLE_SPAN}, as nanoseconds per second. */
  private static AsteriskCpu idleCpu() throws InterruptedException {
    AsteriskCpu start = AsteriskCpu.now();
    Thread.sleep(IDLE_SPAN.toMillis());
    AsteriskCpu end = AsteriskCpu.now();
    long seconds = IDLE_SPAN.toSeconds();
    return new AsteriskCpu(
        (end.pbxNanos() - start.pbxNanos()) / seconds,
        (end.networkNanos() - start.networkNanos()) / seconds);
  }

  /**
   * Runs both clients until the JIT compiler has (almost) nothing left to do: the JVM compiles the
   * engine's code (and H2's, Jackson's) for tens of thousands of calls, and its compiler threads'
   * CPU counted in the rounds made the engine look about twice as costly per call as it is in a
   * controller that has been up for a minute (bench/RESULTS.md, run 9).
   */
  private static void warmUp(CallEngine engine, RawAriDialer raw) throws Exception {
    var jit = ManagementFactory.getCompilationMXBean();
    for (int round = 1; round <= MAX_WARM_UP_ROUNDS; round++) {
      long compiling = jit.getTotalCompilationTime();
      long start = System.nanoTime();
      for (int level : List.of(10, 50)) {
        runEngine(engine, 500, level);
        raw.run(500, level, CUSTOMER, AsteriskStack.TRUNK);
      }
      double share =
          (jit.getTotalCompilationTime() - compiling) / ((System.nanoTime() - start) / 1e6);
      System.out.printf("warm-up round %d: JIT compiling %.1f%% of the time%n", round, share * 100);
      if (share < STEADY_JIT_SHARE) {
        return;
      }
    }
    System.out.println("warm-up: the JIT never settled; the CPU figures include compiling");
  }

  /** The engine's events socket; it also hangs each customer up as soon as it is bridged. */
  private static AriEventStream engineStream(
      OkHttpAriClient ari, CallEngine engine, ExecutorService hangups) {
    return new AriEventStream(
        ari,
        Set.of(
            "StasisStart",
            "StasisEnd",
            "Dial",
            "ChannelStateChange",
            "ChannelEnteredBridge",
            "ChannelDestroyed",
            "PlaybackStarted",
            "PlaybackFinished"),
        InstantSource.system(),
        new AriEventStream.Listener() {
          @Override
          public void onConnected(AriEventStream.Connection connection) {
            engine.onConnected(connection);
          }

          @Override
          public void onEvent(AriEvent event) {
            engine.onEvent(event);
            if (event instanceof AriEvent.ChannelEnteredBridge e
                && e.channel() != null
                && e.channel().id().startsWith("pd-")) {
              hangups.execute(() -> ari.hangup(e.channel().id(), "normal"));
            }
          }

          @Override
          public void onDisconnected(String reason) {
            engine.onDisconnected(reason);
          }
        });
  }

  private static Result runEngine(CallEngine engine, int calls, int inFlight) throws Exception {
    var slots = new Semaphore(inFlight);
    List<CompletableFuture<AttemptResult>> results = new ArrayList<>();
    Instant start = Instant.now();
    for (int i = 0; i < calls; i++) {
      slots.acquire();
      // A slot is a channel: it is free when the channel is gone, as for the raw client. Every
      // result is still stored, and the run ends only when all of them are.
      var key = engine.place(CUSTOMER, Attempt.Kind.CALL);
      var unused = key.thenCompose(engine::ended).whenComplete((r, e) -> slots.release());
      results.add(key.thenCompose(engine::result));
    }
    List<Duration> latencies = new ArrayList<>();
    for (var future : results) {
      AttemptResult result = future.get(2, TimeUnit.MINUTES);
      if (result.outcome() != DialOutcome.ANSWERED) {
        throw new IllegalStateException(
            "bench call ended " + result.outcome() + ": " + result.evidence());
      }
      latencies.add(result.timeline().answerToBridge());
    }
    return new Result(latencies, Duration.between(start, Instant.now()), calls);
  }

  /** A stand-in agent: a silent line, answered and waiting in its own mixing bridge. */
  static AgentSeat agent(AriClient ari, String prefix, int index) throws Exception {
    String channel = String.format("%s-%04d", prefix, index);
    String bridge = channel + "-bridge";
    ari.createChannel(
        AriClient.ChannelSpec.of(
            AsteriskStack.dialString(AGENT_LINE, AsteriskStack.TRUNK), channel));
    // The created channel enters Stasis on another thread: a dial before that gets 409.
    waitUntil(
        () -> {
          try {
            ari.dial(channel, Duration.ofSeconds(10));
            return true;
          } catch (AriException notInStasisYet) {
            return false;
          }
        });
    waitUntil(() -> ari.channel(channel).map(c -> c.state() == ChannelState.UP).orElse(false));
    ari.createBridge(bridge, "mixing", channel);
    ari.addToBridge(bridge, channel);
    return new AgentSeat(channel, channel, bridge);
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitUntil(Check check) throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!check.ok()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("bench set-up timed out");
      }
      Thread.sleep(20);
    }
  }

  /**
   * CPU time of the whole JVM so far (every thread: the client's, GC, JIT, H2's writer). Each
   * client runs alone between two readings, so the difference is its cost with what it makes the
   * JVM do besides.
   */
  private static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(List<double[]> rows, int column) {
    double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return values[values.length / 2];
  }

  private record Result(List<Duration> latencies, Duration elapsed, int calls) {
    double p(int percentile) {
      List<Long> sorted = latencies.stream().map(Duration::toNanos).sorted().toList();
      if (sorted.isEmpty()) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, index)) / 1_000_000.0;
    }

    double rate() {
      return calls / (elapsed.toNanos() / 1e9);
    }
  }
}
