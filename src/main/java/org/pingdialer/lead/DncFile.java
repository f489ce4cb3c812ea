package org.pingdialer.lead;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a do-not-call file: a CSV whose header names a phone column (as lead files), or plain
 * numbers, one per line, without a header. Bad rows are reported and skipped, never fatal: a DNC
 * list must not be refused because some of its rows are broken.
 */
public final class DncFile {
  private DncFile() {}

  /** The distinct numbers read, and the rows that were not numbers. */
  public record Read(long rows, List<String> numbers, List<ImportReport.RowError> errors) {}

  public static Read read(Path file, PhoneNumbers phoneNumbers) throws LeadFileException {
    CsvFormat format = CsvFormat.detect(file, Optional.empty(), Optional.empty());
    String name = file.toString();
    DecodingReader decoding;
    try {
      decoding =
          new DecodingReader(new BufferedInputStream(Files.newInputStream(file)), format.charset());
      if (format.bom()) {
        decoding.skipBytes(3);
      }
    } catch (IOException e) {
      throw new LeadFileException(name, 0, "cannot be read: " + e.getMessage(), e);
    }
    try (var reader = new CsvReader(decoding, format.delimiter(), name)) {
      Optional<CsvRecord> first = reader.next();
      if (first.isEmpty()) {
        throw new LeadFileException(name, 0, "the file is empty; give one number per line");
      }
      // A first line that is a number means there is no header: the numbers are in column 1.
      boolean headerless =
          phoneNumbers.parse(first.get().fields().getFirst()) instanceof PhoneNumbers.Parsed.Valid;
      ColumnMapping mapping = headerless ? null : ColumnMapping.of(first.get(), Map.of(), name);
      Set<String> numbers = new LinkedHashSet<>();
      List<ImportReport.RowError> errors = new ArrayList<>();
      long rows = 0;
      Optional<CsvRecord> next = headerless ? first : reader.next();
      while (next.isPresent()) {
        CsvRecord record = next.get();
        rows++;
        String written =
            headerless
                ? record.fields().getFirst().strip()
                : mapping.value(record.fields(), LeadField.PHONE).orElse("");
        switch (phoneNumbers.parse(written)) {
          case PhoneNumbers.Parsed.Valid valid -> numbers.add(valid.number().e164());
          case PhoneNumbers.Parsed.Rejected rejected ->
              errors.add(
                  new ImportReport.RowError(
                      record.line(),
                      "phone '" + LeadFileException.excerpt(written) + "': " + rejected.reason()));
        }
        next = reader.next();
      }
      return new Read(rows, List.copyOf(numbers), List.copyOf(errors));
    } catch (IOException e) {
      throw new LeadFileException(name, 0, "cannot be read: " + e.getMessage(), e);
    }
  }
}
