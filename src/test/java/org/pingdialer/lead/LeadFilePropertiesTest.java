package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Issue 17, property-based: whatever a lead file holds, reading it ends in rows or in a {@link
 * LeadFileException} naming the file (never another exception, never a message quoting the whole
 * input); and rows written by the CSV rules read back as written, whatever their last line end.
 */
class LeadFilePropertiesTest {
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  @Property(tries = 400)
  void anyTextReadsOrFailsWithAClearError(
      @ForAll("csvLike") String text, @ForAll("lineEnds") String end, @ForAll boolean excel)
      throws IOException {
    readOrFailClearly((text + end).getBytes(excel ? WINDOWS_1252 : StandardCharsets.UTF_8));
  }

  @Property(tries = 300)
  void anyBytesReadOrFailWithAClearError(@ForAll @Size(max = 400) byte[] bytes) throws IOException {
    readOrFailClearly(bytes);
  }

  @Property(tries = 400)
  void rowsWrittenByTheRulesReadBackAsWritten(
      @ForAll("rows") List<List<String>> rows,
      @ForAll("lineEnds") String end,
      @ForAll("delimiters") char delimiter)
      throws LeadFileException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) {
        text.append("\r\n");
      }
      List<String> fields = rows.get(i);
      for (int f = 0; f < fields.size(); f++) {
        if (f > 0) {
          text.append(delimiter);
        }
        text.append('"').append(fields.get(f).replace("\"", "\"\"")).append('"');
      }
    }
    text.append(end);
    var reader = new CsvReader(new StringReader(text.toString()), delimiter, "p.csv");
    List<List<String>> read = new ArrayList<>();
    for (var next = reader.next(); next.isPresent(); next = reader.next()) {
      read.add(next.get().fields());
    }
    assertThat(read).isEqualTo(rows);
  }

  private static void readOrFailClearly(byte[] bytes) throws IOException {
    Path file = Files.createTempFile("lead-property-", ".csv");
    try {
      Files.write(file, bytes);
      try {
        CsvFormat format = CsvFormat.detect(file, Optional.empty(), Optional.empty());
        try (LeadRows rows = LeadRows.open(file, format, Map.of())) {
          for (var row = rows.next(); row.isPresent(); row = rows.next()) {
            assertThat(row.get().line()).isPositive();
          }
        }
      } catch (LeadFileException e) {
        assertThat(e.getMessage()).startsWith(file.toString()).hasSizeLessThan(1200);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Provide
  Arbitrary<String> csvLike() {
    return Arbitraries.strings()
        .withChars("abcXYZ019 ,;\t|\"\r\nüßé+()-")
        .withCharRange('\u0000', '\u001f')
        .ofMaxLength(300)
        .map(body -> (body.hashCode() % 2 == 0 ? "phone;name\n" : "") + body);
  }

  @Provide
  Arbitrary<String> lineEnds() {
    return Arbitraries.of("", "\n", "\r\n", "\r");
  }

  @Provide
  Arbitrary<Character> delimiters() {
    return Arbitraries.of(',', ';', '\t', '|');
  }

  /** Rows whose first field is not empty (a line of one empty field is a blank line). */
  @Provide
  Arbitrary<List<List<String>>> rows() {
    Arbitrary<String> field = Arbitraries.strings().withChars("ab9 ,;\t|\"\r\nü").ofMaxLength(12);
    Arbitrary<String> first =
        Arbitraries.strings().withChars("ab9 ,;\"\nü").ofMinLength(1).ofMaxLength(12);
    Arbitrary<List<String>> row =
        net.jqwik.api.Combinators.combine(first, field.list().ofMaxSize(4))
            .as(
                (head, rest) -> {
                  var fields = new ArrayList<String>();
                  fields.add(head);
                  fields.addAll(rest);
                  return List.copyOf(fields);
                });
    return row.list().ofMinSize(1).ofMaxSize(6);
  }
}
