package org.pingdialer.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
public final class LeadImportBench {
  private LeadImportBench() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    boolean warm = args.length <= 1 || args[1].equals("warm");
    if (args.length > 1 && !args[1].equals("warm") && !args[1].equals("cold")) {
      throw new IllegalArgumentException("mode must be warm or cold, was " + args[1]);
    }
    Path work = Path.of("target/bench-import");
    Files.createDirectories(work);
    Path csv = work.resolve("leads-" + rows + ".csv");
    List<String> numbers = generate(csv, rows);
    System.err.printf("generated %s (%,d bytes)%n", csv, Files.size(csv));

    // Parse-only: the same number strings, in memory, through the same PhoneNumbers.
    var phoneNumbers = new PhoneNumbers("DE");
    for (int i = 0; i < Math.min(50_000, numbers.size()); i++) {
      phoneNumbers.parse(numbers.get(i)); // warm-up
    }
    long parseStart = System.nanoTime();
    long parseCpuStart = processCpuNanos();
    int valid = 0;
    for (String number : numbers) {
      if (phoneNumbers.parse(number) instanceof PhoneNumbers.Parsed.Valid) {
        valid++;
      }
    }
    double parseSeconds = (System.nanoTime() - parseStart) / 1e9;
    double parseCpuSeconds = (processCpuNanos() - parseCpuStart) / 1e9;
    numbers = null; // the import must not be helped by the parse pass's strings
    if (warm) {
      Path warmCsv = work.resolve("warm-up-50000.csv");
      generate(warmCsv, 50_000);
      try (Database scratch = Database.embedded(work.resolve("h2-warm-" + System.nanoTime()))) {
        new LeadImporter(new JdbcLeadStore(scratch), Clock.systemUTC())
            .importFile(
                warmCsv,
                new LeadImporter.Options(
                    "warm-up",
                    "DE",
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(),
                    List.of(),
                    false),
                LeadImporter.Progress.NONE);
      }
    }
    System.gc();

    Path dataDir = work.resolve("h2-" + System.nanoTime());
    resetPeaks();
    long importStart = System.nanoTime();
    long importCpuStart = processCpuNanos();
    ImportReport report;
    try (Database database = Database.embedded(dataDir)) {
      var importer = new LeadImporter(new JdbcLeadStore(database), Clock.systemUTC());
      report =
          importer.importFile(
              csv,
              new LeadImporter.Options(
                  "bench", "DE", Optional.empty(), Optional.empty(), Map.of(), List.of(), false),
              LeadImporter.Progress.NONE);
    }
    double importSeconds = (System.nanoTime() - importStart) / 1e9;
    double importCpuSeconds = (processCpuNanos() - importCpuStart) / 1e9;
    long peakHeap = peakHeapBytes();
    if (report.failed() || report.imported() + report.duplicates() != rows) {
      throw new IllegalStateException("import did not account for every row: " + report.toText());
    }
    System.err.print(report.toText());
    System.out.println(
        "| import | rows | valid parsed | parse-only s | import s | import rows/s | import ÷ parse"
            + " | peak heap MiB | max heap MiB | parse CPU s | import CPU s | CPU import ÷ parse |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    System.out.printf(
        "| %s | %,d | %,d | %.1f | %.1f | %,.0f | %.2f | %d | %d | %.1f | %.1f | %.2f |%n",
        warm ? "warm" : "cold",
        rows,
        valid,
        parseSeconds,
        importSeconds,
        rows / importSeconds,
        importSeconds / parseSeconds,
        peakHeap / (1024 * 1024),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        parseCpuSeconds,
        importCpuSeconds,
        importCpuSeconds / parseCpuSeconds);
  }

  private static List<String> generate(Path csv, int rows) throws IOException {
    List<String> numbers = new ArrayList<>(rows);
    String[] first = {"Jörg", "Anna", "Müller-Lüdenscheidt", "Zoë", "Hans", "Grete"};
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write("Telefon;Vorname;Nachname;Quelle;Einwilligung_Datum;Kundennummer\r\n");
      for (int i = 0; i < rows; i++) {
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
        numbers.add(number);
        out.write(number);
        out.write(';');
        out.write(first[i % first.length]);
        out.write(";Nachname ");
        out.write(Integer.toString(i));
        out.write(";\"Messe; Halle 3\";2026-03-01 14:30;K");
        out.write(Integer.toString(i));
        out.write("\r\n");
      }
    }
    return numbers;
  }

  /**
   * CPU time of the whole JVM (all threads: GC, JIT, H2's writer): less moved than wall time by
   * other work on a shared machine, though not unaffected by it.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /** Sum of the heap pools' peaks since the reset: an upper bound of the import's heap use. */
  private static long peakHeapBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
