package org.pingdialer.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;
import org.pingdialer.testing.EngineWithAgents;

/**
 * Soak (issue 17): the call engine holds N calls in flight for M minutes against the lab network,
 * every call a person who rings 2 s and stays 30 s, connected to one of N waiting agent legs; every
 * 30 s it prints the heap after a GC, the live threads, the open file descriptors and the calls in
 * flight, so a leak shows as a column that grows.
 *
 * <p>Run: {@code bench/soak.sh [calls in flight, default 100] [minutes, default 10]}.
 */
public final class SoakBench {
  /** Persona 11 (rings R×2 s, stays TT×5 s): R = 1, TT = 06. */
  private static final String PERSON = "493099911106";

  private SoakBench() {}

  public static void main(String[] args) throws Exception {
    int inFlight = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Duration length = Duration.ofMinutes(args.length > 1 ? Long.parseLong(args[1]) : 10);
    Path project = Path.of(System.getProperty("pingdialer.projectDir", ".")).toAbsolutePath();
    Files.createDirectories(project.resolve("target"));
    Path dataDir = Files.createTempDirectory(project.resolve("target"), "soak-db-");
    try (var stack = AsteriskStack.startLab(project, project.resolve("target/soak-stack"), 1);
        var database = Database.embedded(dataDir)) {
      var ari = new OkHttpAriClient(stack.ari());
      var floor =
          EngineWithAgents.start(
              "soak",
              AsteriskStack.TRUNK,
              ari,
              new JdbcAttemptStore(database),
              DialPolicy.lab(Duration.ofSeconds(30)));
      var engine = floor.engine;
      try (var stream = new AriEventStream(ari, Set.of(), InstantSource.system(), engine)) {
        stream.start();
        AnswerToBridgeBench.waitUntil(() -> engine.snapshot().get().connected());
        for (int i = 0; i < inFlight; i++) {
          floor.seat(AnswerToBridgeBench.agent(ari, "soak-agent", i));
        }
        System.out.printf(
            "soak: %d calls in flight for %d min, %d agent legs waiting%n%n",
            inFlight, length.toMinutes(), inFlight);
        System.out.println(
            "| min | heap after GC MiB | threads | open fds | calls in flight | calls ended |");
        System.out.println("|---|---|---|---|---|---|");
        var slots = new Semaphore(inFlight);
        var ended = new AtomicLong();
        Map<DialOutcome, AtomicLong> outcomes = new ConcurrentHashMap<>();
        long begin = System.nanoTime();
        long nextSample = begin;
        long serial = 0;
        while (System.nanoTime() - begin < length.toNanos()) {
          if (System.nanoTime() >= nextSample) {
            sample(begin, engine, ended.get());
            nextSample += Duration.ofSeconds(30).toNanos();
          }
          if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            continue;
          }
          String number = PERSON + (serial++ % 10);
          var unused =
              engine
                  .place(number, Attempt.Kind.CALL)
                  .thenCompose(engine::result)
                  .whenComplete(
                      (result, error) -> {
                        ended.incrementAndGet();
                        DialOutcome outcome = error != null ? DialOutcome.FAILED : result.outcome();
                        outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
                        slots.release();
                      });
        }
        // Let the last calls end (a person stays 30 s).
        slots.acquire(inFlight);
        sample(begin, engine, ended.get());
        var byOutcome = new EnumMap<DialOutcome, Long>(DialOutcome.class);
        outcomes.forEach((outcome, count) -> byOutcome.put(outcome, count.get()));
        System.out.printf("%ncalls: %d, by outcome: %s%n", ended.get(), byOutcome);
      } finally {
        floor.close();
      }
    }
  }

  private static void sample(long begin, CallEngine engine, long ended) throws Exception {
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    long fds;
    try (var listing = Files.list(Path.of("/proc/self/fd"))) {
      fds = listing.count();
    }
    int live = engine.snapshot().get(5, TimeUnit.SECONDS).callsInFlight();
    System.out.printf(
        "| %.1f | %d | %d | %d | %d | %d |%n",
        (System.nanoTime() - begin) / 60e9, heap >> 20, threads, fds, live, ended);
  }
}
