package org.pingdialer.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.pingdialer.lead.ImportReport;
import org.pingdialer.lead.LeadImporter;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;

/**
 * Import of a generated lead file into the embedded H2 database against parsing the same numbers
 * with libphonenumber alone, in one run. Run by {@code bench/lead-import.sh}; prints a Markdown
 * row.
 *
 * <p>The file looks like bought data: German fixed and mobile numbers in the usual writings, names,
 * a source, a consent time, an extra column, and 1 % duplicates.
 *
 * <p>Both sides can be warmed up alike: the parse-only pass always parses 50,000 numbers first; in
 * mode {@code warm} the import path first imports a 50,000-row file of the same kind into a scratch
 * database, so that neither side pays the JIT compiler's first work in its timing (measured cold,
 * the compiler threads take about 7 s of CPU during the import on 2 cores). Mode {@code cold} times
 * the import as a one-off {@code pingdialer leads import} run sees it.
 *
 * <p>In mode {@code warm} parse-only and import alternate for a number of rounds (3 unless given)
 * and the medians are compared: on a shared machine of 2 cores one pair alone moved by ±0.15×
 * between runs of the same code. Each import goes into a new database, deleted afterwards.
 */
public final class LeadImportBench {
  private LeadImportBench() {}

  /** One timed pass: wall and CPU seconds. */
  private record Pass(double seconds, double cpuSeconds) {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String mode = args.length > 1 ? args[1] : "warm";
    if (!mode.equals("warm") && !mode.equals("cold")) {
      throw new IllegalArgumentException("mode must be warm or cold, was " + mode);
    }
    boolean warm = mode.equals("warm");
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : warm ? 3 : 1;
    if (!warm && rounds != 1) {
      throw new IllegalArgumentException(
          "cold times one import (a second one would be warm); give rounds 1, was " + rounds);
    }
    Path work = Path.of("target/bench-import");
    Files.createDirectories(work);
    Path csv = work.resolve("leads-" + rows + ".csv");
    generate(csv, rows);
    System.err.printf("generated %s (%,d bytes)%n", csv, Files.size(csv));

    var phoneNumbers = new PhoneNumbers("DE");
    List<String> warmUp = numbers(Math.min(50_000, rows));
    for (String number : warmUp) {
      phoneNumbers.parse(number);
    }
    if (warm) {
      Path warmCsv = work.resolve("warm-up-50000.csv");
      generate(warmCsv, 50_000);
      importOnce(warmCsv, work, "warm-up");
    }

