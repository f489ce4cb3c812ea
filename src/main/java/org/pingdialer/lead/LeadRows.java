package org.pingdialer.lead;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data rows of a lead file, one at a time: the first record is the header, each later record
 * becomes a {@link LeadRow}. The file is streamed, never held in memory.
 *
 * <p>A row with more fields than the header is a problem of that row (usually an unquoted delimiter
 * inside a value); a row with fewer fields is fine, the missing trailing columns are blank
 * (spreadsheets drop trailing empty cells).
 */
public final class LeadRows implements Closeable {
  private final CsvReader reader;
  private final DecodingReader decoding;
  private final ColumnMapping mapping;
  private final long fileSize;
  private final CsvFormat format;

  private LeadRows(
      CsvReader reader,
      DecodingReader decoding,
      ColumnMapping mapping,
      long fileSize,
      CsvFormat format) {
    this.reader = reader;
    this.decoding = decoding;
    this.mapping = mapping;
    this.fileSize = fileSize;
    this.format = format;
  }

  /**
   * Opens {@code file} and reads its header.
   *
   * @param overrides header name → field, before the usual names
   * @throws LeadFileException when there is no header with a phone column, or it cannot be read
   */
  public static LeadRows open(Path file, CsvFormat format, Map<String, LeadField> overrides)
      throws LeadFileException {
    return open(file, file.toString(), format, overrides);
  }

  /** As {@link #open(Path, CsvFormat, Map)}, errors naming the file {@code name}. */
  public static LeadRows open(
      Path file, String name, CsvFormat format, Map<String, LeadField> overrides)
      throws LeadFileException {
    DecodingReader decoding;
    long size;
    try {
      size = Files.size(file);
      decoding =
          new DecodingReader(
              new BufferedInputStream(Files.newInputStream(file), 64 * 1024), format.charset());
      if (format.bom()) {
        decoding.skipBytes(3);
      }
    } catch (IOException e) {
      throw new LeadFileException(name, 0, "cannot be read: " + e.getMessage(), e);
    }
    var reader = new CsvReader(decoding, format.delimiter(), name);
    try {
      Optional<CsvRecord> header = reader.next();
      if (header.isEmpty()) {
        throw new LeadFileException(
            name, 0, "the file is empty; export the leads with a header line and import that file");
      }
      return new LeadRows(
          reader, decoding, ColumnMapping.of(header.get(), overrides, name), size, format);
    } catch (LeadFileException | RuntimeException e) {
      closeQuietly(reader);
      throw e;
    }
  }

  /** The next data row, or empty at the end of the file. */
  public Optional<LeadRow> next() throws LeadFileException {
    Optional<CsvRecord> next = reader.next();
    // Rows of empty cells only (Excel's ";;;;" below the data) are no rows.
    while (next.isPresent() && allBlank(next.get().fields())) {
      next = reader.next();
    }
    if (next.isEmpty()) {
      return Optional.empty();
    }
    CsvRecord record = next.get();
    List<String> fields = record.fields();
    Optional<String> problem = Optional.empty();
    if (fields.size() > mapping.columns()) {
      problem =
          Optional.of(
              "has "
                  + fields.size()
                  + " fields, the header has "
                  + mapping.columns()
                  + "; quote values that contain '"
                  + (format.delimiter() == '\t' ? "TAB" : String.valueOf(format.delimiter()))
                  + "'");
    }
    Map<String, String> attributes = mapping.attributes(fields);
    if (problem.isEmpty()) {
      problem = LeadAttributesText.tooLong(attributes);
    }
    return Optional.of(
        new LeadRow(
            record.line(),
            mapping.value(fields, LeadField.PHONE).orElse(""),
            mapping.fields(fields),
            attributes,
            problem));
  }

  private static boolean allBlank(List<String> fields) {
    for (String field : fields) {
      if (!field.isBlank()) {
        return false;
      }
    }
    return true;
  }

  public CsvFormat format() {
    return format;
  }

  /** Bytes of the file read so far (for progress). */
  public long bytesRead() {
    return decoding.bytesRead();
  }

  public long fileSize() {
    return fileSize;
  }

  @Override
  public void close() {
    closeQuietly(reader);
  }

  private static void closeQuietly(CsvReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      // a file we only read: nothing to lose
    }
  }
}
