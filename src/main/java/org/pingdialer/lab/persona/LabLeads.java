package org.pingdialer.lab.persona;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.lead.ImportReport;
import org.pingdialer.lead.LeadFileException;
import org.pingdialer.lead.LeadImporter;
import org.pingdialer.lead.LeadStore;

/**
 * A lab controller's first leads: a bought list drawn from a persona mix, as the demo draws it, and
 * imported into the campaign's first list — only while that list is empty, so a restarted lab
 * controller goes on with the leads it has. The Docker stack has no step where a person imports a
 * list (its controller holds the embedded database), so its controller seeds itself.
 */
public final class LabLeads {
  /** The lab numbers are German, like the simulated network's number plan. */
  private static final String REGION = "DE";

  private LabLeads() {}

  /**
   * Draws {@code count} leads from {@code personaMix} and imports them into {@code list} if that
   * list holds no lead yet; the CSV stays in {@code workDir} for a look at what was bought.
   *
   * @return the import's report, or empty when the list already had leads
   */
  public static Optional<ImportReport> seedIfEmpty(
      LeadStore leads, String list, Path personaMix, int count, Path workDir, Clock clock)
      throws IOException, LeadFileException, PersonaMixException {
    long present = leads.countByState(list).values().stream().mapToLong(Long::longValue).sum();
    if (present > 0) {
      return Optional.empty();
    }
    var rows =
        BoughtList.generate(PersonaMix.load(personaMix), count, clock.millis(), clock.instant());
    Files.createDirectories(workDir);
    Path csv = workDir.resolve("lab-leads.csv");
    try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      BoughtList.writeCsv(rows, writer);
    }
    return Optional.of(
        new LeadImporter(leads, clock)
            .importFile(
                csv,
                new LeadImporter.Options(
                    list, REGION, Optional.empty(), Optional.empty(), Map.of(), List.of(), false),
                LeadImporter.Progress.NONE));
  }
}
