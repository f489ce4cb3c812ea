package org.pingdialer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of every thread of this JVM, the JVM's own included (JIT compiler, GC), read from {@code
 * /proc/self/task}: where a client's CPU per call goes. Keyed by thread id, because OkHttp renames
 * its task threads while they run (a name-keyed difference credits one name with another thread's
 * whole life).
 */
record ThreadCpu(Map<Long, Long> nanosByThread, Map<Long, String> nameByThread) {
  /** Linux counts thread CPU in clock ticks of 10 ms. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  static ThreadCpu now() {
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException ended) {
          continue;
        }
        long id = Long.parseLong(task.getFileName().toString());
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        nanos.put(id, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK);
        names.put(id, stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ThreadCpu(nanos, names);
  }

  /**
   * The CPU each kind of thread used since {@code before}, per call, largest first: threads named
   * alike ({@code io-bench-3}, {@code io-bench-7}) summed under one name, OkHttp's task threads
   * under {@code OkHttp tasks}.
   */
  String since(ThreadCpu before, int calls) {
    Map<String, Long> byKind = new TreeMap<>();
    nanosByThread.forEach(
        (id, nanos) ->
            byKind.merge(
                kind(nameByThread.get(id)),
                nanos - before.nanosByThread.getOrDefault(id, 0L),
                Long::sum));
    List<Map.Entry<String, Long>> kinds = new ArrayList<>(byKind.entrySet());
    kinds.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    var text = new StringBuilder();
    long total = 0;
    for (var kind : kinds) {
      total += kind.getValue();
      if (kind.getValue() >= NANOS_PER_TICK) {
        text.append(String.format("%s %.2f, ", kind.getKey(), kind.getValue() / 1e6 / calls));
      }
    }
    return text.append(String.format("all %.2f", total / 1e6 / calls)).toString();
  }

  /** The CPU threads of {@code kind} (as {@link #since} names them) used since, per call, in ms. */
  double perCall(ThreadCpu before, String kind, int calls) {
    long nanos = 0;
    for (var thread : nanosByThread.entrySet()) {
      if (kind(nameByThread.get(thread.getKey())).equals(kind)) {
        nanos += thread.getValue() - before.nanosByThread.getOrDefault(thread.getKey(), 0L);
      }
    }
    return nanos / 1e6 / calls;
  }

  private static String kind(String name) {
    if (name.startsWith("OkHttp") && !name.startsWith("OkHttp http")) {
      return "OkHttp tasks";
    }
    return name.replaceAll("[-#]?[0-9]+$", "").replaceAll("[0-9]+", "#");
  }
}
