package org.pingdialer.lead;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a lead file is written: its delimiter and encoding, detected from its first 64 KiB unless the
 * user gave them.
 *
 * <p>Encoding: a UTF-8 byte order mark means UTF-8; otherwise UTF-8 when the sample decodes as
 * UTF-8, else Windows-1252 (what Excel writes as "CSV" on Western Windows; a superset of
 * ISO-8859-1's letters). Delimiter: of {@code , ; TAB |}, the one that splits the first lines
 * (quotes respected) into the same number of fields, more than one; a single-column file gets
 * {@code ,}.
 *
 * @param bom the file starts with a UTF-8 byte order mark (skipped when reading)
 */
public record CsvFormat(char delimiter, Charset charset, boolean bom) {
  static final int SAMPLE_BYTES = 64 * 1024;
  private static final char[] CANDIDATES = {',', ';', '\t', '|'};
  private static final int SAMPLE_LINES = 50;
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  /** Detects what is not given. */
  public static CsvFormat detect(
      Path file, Optional<Character> delimiter, Optional<Charset> charset)
      throws LeadFileException {
    return detect(file, file.toString(), delimiter, charset);
  }

  /** Detects what is not given; errors name the file {@code name} (not a temporary file's path). */
  public static CsvFormat detect(
      Path file, String name, Optional<Character> delimiter, Optional<Charset> charset)
      throws LeadFileException {
    byte[] sample;
    long size;
    try (InputStream in = Files.newInputStream(file)) {
      size = Files.size(file);
      sample = in.readNBytes(SAMPLE_BYTES);
    } catch (IOException e) {
      throw new LeadFileException(name, 0, "cannot be read: " + e.getMessage(), e);
    }
    if (sample.length >= 2
        && ((sample[0] == (byte) 0xFE && sample[1] == (byte) 0xFF)
            || (sample[0] == (byte) 0xFF && sample[1] == (byte) 0xFE))) {
      throw new LeadFileException(
          name,
          0,
          "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" and import that");
    }
    boolean bom =
        sample.length >= 3
            && sample[0] == (byte) 0xEF
            && sample[1] == (byte) 0xBB
            && sample[2] == (byte) 0xBF;
    int start = bom ? 3 : 0;
    for (int i = start; i < sample.length; i++) {
      if (sample[i] == 0) {
        throw new LeadFileException(
            name,
            0,
            "this is not a text CSV file (found binary data at byte "
                + i
                + "); export the sheet as CSV (UTF-8) and import that");
      }
    }
    boolean blank = true;
    for (int i = start; i < sample.length && blank; i++) {
      blank = Character.isWhitespace(sample[i]);
    }
    if (blank) {
      throw new LeadFileException(
          name, 0, "the file is empty; export the leads with a header line and import that file");
    }
    boolean whole = size <= sample.length;
    Charset chosen =
        charset.orElseGet(
            () ->
                bom || decodes(sample, start, StandardCharsets.UTF_8, whole)
                    ? StandardCharsets.UTF_8
                    : WINDOWS_1252);
    String text = decodeLenient(sample, start, chosen);
    char chosenDelimiter = delimiter.orElseGet(() -> detectDelimiter(text, whole));
    return new CsvFormat(chosenDelimiter, chosen, bom);
  }

  /**
   * True when {@code bytes} decode cleanly; a multibyte character cut by the sample's end is fine
   * unless the sample is the whole file.
   */
  private static boolean decodes(byte[] bytes, int from, Charset charset, boolean whole) {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, whole);
    return !result.isError() && (!whole || !decoder.flush(out).isError());
  }

  private static String decodeLenient(byte[] bytes, int from, Charset charset) {
    return new String(bytes, from, bytes.length - from, charset);
  }

  private static char detectDelimiter(String text, boolean whole) {
    List<String> records = firstRecords(text, whole);
    char best = ',';
    double bestScore = 0;
    for (char candidate : CANDIDATES) {
      double score = score(records, candidate);
      if (score > bestScore) {
        bestScore = score;
        best = candidate;
      }
    }
    return best;
  }

  /**
   * Fields per record must be more than one and the same as the header's in most records; among
   * candidates that do that, more fields win (a comma inside "Müller, Jörg" does not beat ';').
   */
  private static double score(List<String> records, char delimiter) {
    if (records.isEmpty()) {
      return 0;
    }
    int header = fieldCount(records.getFirst(), delimiter);
    if (header < 2) {
      return 0;
    }
    int consistent = 0;
    for (String record : records) {
      if (fieldCount(record, delimiter) == header) {
        consistent++;
      }
    }
    double share = (double) consistent / records.size();
    return share < 0.8 ? 0 : share * 100 + header;
  }

  /** The first records of the sample, quotes respected; the last is left out if it may be cut. */
  private static List<String> firstRecords(String text, boolean whole) {
    List<String> records = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length() && records.size() < SAMPLE_LINES; i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '\n' || c == '\r')) {
        if (i > start && !emptyCells(text.substring(start, i))) {
          records.add(text.substring(start, i));
        }
        start = i + 1;
      }
    }
    if (whole && start < text.length() && records.size() < SAMPLE_LINES) {
      String last = text.substring(start).strip();
      if (!last.isEmpty()) {
        records.add(last);
      }
    }
    return records;
  }

  /** A row of empty cells (";;;;" below the data in Excel exports) says nothing about columns. */
  private static boolean emptyCells(String record) {
    return record.chars().allMatch(c -> Character.isWhitespace(c) || isCandidate((char) c));
  }

  private static boolean isCandidate(char c) {
    for (char candidate : CANDIDATES) {
      if (candidate == c) {
        return true;
      }
    }
    return false;
  }

  private static int fieldCount(String record, char delimiter) {
    int fields = 1;
    boolean quoted = false;
    for (int i = 0; i < record.length(); i++) {
      char c = record.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == delimiter && !quoted) {
        fields++;
      }
    }
    return fields;
  }
}
