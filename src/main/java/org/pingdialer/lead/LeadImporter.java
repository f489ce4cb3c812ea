package org.pingdialer.lead;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Imports a lead file into a lead list: reads it as a stream (a million rows never sit in memory),
 * parses every number with libphonenumber in the list's region, drops duplicates (within the file
 * and against the list) and numbers on a DNC list, and stores the rest as one import: in committed
 * chunks that no query sees until the import is marked done (see {@link LeadStore.ImportSession}).
 *
 * <p>Two threads share the work: the caller's thread reads and parses (libphonenumber is the costly
 * part), a writer thread checks DNC and stores batches, with a short bounded queue between them, so
 * the import takes about as long as the slower of the two instead of their sum.
 *
 * <p>All or nothing: a row with an invalid or paid number (or a broken row) fails the whole import
 * and the store is left as it was, unless {@link Options#skipInvalid()} asks to leave such rows
 * out. Duplicates and DNC numbers are not errors: bought data always has them; they are counted.
 */
public final class LeadImporter {
  /** Leads per store batch, and per DNC lookup. */
  private static final int BATCH = 1_000;

  /** Per-row errors kept for the report; the counts still cover every row. */
  static final int MAX_REPORTED_ERRORS = 1_000;

  private final LeadStore store;
  private final Clock clock;

  public LeadImporter(LeadStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * What to import and how.
   *
   * @param region ISO region for numbers written without a country code, e.g. {@code DE}
   * @param delimiter the field separator, or empty to detect it
   * @param encoding the file's character set, or empty to detect it
   * @param mapping header name → field, on top of the usual header names
   * @param dncLists DNC lists to scrub against besides the global one
   * @param skipInvalid import the good rows and leave invalid ones out instead of failing
   */
  public record Options(
      String list,
      String region,
      Optional<Character> delimiter,
      Optional<Charset> encoding,
      Map<String, LeadField> mapping,
      List<String> dncLists,
      boolean skipInvalid) {
    public Options {
      mapping = Map.copyOf(mapping);
      dncLists = List.copyOf(dncLists);
    }
  }

  /** Told about progress every few thousand rows, on the importing thread. */
  public interface Progress {
    void update(long rows, long bytesRead, long fileSize);

    Progress NONE = (rows, bytesRead, fileSize) -> {};
  }

  /**
   * Imports {@code file}.
   *
   * @throws LeadFileException when the file cannot be read as a lead file at all (empty, binary, no
   *     phone column, broken quoting, wrong encoding); nothing is stored then
   */
  public ImportReport importFile(Path file, Options options, Progress progress)
      throws LeadFileException {
    return importFile(file, file.toString(), options, progress);
  }

  /**
   * Imports {@code file} under the name {@code name} (in errors, the report and the import's
   * record): the API stores a request body in a temporary file whose path means nothing to the
   * caller and is not theirs to see.
   */
  public ImportReport importFile(Path file, String name, Options options, Progress progress)
      throws LeadFileException {
    PhoneNumbers numbers = new PhoneNumbers(options.region());
    ZoneId regionZone =
        NumberTimezones.instance().zonesOf(options.region()).stream()
            .findFirst()
            .orElse(ZoneId.of("UTC"));
    CsvFormat format = CsvFormat.detect(file, name, options.delimiter(), options.encoding());
    Instant now = clock.instant();
    var tally = new Tally();
    try (LeadRows rows = LeadRows.open(file, name, format, options.mapping());
        LeadStore.ImportSession session =
            store.beginImport(options.list(), options.region(), name, now)) {
      NumberSet seen = new NumberSet();
      session.forEachExistingNumber(seen::add);
      var writer = new BatchWriter(session, options, tally);
      Thread writing = Thread.ofPlatform().name("lead-import-writer").start(writer);
      try {
        List<NewLead> batch = new ArrayList<>(BATCH);
        for (Optional<LeadRow> next = rows.next(); next.isPresent(); next = rows.next()) {
          LeadRow row = next.get();
          tally.rows++;
          Optional<NewLead> lead = toLead(row, numbers, regionZone, tally);
          if (lead.isPresent() && !seen.add(lead.get().number().e164())) {
            tally.duplicates++;
            lead = Optional.empty();
          }
          if (failing(options, tally)) {
            // An all-or-nothing import has failed: the rest is read and checked so the report
            // covers the whole file, but not stored (the transaction is rolled back anyway).
            writer.stopStoring();
          }
          if (lead.isPresent()) {
            batch.add(lead.get());
            if (batch.size() == BATCH) {
              writer.hand(batch);
              batch = new ArrayList<>(BATCH);
            }
          }
          if (tally.rows % 5_000 == 0) {
            progress.update(tally.rows, rows.bytesRead(), rows.fileSize());
          }
        }
        progress.update(tally.rows, rows.bytesRead(), rows.fileSize());
        writer.hand(batch);
      } finally {
        writer.finish(writing);
        joinUninterruptibly(writing);
      }
      writer.rethrowFailure();
      boolean failed = failing(options, tally);
      Optional<Long> importId = Optional.empty();
      if (!failed && tally.rows > 0) {
        importId = Optional.of(session.commit(tally.counts()));
      }
      return new ImportReport(
          options.list(),
          name,
          format,
          tally.rows,
          failed ? 0 : tally.imported,
          tally.duplicates,
          tally.invalid,
          tally.premium,
          tally.dnc,
          List.copyOf(tally.errors),
          tally.errorsLeftOut,
          importId,
          failed);
    }
  }

  private static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The writer thread: the only user of the import session after set-up. Its counts ({@code dnc},
   * {@code imported}) are read by the caller only after joining it.
   */
  private static final class BatchWriter implements Runnable {
    private static final List<NewLead> END = List.of();

    /** Two batches in flight at most: memory stays flat whatever the file size. */
    private final BlockingQueue<List<NewLead>> queue = new ArrayBlockingQueue<>(2);

    private final LeadStore.ImportSession session;
    private final Options options;
    private final Tally tally;
    private volatile boolean storing = true;
    private volatile RuntimeException failure;

    BatchWriter(LeadStore.ImportSession session, Options options, Tally tally) {
      this.session = session;
      this.options = options;
      this.tally = tally;
    }

    void stopStoring() {
      storing = false;
    }

    /** Hands a batch over; fails at once if the writer has failed. */
    void hand(List<NewLead> batch) {
      if (batch.isEmpty()) {
        return;
      }
      try {
        while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
          rethrowFailure();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("lead import interrupted", e);
      }
      rethrowFailure();
    }

    /**
     * Tells the writer there is no more; waits while the queue is full (the writer drains it, even
     * after a failure), but not for a writer thread that is gone.
     */
    void finish(Thread writing) {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            if (queue.offer(END, 100, TimeUnit.MILLISECONDS) || !writing.isAlive()) {
              return;
            }
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void rethrowFailure() {
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public void run() {
      try {
        for (List<NewLead> batch = queue.take(); batch != END; batch = queue.take()) {
          store(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure = e;
        // Keep draining so the reader never blocks on a full queue.
        drainUntilEnd();
      }
    }

    private void drainUntilEnd() {
      try {
        while (queue.take() != END) {
          // dropped: the import fails with the writer's error
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void store(List<NewLead> batch) {
      Set<String> onDnc =
          session.onDnc(batch.stream().map(l -> l.number().e164()).toList(), options.dncLists());
      List<NewLead> allowed =
          onDnc.isEmpty()
              ? batch
              : batch.stream().filter(l -> !onDnc.contains(l.number().e164())).toList();
      tally.dnc += batch.size() - allowed.size();
      if (storing) {
        session.add(allowed);
        tally.imported += allowed.size();
      }
    }
  }

  private static boolean failing(Options options, Tally tally) {
    return !options.skipInvalid() && tally.rejected() > 0;
  }

  private static Optional<NewLead> toLead(
      LeadRow row, PhoneNumbers numbers, ZoneId regionZone, Tally tally) {
    if (row.problem().isPresent()) {
      tally.invalid(row.line(), row.problem().get());
      return Optional.empty();
    }
    PhoneNumber number;
    switch (numbers.parse(row.phone())) {
      case PhoneNumbers.Parsed.Valid valid -> number = valid.number();
      case PhoneNumbers.Parsed.Rejected rejected -> {
        String reason =
            "phone '" + LeadFileException.excerpt(rejected.input()) + "': " + rejected.reason();
        if (rejected.paid()) {
          tally.premium(row.line(), reason);
        } else {
          tally.invalid(row.line(), reason);
        }
        return Optional.empty();
      }
    }
    Optional<String> consentAtText = field(row, LeadField.CONSENT_AT);
    Optional<Instant> consentAt = Optional.empty();
    if (consentAtText.isPresent()) {
      consentAt = ConsentTimes.parse(consentAtText.get(), regionZone);
      if (consentAt.isEmpty()) {
        tally.invalid(
            row.line(),
            "consent time '"
                + LeadFileException.excerpt(consentAtText.get())
                + "' is not a date; write 2026-03-01, 2026-03-01 14:30 or 01.03.2026 14:30");
        return Optional.empty();
      }
    }
    var contact =
        new Contact(
            field(row, LeadField.FIRST_NAME),
            field(row, LeadField.LAST_NAME),
            field(row, LeadField.NAME),
            field(row, LeadField.EMAIL),
            field(row, LeadField.SOURCE),
            field(row, LeadField.CONSENT),
            consentAt);
    return Optional.of(new NewLead(row.line(), number, contact, row.attributes()));
  }

  private static Optional<String> field(LeadRow row, LeadField field) {
    return Optional.ofNullable(row.fields().get(field)).filter(v -> !v.isBlank());
  }

  /**
   * The running counts of one import. The reader owns the row counts, the writer {@code dnc} and
   * {@code imported}; the reader reads the writer's after joining it.
   */
  private static final class Tally {
    long rows;
    long imported;
    long duplicates;
    long invalid;
    long premium;
    long dnc;
    long errorsLeftOut;
    final List<ImportReport.RowError> errors = new ArrayList<>();

    long rejected() {
      return invalid + premium;
    }

    void invalid(long line, String reason) {
      invalid++;
      error(line, reason);
    }

    void premium(long line, String reason) {
      premium++;
      error(line, reason);
    }

    private void error(long line, String reason) {
      if (errors.size() < MAX_REPORTED_ERRORS) {
        errors.add(new ImportReport.RowError(line, reason));
      } else {
        errorsLeftOut++;
      }
    }

    LeadStore.ImportCounts counts() {
      return new LeadStore.ImportCounts(rows, imported, duplicates, invalid, premium, dnc);
    }
  }
}
