package org.pingdialer.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Evidence;
import org.pingdialer.call.Timeline;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcAttemptStore;

/**
 * The durable-write floor of the call engine: JVM CPU per call of storing its attempt (before its
 * channel is created) and its result with its evidence, in the embedded database, one thread, no
 * ARI. Three ways: two commits per call (the engine when calls come one at a time), one commit per
 * call (a call's result riding with the next call's attempt, the engine's batching at its best with
 * one call at a time), and either without evidence rows.
 *
 * <p>Run: {@code bench/attempt-store.sh [calls per round, default 3000] [rounds, default 5]}.
 */
public final class AttemptStoreBench {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private AttemptStoreBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path project = Path.of(System.getProperty("pingdialer.projectDir", ".")).toAbsolutePath();
    Files.createDirectories(project.resolve("target"));
    System.out.println(
        "| round | 2 commits, 10 evidence rows | 2 commits, no evidence | 1 commit, 10 evidence rows"
            + " | 1 commit, no evidence |");
    System.out.println("|---|---|---|---|---|");
    double[][] all = new double[4][rounds];
    for (int round = 0; round <= rounds; round++) { // round 0 warms up
      double[] row = new double[4];
      int i = 0;
      for (boolean shared : new boolean[] {false, true}) {
        for (int evidence : new int[] {10, 0}) {
          Path dir = Files.createTempDirectory(project.resolve("target"), "store-bench-");
          try (var database = Database.embedded(dir)) {
            row[i++] = cpuPerCall(new JdbcAttemptStore(database), calls, evidence, shared);
          }
        }
      }
      if (round > 0) {
        for (int k = 0; k < 4; k++) {
          all[k][round - 1] = row[k];
        }
        System.out.printf(
            "| %d | %.3f | %.3f | %.3f | %.3f |%n", round, row[0], row[1], row[2], row[3]);
      }
    }
    System.out.printf(
        "| median | %.3f | %.3f | %.3f | %.3f |%n",
        median(all[0]), median(all[1]), median(all[2]), median(all[3]));
    System.out.println("(JVM CPU ms per call: its attempt and its result stored)");
  }

  private static double cpuPerCall(
      AttemptStore store, int calls, int evidenceRows, boolean oneCommitPerCall) {
    long cpu = OS.getProcessCpuTime();
    AttemptResult previous = null;
    for (int i = 0; i < calls; i++) {
      Instant now = Instant.now();
      var placement = new AttemptStore.Placement("bench", "4930999900090", Attempt.Kind.CALL, now);
      Attempt attempt;
      if (oneCommitPerCall) {
        attempt =
            store
                .write(List.of(placement), previous == null ? List.of() : List.of(previous))
                .getFirst();
      } else {
        attempt = store.write(List.of(placement), List.of()).getFirst();
      }
      AttemptResult result = result(attempt, now, evidenceRows);
      if (oneCommitPerCall) {
        previous = result;
      } else {
        store.write(List.of(), List.of(result));
      }
    }
    if (previous != null) {
      store.write(List.of(), List.of(previous));
    }
    return (OS.getProcessCpuTime() - cpu) / 1e6 / calls;
  }

  /** A call answered and bridged, with the events a bridged call leaves (about ten). */
  private static AttemptResult result(Attempt attempt, Instant at, int evidenceRows) {
    List<Evidence> evidence = new ArrayList<>();
    for (int i = 0; i < evidenceRows; i++) {
      evidence.add(new Evidence("ChannelStateChange", at, "Up"));
    }
    return new AttemptResult(
        attempt,
        DialOutcome.ANSWERED,
        16,
        null,
        Optional.empty(),
        new Timeline(at, at, at, null, at, at, null, at),
        Optional.of("agent1"),
        evidence,
        false);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
