package org.pingdialer.lead;

import java.util.Map;
import java.util.Optional;

/**
 * One data row of a lead file, its columns mapped.
 *
 * @param line the file's line where the row starts
 * @param phone the phone column as written (empty when blank)
 * @param fields the mapped fields with a value, trimmed
 * @param attributes the other columns with a value, by header name
 * @param problem why the row cannot be imported as it is (e.g. more fields than the header)
 */
public record LeadRow(
    long line,
    String phone,
    Map<LeadField, String> fields,
    Map<String, String> attributes,
    Optional<String> problem) {
  public LeadRow {
    fields = Map.copyOf(fields);
    attributes = Map.copyOf(attributes);
  }
}