    // Parse-only and import alternate, so that whatever else the machine does in those minutes
    // falls on both sides alike; the medians are compared.
    List<Pass> parses = new ArrayList<>();
    List<Pass> imports = new ArrayList<>();
    long peakHeap = 0;
    int valid = 0;
    ImportReport report = null;
    for (int round = 0; round < rounds; round++) {
      List<String> numbers = numbers(rows);
      System.gc();
      long parseStart = System.nanoTime();
      long parseCpuStart = processCpuNanos();
      valid = 0;
      for (String number : numbers) {
        if (phoneNumbers.parse(number) instanceof PhoneNumbers.Parsed.Valid) {
          valid++;
        }
      }
      parses.add(
          new Pass(
              (System.nanoTime() - parseStart) / 1e9, (processCpuNanos() - parseCpuStart) / 1e9));
      numbers = null; // the import must not be helped, nor its heap burdened, by these strings
      System.gc();
      var heap = new HeapPeak();
      long importStart = System.nanoTime();
      long importCpuStart = processCpuNanos();
      report = importOnce(csv, work, "bench");
      imports.add(
          new Pass(
              (System.nanoTime() - importStart) / 1e9, (processCpuNanos() - importCpuStart) / 1e9));
      peakHeap = Math.max(peakHeap, heap.bytes());
      heap.close();
      if (report.failed() || report.imported() + report.duplicates() != rows) {
        throw new IllegalStateException("import did not account for every row: " + report.toText());
      }
    }
    System.err.print(report.toText());
    double parseSeconds = median(parses.stream().map(Pass::seconds).toList());
    double importSeconds = median(imports.stream().map(Pass::seconds).toList());
    double parseCpu = median(parses.stream().map(Pass::cpuSeconds).toList());
    double importCpu = median(imports.stream().map(Pass::cpuSeconds).toList());
    List<String> roundRatios = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      roundRatios.add(
          String.format("%.2f", imports.get(round).seconds() / parses.get(round).seconds()));
    }
    System.out.println(
        "| import | rounds | rows | valid parsed | parse-only s | import s | import rows/s |"
            + " import ÷ parse | each round | peak heap MiB | max heap MiB | parse CPU s |"
            + " import CPU s | CPU import ÷ parse |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    System.out.printf(
        "| %s | %d | %,d | %,d | %.1f | %.1f | %,.0f | %.2f | %s | %d | %d | %.1f | %.1f | %.2f |%n",
        mode,
        rounds,
        rows,
        valid,
        parseSeconds,
        importSeconds,
        rows / importSeconds,
        importSeconds / parseSeconds,
        String.join(" ", roundRatios),
        peakHeap / (1024 * 1024),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        parseCpu,
        importCpu,
        importCpu / parseCpu);
  }

  /** Imports {@code csv} into a new embedded database, which is deleted afterwards. */
  private static ImportReport importOnce(Path csv, Path work, String list) throws Exception {
    Path dataDir = work.resolve("h2-" + System.nanoTime());
    try {
      try (Database database = Database.embedded(dataDir)) {
        return new LeadImporter(new JdbcLeadStore(database), Clock.systemUTC())
            .importFile(
                csv,
                new LeadImporter.Options(
                    list, "DE", Optional.empty(), Optional.empty(), Map.of(), List.of(), false),
                LeadImporter.Progress.NONE);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  /** The phone column of the generated file, as written (see {@link #generate}). */
  private static List<String> numbers(int rows) {
    List<String> numbers = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      numbers.add(number(i));
    }
    return numbers;
  }

  private static String number(int i) {
    // 1 % repeat an earlier number in another writing: duplicates, as bought data has them.
    int n = (i % 100 == 99) ? i - 50 : i;
    String number =
        switch (n % 4) {
          case 0 -> "030 " + (2_000_000 + n);
          case 1 -> "+49 (0)30 " + (20_000_000 + n);
          case 2 -> "0151 " + (20_000_000 + n);
          default -> "0049 171 " + (3_000_000 + n);
        };
    if (n != i) {
      number = number.replace("030 ", "030/").replace("0151 ", "+49 151 ");
    }
    return number;
  }

  private static void generate(Path csv, int rows) throws IOException {
    String[] first = {"Jörg", "Anna", "Müller-Lüdenscheidt", "Zoë", "Hans", "Grete"};
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("Telefon;Vorname;Nachname;Quelle;Einwilligung_Datum;Kundennummer\r\n");
      for (int i = 0; i < rows; i++) {
        out.write(number(i));
        out.write(';');
        out.write(first[i % first.length]);
        out.write(";Nachname ");
        out.write(Integer.toString(i));
        out.write(";\"Messe; Halle 3\";2026-03-01 14:30;K");
        out.write(Integer.toString(i));
        out.write("\r\n");
      }
    }
  }

  /**
   * CPU time of the whole JVM (all threads: GC, JIT, H2's writer): less moved than wall time by
   * other work on a shared machine, though not unaffected by it.
   */
  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The heap in use just before each collection (the most it held between two) and now, for the
   * import: the real peak, where the heap pools' own peaks, summed, overstate it (the young pools
   * peak at different times; in a 256 MiB heap that sum came to 414 MiB).
   */
  private static final class HeapPeak implements AutoCloseable {
    private final List<Runnable> unsubscribe = new ArrayList<>();
    private final AtomicLong peak = new AtomicLong();
    private final Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());

    HeapPeak() {
      NotificationListener listener =
          (notification, handback) -> {
            if (notification
                .getType()
                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
              var info =
                  GarbageCollectionNotificationInfo.from(
                      (CompositeData) notification.getUserData());
              peak.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
            }
          };
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (collector instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(listener, null, null);
          unsubscribe.add(
              () -> {
                try {
                  emitter.removeNotificationListener(listener);
                } catch (ListenerNotFoundException e) {
                  // already gone
                }
              });
        }
      }
    }

    /**
     * The heap pools' use in a collection's before or after map (it has metaspace and code too).
     */
    private long heapUsed(Map<String, MemoryUsage> pools) {
      long used = 0;
      for (var pool : pools.entrySet()) {
        if (heapPools.contains(pool.getKey())) {
          used += pool.getValue().getUsed();
        }
      }
      return used;
    }

    long bytes() {
      return Math.max(
          peak.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    @Override
    public void close() {
      unsubscribe.forEach(Runnable::run);
    }
  }
}
