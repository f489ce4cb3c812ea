package org.pingdialer.lead;

import java.util.List;

/**
 * One record of a CSV file, before its columns mean anything.
 *
 * @param line the file's 1-based line where the record starts (a quoted line break makes a record
 *     span several lines; the next record's number counts them)
 * @param fields unquoted, untrimmed, never empty
 */
public record CsvRecord(long line, List<String> fields) {
  public CsvRecord {
    fields = List.copyOf(fields);
  }
}
