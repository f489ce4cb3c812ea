package org.pingdialer.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time so far of the lab stack's two Asterisk processes (all their threads), read from {@code
 * /proc}: the dialer PBX the clients drive, and the simulated network that answers their calls. The
 * two run the same command line inside their chroots; the {@code unshare} that started each names
 * its instance directory ({@code .../pbx} or {@code .../pstn}).
 */
record AsteriskCpu(long pbxNanos, long networkNanos) {
  private static final long NANOS_PER_TICK = 10_000_000L;

  static AsteriskCpu now() {
    long pbx = 0;
    long network = 0;
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process : (Iterable<Path>) processes::iterator) {
        if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        String stat;
        String parentCommand;
        try {
          stat = Files.readString(process.resolve("stat"));
          if (!stat.contains("(asterisk)")) {
            continue;
          }
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          parentCommand = Files.readString(Path.of("/proc", fields[1], "cmdline"));
          long nanos = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
          if (parentCommand.contains("/pstn")) {
            network += nanos;
          } else if (parentCommand.contains("/pbx")) {
            pbx += nanos;
          }
        } catch (IOException ended) {
          // The process ended while we looked: it is not one of the stack's.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AsteriskCpu(pbx, network);
  }

  String since(AsteriskCpu before, int calls) {
    return String.format(
        "dialer PBX %.2f, simulated network %.2f",
        (pbxNanos - before.pbxNanos) / 1e6 / calls,
        (networkNanos - before.networkNanos) / 1e6 / calls);
  }
}
