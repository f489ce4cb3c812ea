package org.pingdialer.lead;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads CSV records one at a time (RFC 4180 plus what spreadsheets write): quoted fields with
 * delimiters, doubled quotes and line breaks inside; CRLF, LF or a lone CR as line end; a missing
 * last line end. Blank lines are skipped. A quote inside an unquoted field is kept as it is
 * (spreadsheets write {@code 12" display} that way). Not thread-safe.
 */
public final class CsvReader implements Closeable {
  private static final int EOF = -1;

  /**
   * No real lead field is this long; one is a quote that never closes, and reading on would pull
   * the rest of the file into memory before failing at its end.
   */
  static final int MAX_FIELD = 1 << 20;

  private final Reader in;
  private final char delimiter;
  private final String fileName;
  private final char[] buffer = new char[64 * 1024];
  private int position;
  private int limit;
  private long line = 1;

  /** Fields in the last record: the next record's list is made that large. */
  private int width = 8;

  /**
   * @param fileName how the file is named in messages
   */
  public CsvReader(Reader in, char delimiter, String fileName) {
    this.in = in;
    this.delimiter = delimiter;
    this.fileName = fileName;
  }

  /** The next record, or empty at the end of the file. */
  public Optional<CsvRecord> next() throws LeadFileException {
    while (true) {
      int c = peek();
      if (c == EOF) {
        return Optional.empty();
      }
      if (c == '\r' || c == '\n') {
        endOfLine();
        continue; // a blank line is no record
      }
      return Optional.of(record());
    }
  }

  private CsvRecord record() throws LeadFileException {
    long start = line;
    List<String> fields = new ArrayList<>(width);
    var field = new StringBuilder();
    while (true) {
      if (field.isEmpty() && unquotedFieldInBuffer(fields)) {
        int c = read(); // the delimiter or the line end after it
        if (c == delimiter) {
          continue;
        }
        position--; // let endOfLine() consume CR, LF or CRLF and count the line
        endOfLine();
        return finished(start, fields);
      }
      int c = read();
      if (c == '"' && field.isEmpty()) {
        quoted(field, start);
        c = peek();
        // After the closing quote only a delimiter or a line end belongs; keep anything else.
        while (c != EOF && c != delimiter && c != '\r' && c != '\n') {
          field.append((char) read());
          c = peek();
        }
        if (c == delimiter) {
          read();
          fields.add(field.toString());
          field.setLength(0);
          continue;
        }
        fields.add(field.toString());
        if (c != EOF) {
          endOfLine();
        }
        return finished(start, fields);
      }
      if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' || c == '\n' || c == EOF) {
        if (c != EOF) {
          position--; // let endOfLine() consume CR, LF or CRLF and count the line
          endOfLine();
        }
        fields.add(field.toString());
        return finished(start, fields);
      } else {
        field.append((char) c);
      }
    }
  }

  private CsvRecord finished(long start, List<String> fields) {
    width = fields.size();
    return new CsvRecord(start, fields);
  }

  /**
   * The common case, taken straight from the buffer: a field without quotes whose end (a delimiter
   * or a line end) is in the buffer already. Adds it and stops before its end; false (nothing read)
   * for anything else, which the character-by-character path then reads. A million-row file is read
   * about twice as fast this way.
   */
  private boolean unquotedFieldInBuffer(List<String> fields) {
    int end = position;
    while (end < limit) {
      char c = buffer[end];
      if (c == delimiter || c == '\r' || c == '\n') {
        fields.add(new String(buffer, position, end - position));
        position = end;
        return true;
      }
      if (c == '"') {
        return false;
      }
      end++;
    }
    return false;
  }

  /** Reads a quoted field's content up to its closing quote. */
  private void quoted(StringBuilder field, long start) throws LeadFileException {
    while (true) {
      int c = read();
      if (c == EOF) {
        throw new LeadFileException(
            fileName,
            start,
            "a quoted field opened here never closes; check for a missing \" (a quote inside a"
                + " quoted field is written as \"\")");
      }
      if (c == '"') {
        if (peek() == '"') {
          read();
          field.append('"');
        } else {
          return;
        }
      } else {
        if (c == '\n' || (c == '\r' && peek() != '\n')) {
          line++;
        }
        field.append((char) c);
        if (field.length() > MAX_FIELD) {
          throw new LeadFileException(
              fileName,
              start,
              "a quoted field opened here runs on for more than a million characters; most likely"
                  + " its closing \" is missing");
        }
      }
    }
  }

  private void endOfLine() throws LeadFileException {
    int c = read();
    if (c == '\r' && peek() == '\n') {
      read();
    }
    line++;
  }

  private int peek() throws LeadFileException {
    if (position == limit && !fill()) {
      return EOF;
    }
    return buffer[position];
  }

  private int read() throws LeadFileException {
    if (position == limit && !fill()) {
      return EOF;
    }
    return buffer[position++];
  }

  private boolean fill() throws LeadFileException {
    try {
      int n;
      do {
        n = in.read(buffer, 0, buffer.length);
      } while (n == 0);
      if (n < 0) {
        position = limit = 0;
        return false;
      }
      position = 0;
      limit = n;
      return true;
    } catch (CharacterCodingException e) {
      throw new LeadFileException(
          fileName,
          line,
          "bytes that are not valid in the file's encoding; give the encoding, e.g. --encoding"
              + " windows-1252 (Excel) or --encoding utf-8",
          e);
    } catch (IOException e) {
      throw new LeadFileException(fileName, line, "cannot be read: " + e.getMessage(), e);
    }
  }

  /** The line the reader is on (1-based). */
  long line() {
    return line;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
