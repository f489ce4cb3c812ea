package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lead files as people really have them: the CSV reader, format detection and column mapping. */
class LeadFileReadingTest {
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  @TempDir Path dir;

  private Path file(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private Path file(String name, String text, Charset charset) throws IOException {
    return file(name, text.getBytes(charset));
  }

  private static List<CsvRecord> records(String text, char delimiter) throws LeadFileException {
    List<CsvRecord> records = new ArrayList<>();
    var reader = new CsvReader(new StringReader(text), delimiter, "test.csv");
    for (var next = reader.next(); next.isPresent(); next = reader.next()) {
      records.add(next.get());
    }
    return records;
  }

  private static CsvFormat detect(Path file) throws LeadFileException {
    return CsvFormat.detect(file, Optional.empty(), Optional.empty());
  }

  private static List<LeadRow> rows(Path file) throws LeadFileException {
    List<LeadRow> rows = new ArrayList<>();
    try (var leadRows = LeadRows.open(file, detect(file), Map.of())) {
      for (var next = leadRows.next(); next.isPresent(); next = leadRows.next()) {
        rows.add(next.get());
      }
    }
    return rows;
  }

  // ---- the CSV reader

  @Test
  void quotedFieldsKeepDelimitersQuotesAndLineBreaksAndLinesAreCountedRight() throws Exception {
    String text =
        "phone,name,note\r\n"
            + "030 1111111,\"Müller, Jörg\",\"said \"\"call later\"\"\"\r\n"
            + "030 2222222,\"two\r\nline\nname\",x\r\n"
            + "\r\n"
            + "030 3333333,last,\n";

    List<CsvRecord> records = records(text, ',');

    assertThat(records)
        .containsExactly(
            new CsvRecord(1, List.of("phone", "name", "note")),
            new CsvRecord(2, List.of("030 1111111", "Müller, Jörg", "said \"call later\"")),
            new CsvRecord(3, List.of("030 2222222", "two\r\nline\nname", "x")),
            new CsvRecord(7, List.of("030 3333333", "last", "")));
  }

  @Test
  void lineEndsMayBeLfCrlfOrALoneCrAndTheLastMayBeMissing() throws Exception {
    assertThat(records("a;b\rc;d\r\ne;f\ng;h", ';'))
        .extracting(CsvRecord::line, r -> r.fields().getFirst())
        .containsExactly(
            Tuple.tuple(1L, "a"), Tuple.tuple(2L, "c"), Tuple.tuple(3L, "e"), Tuple.tuple(4L, "g"));
  }

  @Test
  void aStrayQuoteInsideAnUnquotedFieldIsKept() throws Exception {
    assertThat(records("size,phone\n12\" display,030 1111111\n", ',').get(1).fields())
        .containsExactly("12\" display", "030 1111111");
  }

  @Test
  void anUnterminatedQuoteNamesTheLineWhereItOpened() {
    assertThatThrownBy(() -> records("phone,name\n030 1,ok\n030 2,\"never closed\n030 3,x\n", ','))
        .isInstanceOf(LeadFileException.class)
        .hasMessage(
            "test.csv line 3: a quoted field opened here never closes; check for a missing \" (a"
                + " quote inside a quoted field is written as \"\")")
        .extracting(e -> ((LeadFileException) e).line())
        .isEqualTo(3L);
  }

  @Test
  void readsAcrossBufferBoundaries() throws Exception {
    StringBuilder text = new StringBuilder("phone;note\r\n");
    for (int i = 0; i < 20_000; i++) {
      text.append("030 ").append(1_000_000 + i).append(";\"x;\r\ny\"\r\n");
    }
    List<CsvRecord> records = records(text.toString(), ';');
    assertThat(records).hasSize(20_001);
    assertThat(records.getLast())
        .isEqualTo(new CsvRecord(2 + 2 * 19_999, List.of("030 " + 1_019_999, "x;\r\ny")));
  }

  /**
   * Fields of every length, empty ones, stray quotes, quoted ones and all three line ends, so that
   * the 64 KiB buffer's end falls at every place in a field and a line end at least once: each
   * record must read as written.
   */
  @Test
  void everyKindOfFieldReadsTheSameWhereverTheBufferEnds() throws Exception {
    StringBuilder text = new StringBuilder();
    String[] ends = {"\r\n", "\n", "\r"};
    long line = 1;
    List<CsvRecord> expected = new ArrayList<>();
    for (int i = 0; expected.size() < 20_000; i++) {
      List<String> fields =
          List.of(
              "x".repeat(i % 37),
              i % 5 == 0 ? "" : "0" + i,
              i % 7 == 0 ? "12\" display" : "plain " + i,
              i % 11 == 0 ? "a;b\r\nc \"q\"" : "z".repeat(i % 3));
      expected.add(new CsvRecord(line, fields));
      line += i % 11 == 0 ? 2 : 1; // the quoted line break counts
      for (int f = 0; f < fields.size(); f++) {
        String value = fields.get(f);
        boolean quote = value.contains(";") || value.contains("\n");
        text.append(f == 0 ? "" : ";")
            .append(quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
      }
      text.append(ends[i % 3]);
    }
    assertThat(text.length()).isGreaterThan(10 * 64 * 1024);

    List<CsvRecord> records = records(text.toString(), ';');

    assertThat(records).containsExactlyElementsOf(expected);
  }

  // ---- format detection

  @ParameterizedTest(name = "[{index}] delimiter ''{0}''")
  @ValueSource(chars = {',', ';', '\t', '|'})
  void eachDelimiterIsDetected(char delimiter) throws Exception {
    String d = String.valueOf(delimiter);
    Path file =
        file(
            "d.csv",
            String.join(d, "phone", "name", "city")
                + "\n"
                + String.join(d, "030 1111111", "\"A, B; C | D\"", "Köln")
                + "\n"
                + String.join(d, "030 2222222", "E", "Bonn")
                + "\n",
            StandardCharsets.UTF_8);
    assertThat(detect(file).delimiter()).isEqualTo(delimiter);
  }

  @Test
  void delimitersInsideQuotesDoNotCount() throws Exception {
    Path file =
        file(
            "q.csv",
            "phone;name\n030 1111111;\"Müller, Jörg, Dr.\"\n030 2222222;\"Größe, A.\"\n",
            StandardCharsets.UTF_8);
    assertThat(detect(file).delimiter()).isEqualTo(';');
  }

  @Test
  void aSingleColumnFileGetsAComma() throws Exception {
    assertThat(detect(file("one.csv", "phone\n030 1111111\n", StandardCharsets.UTF_8)).delimiter())
        .isEqualTo(',');
  }

  @Test
  void utf8WithAndWithoutBomAndWindows1252AreDetectedAndDecoded() throws Exception {
    String text = "Telefon;Nachname\r\n030 1111111;Müller\r\n030 2222222;Größe\r\n";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[utf8.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(utf8, 0, withBom, 3, utf8.length);

    Path bom = file("bom.csv", withBom);
    assertThat(detect(bom)).isEqualTo(new CsvFormat(';', StandardCharsets.UTF_8, true));
    assertThat(rows(bom))
        .extracting(r -> r.fields().get(LeadField.LAST_NAME))
        .containsExactly("Müller", "Größe");

    Path plain = file("plain.csv", utf8);
    assertThat(detect(plain)).isEqualTo(new CsvFormat(';', StandardCharsets.UTF_8, false));

    Path excel = file("excel.csv", text, WINDOWS_1252);
    assertThat(detect(excel)).isEqualTo(new CsvFormat(';', WINDOWS_1252, false));
    assertThat(rows(excel))
        .extracting(r -> r.fields().get(LeadField.LAST_NAME))
        .containsExactly("Müller", "Größe");
  }

  @Test
  void iso88591GivenExplicitlyIsUsed() throws Exception {
    Path file = file("latin1.csv", "phone,name\n030 1111111,Müßig\n", StandardCharsets.ISO_8859_1);
    CsvFormat format =
        CsvFormat.detect(file, Optional.empty(), Optional.of(StandardCharsets.ISO_8859_1));
    assertThat(format.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    try (var rows = LeadRows.open(file, format, Map.of())) {
      assertThat(rows.next().orElseThrow().fields()).containsEntry(LeadField.NAME, "Müßig");
    }
  }

  @Test
  void aMultibyteCharacterCutAtTheSampleEndIsStillUtf8() throws Exception {
    // Fill the sample so that the 2-byte 'ü' starts on its last byte.
    StringBuilder text = new StringBuilder("phone,name\n");
    while (text.toString().getBytes(StandardCharsets.UTF_8).length < CsvFormat.SAMPLE_BYTES - 30) {
      text.append("030 1111111,Meier\n");
    }
    while (text.toString().getBytes(StandardCharsets.UTF_8).length < CsvFormat.SAMPLE_BYTES - 1) {
      text.append('x');
    }
    text.append("ü\n030 2222222,Müller\n");
    Path file = file("cut.csv", text.toString(), StandardCharsets.UTF_8);
    assertThat(detect(file).charset()).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void aBadByteFarAfterTheSampleNamesItsLineAndTheFix() throws Exception {
    var bytes = new ByteArrayOutputStream();
    bytes.writeBytes("phone,name\n".getBytes(StandardCharsets.UTF_8));
    int lines = 1;
    while (bytes.size() < 3 * CsvFormat.SAMPLE_BYTES) {
      bytes.writeBytes("030 1111111,Müller\n".getBytes(StandardCharsets.UTF_8));
      lines++;
    }
    bytes.writeBytes("030 2222222,Gr".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xF6); // 'ö' in Windows-1252: not UTF-8
    bytes.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
    Path file = file("mixed.csv", bytes.toByteArray());
    long badLine = lines + 1L;

    assertThat(detect(file).charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> rows(file))
        .isInstanceOf(LeadFileException.class)
        .hasMessage(
            file
                + " line "
                + badLine
                + ": bytes that are not valid in the file's encoding; give the encoding, e.g."
                + " --encoding windows-1252 (Excel) or --encoding utf-8");
  }

  @Test
  void emptyBinaryAndUtf16FilesAreRefusedWithWhatToDo() throws Exception {
    Path empty = file("empty.csv", new byte[0]);
    assertThatThrownBy(() -> detect(empty))
        .hasMessage(
            empty
                + ": the file is empty; export the leads with a header line and import that file");
    Path blank = file("blank.csv", "\uFEFF  \r\n\r\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> detect(blank)).hasMessageContaining("the file is empty");

    Path xlsx = file("leads.xlsx", new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0});
    assertThatThrownBy(() -> detect(xlsx))
        .hasMessage(
            xlsx
                + ": this is not a text CSV file (found binary data at byte 5); export the sheet as"
                + " CSV (UTF-8) and import that");

    Path utf16 = file("unicode.txt", "phone\n030 1\n", StandardCharsets.UTF_16);
    assertThatThrownBy(() -> detect(utf16)).hasMessageContaining("the file is UTF-16");
  }

  // ---- header mapping and rows

  @Test
  void germanHeadersAreMappedAndOtherColumnsKeptAsAttributes() throws Exception {
    Path file =
        file(
            "de.csv",
            """
            Telefon;Vorname;Nachname;E-Mail;Quelle;Einwilligung;Einwilligung_Datum;Kundennr;Leer
            030 1111111;Jörg;Müller;jm@example.org;Messe;ja;01.03.2026;K-17;
            """,
            StandardCharsets.UTF_8);
    LeadRow row = rows(file).getFirst();
    assertThat(row.line()).isEqualTo(2);
    assertThat(row.phone()).isEqualTo("030 1111111");
    assertThat(row.fields())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                LeadField.PHONE, "030 1111111",
                LeadField.FIRST_NAME, "Jörg",
                LeadField.LAST_NAME, "Müller",
                LeadField.EMAIL, "jm@example.org",
                LeadField.SOURCE, "Messe",
                LeadField.CONSENT, "ja",
                LeadField.CONSENT_AT, "01.03.2026"));
    assertThat(row.attributes()).containsExactlyEntriesOf(Map.of("Kundennr", "K-17"));
    assertThat(row.problem()).isEmpty();
  }

  @Test
  void phoneBeatsMobileAndTheOtherIsKeptAsAnAttribute() throws Exception {
    Path file =
        file("two.csv", "Mobile,Phone\n0151 23456789,030 1111111\n", StandardCharsets.UTF_8);
    LeadRow row = rows(file).getFirst();
    assertThat(row.phone()).isEqualTo("030 1111111");
    assertThat(row.attributes()).containsExactlyEntriesOf(Map.of("Mobile", "0151 23456789"));
  }

  @Test
  void aMappingNamesTheColumnAndAnUnknownOneIsAnError() throws Exception {
    Path file = file("crm.csv", "Rufnr,Kunde\n030 1111111,Müller\n", StandardCharsets.UTF_8);
    var mapping = Map.of("rufnr", LeadField.PHONE, "KUNDE", LeadField.LAST_NAME);
    try (var rows = LeadRows.open(file, detect(file), mapping)) {
      LeadRow row = rows.next().orElseThrow();
      assertThat(row.phone()).isEqualTo("030 1111111");
      assertThat(row.fields()).containsEntry(LeadField.LAST_NAME, "Müller");
    }
    assertThatThrownBy(() -> LeadRows.open(file, detect(file), Map.of("Fon", LeadField.PHONE)))
        .hasMessageContaining("line 1: --map names a column 'fon' that the header does not have");
  }

  @Test
  void noPhoneColumnOrATwiceNamedColumnIsAnErrorOnLine1() throws Exception {
    Path none = file("none.csv", "name;city\nA;B\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> rows(none))
        .hasMessage(
            none
                + " line 1: no phone column in the header [name, city]; name one phone, telefon,"
                + " tel, mobile, handy or rufnummer, or map one with --map 'Rufnr=phone'");
    Path twice = file("twice.csv", "phone;Name;name\n030 1;a;b\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> rows(twice))
        .hasMessageContaining("line 1: columns 2 and 3 are both named 'name'; rename one of them");
  }

  @Test
  void aRowWithMoreFieldsThanTheHeaderHasAProblemAndShortRowsAreFine() throws Exception {
    Path file =
        file(
            "ragged.csv",
            "phone,name,city\n030 1111111,Müller, Jörg,Köln\n030 2222222,Meier\n",
            StandardCharsets.UTF_8);
    List<LeadRow> rows = rows(file);
    assertThat(rows.get(0).problem())
        .contains("has 4 fields, the header has 3; quote values that contain ','");
    assertThat(rows.get(1).problem()).isEmpty();
    assertThat(rows.get(1).fields()).containsEntry(LeadField.NAME, "Meier");
    assertThat(rows.get(1).attributes()).isEmpty();
  }

  @Test
  void rowsOfEmptyCellsAreSkipped() throws Exception {
    Path file =
        file("excel.csv", "phone;name\r\n030 1111111;A\r\n;;\r\n;\r\n", StandardCharsets.UTF_8);
    assertThat(rows(file)).extracting(LeadRow::line).containsExactly(2L);
  }

  @Test
  void aQuoteThatNeverClosesIsCaughtBeforeTheFileIsInMemory() {
    String text = "phone,note\n030 1,\"" + "x".repeat(CsvReader.MAX_FIELD + 10) + "\n030 2,y\n";
    assertThatThrownBy(() -> records(text, ','))
        .hasMessageStartingWith("test.csv line 2: a quoted field opened here runs on");
  }

  @Test
  void aHeaderOnlyFileHasNoRows() throws Exception {
    assertThat(rows(file("h.csv", "phone;name\r\n", StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void rowsAreStreamedAndBytesReadReachTheFileSize() throws Exception {
    Path file = dir.resolve("big.csv");
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("phone,name\n");
      for (int i = 0; i < 200_000; i++) {
        out.write("030 " + (1_000_000 + i) + ",Lead " + i + "\n");
      }
    }
    long count = 0;
    long lastLine = 0;
    try (var rows = LeadRows.open(file, detect(file), Map.of())) {
      for (var next = rows.next(); next.isPresent(); next = rows.next()) {
        count++;
        lastLine = next.get().line();
      }
      assertThat(rows.bytesRead()).isEqualTo(Files.size(file)).isEqualTo(rows.fileSize());
    }
    assertThat(count).isEqualTo(200_000);
    assertThat(lastLine).isEqualTo(200_001);
  }

  // ---- issue 17: what a hostile tester fed the importer

  /** A last line without a newline is a normal CSV (it failed with FLUSHED / CODING_END). */
  @ParameterizedTest
  @ValueSource(ints = {1, 10, 5000})
  void aLastLineWithoutANewlineIsRead(int count) throws Exception {
    for (Charset charset : List.of(StandardCharsets.UTF_8, WINDOWS_1252)) {
      StringBuilder text = new StringBuilder("phone;name\r\n");
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          text.append("\r\n");
        }
        text.append("030 ").append(1_000_000 + i).append(";Müller ").append(i);
      }
      Path file = file("no-eol-" + count + charset.name() + ".csv", text.toString(), charset);
      List<LeadRow> rows = rows(file);
      assertThat(rows).hasSize(count);
      assertThat(rows.getLast().fields())
          .containsEntry(LeadField.NAME, "Müller " + (count - 1))
          .containsEntry(LeadField.PHONE, "030 " + (1_000_000 + count - 1));
    }
  }

  @Test
  void aLastQuotedFieldWithoutANewlineIsRead() throws Exception {
    Path file = file("q.csv", "phone,name\n030 1111111,\"Müller, J.\"", StandardCharsets.UTF_8);
    assertThat(rows(file).getFirst().fields()).containsEntry(LeadField.NAME, "Müller, J.");
  }

  /** 1,000 columns: attributes that do not fit are a problem of the row, never cut silently. */
  @Test
  void aRowTooWideForTheAttributesColumnIsAProblemNamingTheLimit() throws Exception {
    StringBuilder header = new StringBuilder("phone");
    StringBuilder wide = new StringBuilder("030 1111111");
    StringBuilder narrow = new StringBuilder("030 2222222");
    for (int i = 1; i < 1000; i++) {
      header.append(",column").append(i);
      wide.append(",value").append(i);
      narrow.append(i == 1 ? ",kept" : ",");
    }
    Path file =
        file("wide.csv", header + "\n" + wide + "\n" + narrow + "\n", StandardCharsets.UTF_8);
    List<LeadRow> rows = rows(file);
    assertThat(rows.get(0).problem())
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith("its 999 extra columns take ")
                    .contains("at most " + LeadAttributesText.MAX_LENGTH + " fit"));
    assertThat(rows.get(1).problem()).isEmpty();
    assertThat(rows.get(1).attributes()).containsExactlyEntriesOf(Map.of("column1", "kept"));
  }

  /** A 5 MB one-line file: the error quotes an excerpt, not the line. */
  @Test
  void aHugeHeaderLineIsQuotedAsAnExcerpt() throws Exception {
    Path file = file("huge.csv", "x".repeat(5_000_000), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> rows(file))
        .isInstanceOf(LeadFileException.class)
        .hasMessageContaining("no phone column in the header [" + "x".repeat(60) + "… (5000000")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));

    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      many.append(i == 0 ? "" : ";").append("c").append(i);
    }
    Path wide = file("wide-header.csv", many + "\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> rows(wide))
        .hasMessageContaining("c11] and 488 more columns")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void errorsNameTheGivenNameNotTheFilesPath() throws Exception {
    Path file = file("tmp-123.csv", "name\nA\n", StandardCharsets.UTF_8);
    CsvFormat format = CsvFormat.detect(file, "request body", Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> LeadRows.open(file, "request body", format, Map.of()))
        .hasMessageStartingWith("request body line 1: no phone column")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(dir.toString()));
  }
}
