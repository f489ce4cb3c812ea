package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The importer's counting, scrubbing and all-or-nothing rules, on the in-memory store. */
class LeadImporterTest {
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  @TempDir Path dir;

  private final InMemoryLeadStore store = new InMemoryLeadStore();
  private final LeadImporter importer = new LeadImporter(store, Clock.fixed(NOW, ZoneOffset.UTC));

  private static LeadImporter.Options options(String list, boolean skipInvalid) {
    return new LeadImporter.Options(
        list, "DE", Optional.empty(), Optional.empty(), Map.of(), List.of(), skipInvalid);
  }

  private Path file(String name, String text, Charset charset) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, text.getBytes(charset));
    return file;
  }

  @Test
  void aCleanFileIsImportedWithContactConsentAndAttributes() throws Exception {
    Path file =
        file(
            "clean.csv",
            String.join(
                "\r\n",
                "Telefon;Vorname;Nachname;Quelle;Einwilligung;Einwilligung_Datum;PLZ",
                "030 1234567;Jörg;Müller;Messe;ja;01.03.2026 14:30;10115",
                "0151 23456789;Anna;Größe;Web;;;",
                ""),
            Charset.forName("windows-1252"));

    ImportReport report =
        importer.importFile(file, options("summer", false), LeadImporter.Progress.NONE);

    assertThat(report.failed()).isFalse();
    assertThat(report.rows()).isEqualTo(2);
    assertThat(report.imported()).isEqualTo(2);
    assertThat(report.errors()).isEmpty();
    List<Lead> leads = store.leadsOf("summer", 10);
    assertThat(leads).extracting(Lead::e164).containsExactly("+49301234567", "+4915123456789");
    Lead first = leads.getFirst();
    assertThat(first.line()).isEqualTo(2);
    assertThat(first.contact().lastName()).contains("Müller");
    assertThat(first.contact().source()).contains("Messe");
    assertThat(first.contact().consent()).contains("ja");
    assertThat(first.contact().consentAt()).contains(Instant.parse("2026-03-01T13:30:00Z"));
    assertThat(store.attributesOf(first.id())).containsExactlyEntriesOf(Map.of("PLZ", "10115"));
    assertThat(leads.get(1).type()).isEqualTo(PhoneNumber.Type.MOBILE);
    assertThat(leads.get(1).contact().lastName()).contains("Größe");
    assertThat(leads.get(1).contact().consentAt()).isEmpty();
  }

  @Test
  void duplicatesWithinTheFileAndAgainstTheListAreCountedNotImported() throws Exception {
    importer.importFile(
        file("first.csv", "phone\n030 1111111\n", StandardCharsets.UTF_8),
        options("summer", false),
        LeadImporter.Progress.NONE);

    ImportReport report =
        importer.importFile(
            file(
                "second.csv",
                "phone\n+49 30 1111111\n030 2222222\n030/222 22 22\n0049 30 3333333\n",
                StandardCharsets.UTF_8),
            options("summer", false),
            LeadImporter.Progress.NONE);

    assertThat(report.rows()).isEqualTo(4);
    assertThat(report.duplicates()).isEqualTo(2);
    assertThat(report.imported()).isEqualTo(2);
    assertThat(store.leadsOf("summer", 10))
        .extracting(Lead::e164)
        .containsExactly("+49301111111", "+49302222222", "+49303333333");
    // Another list may hold the same number: dedupe is per list.
    ImportReport other =
        importer.importFile(
            file("other.csv", "phone\n030 1111111\n", StandardCharsets.UTF_8),
            options("autumn", false),
            LeadImporter.Progress.NONE);
    assertThat(other.imported()).isEqualTo(1);
  }

  @Test
  void numbersOnTheGlobalOrAGivenDncListAreScrubbed() throws Exception {
    store.addDnc(LeadStore.GLOBAL_DNC, List.of("+49301111111"), "opt-out", NOW);
    store.addDnc("summer-dnc", List.of("+49302222222"), "asked", NOW);
    Path file =
        file("leads.csv", "phone\n030 1111111\n030 2222222\n030 3333333\n", StandardCharsets.UTF_8);

    ImportReport withoutList =
        importer.importFile(file, options("a", false), LeadImporter.Progress.NONE);
    assertThat(withoutList.dnc()).isEqualTo(1);
    assertThat(withoutList.imported()).isEqualTo(2);

    var withList =
        new LeadImporter.Options(
            "b", "DE", Optional.empty(), Optional.empty(), Map.of(), List.of("summer-dnc"), false);
    ImportReport report = importer.importFile(file, withList, LeadImporter.Progress.NONE);
    assertThat(report.dnc()).isEqualTo(2);
    assertThat(store.leadsOf("b", 10)).extracting(Lead::e164).containsExactly("+49303333333");
  }

  @Test
  void aBrokenRowInTheMiddleFailsTheWholeImportAndReportsEveryBadLine() throws Exception {
    importer.importFile(
        file("before.csv", "phone\n030 9999999\n", StandardCharsets.UTF_8),
        options("summer", false),
        LeadImporter.Progress.NONE);
    StringBuilder text = new StringBuilder("phone,name\n");
    for (int i = 0; i < 2500; i++) {
      text.append("030 1").append(String.format("%06d", i)).append(",Lead ").append(i).append('\n');
      if (i == 1200) {
        text.append("hello,not a number\n"); // line 1203
        text.append("0900 1234567,premium\n"); // line 1204
      }
    }
    text.append("030 12,too short\n"); // line 2504

    ImportReport report =
        importer.importFile(
            file("broken.csv", text.toString(), StandardCharsets.UTF_8),
            options("summer", false),
            LeadImporter.Progress.NONE);

    assertThat(report.failed()).isTrue();
    assertThat(report.imported()).isZero();
    assertThat(report.rows()).isEqualTo(2503);
    assertThat(report.invalid()).isEqualTo(2);
    assertThat(report.premium()).isEqualTo(1);
    assertThat(report.errors())
        .extracting(ImportReport.RowError::line)
        .containsExactly(1203L, 1204L, 2504L);
    assertThat(report.errors().get(1).reason())
        .isEqualTo("phone '0900 1234567': a premium rate number is never dialed");
    assertThat(report.toText()).contains("FAILED: nothing was imported");
    // The list holds what it held before, nothing of the failed file.
    assertThat(store.leadsOf("summer", 10_000))
        .extracting(Lead::e164)
        .containsExactly("+49309999999");
  }

  @Test
  void skipInvalidImportsTheGoodRowsAndListsTheBadOnes() throws Exception {
    Path file =
        file(
            "mixed.csv",
            "phone,consent_at\n030 1111111,2026-03-01\nhello,\n030 2222222,someday\n0900 1234567,\n030 3333333,\n",
            StandardCharsets.UTF_8);

    ImportReport report =
        importer.importFile(file, options("summer", true), LeadImporter.Progress.NONE);

    assertThat(report.failed()).isFalse();
    assertThat(report.imported()).isEqualTo(2);
    assertThat(report.invalid()).isEqualTo(2);
    assertThat(report.premium()).isEqualTo(1);
    assertThat(report.errors())
        .extracting(e -> e.line() + ": " + e.reason())
        .containsExactly(
            "3: phone 'hello': not a phone number (The string supplied did not seem to be a phone number.)",
            "4: consent time 'someday' is not a date; write 2026-03-01, 2026-03-01 14:30 or"
                + " 01.03.2026 14:30",
            "5: phone '0900 1234567': a premium rate number is never dialed");
    assertThat(store.leadsOf("summer", 10))
        .extracting(Lead::e164)
        .containsExactly("+49301111111", "+49303333333");
  }

  @Test
  void aHeaderOnlyFileImportsNothingWithoutError() throws Exception {
    ImportReport report =
        importer.importFile(
            file("header.csv", "phone;name\r\n", StandardCharsets.UTF_8),
            options("summer", false),
            LeadImporter.Progress.NONE);
    assertThat(report.failed()).isFalse();
    assertThat(report.rows()).isZero();
    assertThat(report.importId()).isEmpty();
    assertThat(report.toText()).startsWith("No data rows in ");
  }

  @Test
  void anEmptyOrBinaryFileIsRefusedBeforeAnythingIsStored() throws Exception {
    Path empty = file("empty.csv", "", StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> importer.importFile(empty, options("summer", false), LeadImporter.Progress.NONE))
        .isInstanceOf(LeadFileException.class)
        .hasMessageContaining("empty");
    Path binary = dir.resolve("leads.xlsx");
    Files.write(binary, new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0, 0, 0, 33, 0});
    assertThatThrownBy(
            () -> importer.importFile(binary, options("summer", false), LeadImporter.Progress.NONE))
        .isInstanceOf(LeadFileException.class)
        .hasMessageContaining("not a text CSV file");
    assertThat(store.leadsOf("summer", 10)).isEmpty();
  }

  @Test
  void progressIsReportedWhileReading() throws Exception {
    StringBuilder text = new StringBuilder("phone\n");
    for (int i = 0; i < 12_000; i++) {
      text.append("030 1").append(String.format("%06d", i)).append('\n');
    }
    Path file = file("big.csv", text.toString(), StandardCharsets.UTF_8);
    List<long[]> updates = new ArrayList<>();
    importer.importFile(
        file,
        options("summer", false),
        (rows, read, size) -> updates.add(new long[] {rows, read, size}));
    assertThat(updates).extracting(u -> u[0]).containsExactly(5_000L, 10_000L, 12_000L);
    assertThat(updates.getLast()[1]).isEqualTo(Files.size(file));
    assertThat(updates.getLast()[2]).isEqualTo(Files.size(file));
  }

  @Test
  void aSlowStoreLosesNoBatchWhenTheReaderFinishesFirst() throws Exception {
    // The reader runs ahead and finishes while the hand-over queue is full: every batch must
    // still be stored (a first version dropped one to make room for the end marker).
    LeadStore slow =
        new LeadStoreDelegate(store) {
          @Override
          public ImportSession beginImport(String list, String region, String file, Instant at) {
            ImportSession inner = super.beginImport(list, region, file, at);
            return new LeadStoreDelegate.ImportSessionDelegate(inner) {
              @Override
              public void add(List<NewLead> leads) {
                try {
                  Thread.sleep(150);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                super.add(leads);
              }
            };
          }
        };
    StringBuilder text = new StringBuilder("phone\n");
    for (int i = 0; i < 5_500; i++) {
      text.append("030 1").append(String.format("%06d", i)).append('\n');
    }
    ImportReport report =
        new LeadImporter(slow, Clock.fixed(NOW, ZoneOffset.UTC))
            .importFile(
                file("many.csv", text.toString(), StandardCharsets.UTF_8),
                options("summer", false),
                LeadImporter.Progress.NONE);
    assertThat(report.imported()).isEqualTo(5_500);
    assertThat(store.leadsOf("summer", 10_000)).hasSize(5_500);
  }
}
