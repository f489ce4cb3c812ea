package org.pingdialer.lead;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which column of a lead file is which field: the user's {@code --map HEADER=FIELD} first, then the
 * usual header names of {@link LeadField}. When several columns could be the phone (say {@code
 * phone} and {@code mobile}), the one named earlier in {@link LeadField#PHONE}'s list wins and the
 * others are kept as attributes. Columns that are no field are attributes.
 */
final class ColumnMapping {
  /** Columns of the header an error message lists. */
  private static final int SHOWN_COLUMNS = 12;

  private final Map<LeadField, Integer> fieldColumns;
  private final List<String> header;
  // Per row these are asked for every column (a million rows: millions of lookups), so they are
  // worked out once from the header.
  private final LeadField[] mappedFields;
  private final int[] mappedColumns;
  private final boolean[] attributeColumns;

  private ColumnMapping(Map<LeadField, Integer> fieldColumns, List<String> header) {
    this.fieldColumns = fieldColumns;
    this.header = header;
    var fields = new EnumMap<LeadField, Integer>(fieldColumns);
    this.mappedFields = fields.keySet().toArray(LeadField[]::new);
    this.mappedColumns = fields.values().stream().mapToInt(Integer::intValue).toArray();
    this.attributeColumns = new boolean[header.size()];
    for (int i = 0; i < header.size(); i++) {
      attributeColumns[i] = !header.get(i).isEmpty() && !fieldColumns.containsValue(i);
    }
  }

  static ColumnMapping of(CsvRecord headerRecord, Map<String, LeadField> overrides, String file)
      throws LeadFileException {
    List<String> header = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < headerRecord.fields().size(); i++) {
      String name = headerRecord.fields().get(i).strip();
      header.add(name);
      if (name.isEmpty()) {
        continue;
      }
      Integer earlier = seen.put(normalise(name), i);
      if (earlier != null) {
        throw new LeadFileException(
            file,
            headerRecord.line(),
            "columns "
                + (earlier + 1)
                + " and "
                + (i + 1)
                + " are both named '"
                + LeadFileException.excerpt(name)
                + "'; rename one of them");
      }
    }
    Map<String, LeadField> userMap = new HashMap<>();
    overrides.forEach((name, field) -> userMap.put(normalise(name), field));
    for (String name : userMap.keySet()) {
      if (!seen.containsKey(name)) {
        throw new LeadFileException(
            file,
            headerRecord.line(),
            "--map names a column '"
                + LeadFileException.excerpt(name)
                + "' that the header does not have; the header is "
                + shown(header));
      }
    }
    Map<LeadField, Integer> columns = new EnumMap<>(LeadField.class);
    userMap.forEach((name, field) -> columns.put(field, seen.get(name)));
    for (LeadField field : LeadField.values()) {
      if (columns.containsKey(field)) {
        continue;
      }
      for (String name : field.names()) {
        Integer column = seen.get(name);
        if (column != null && !columns.containsValue(column)) {
          columns.put(field, column);
          break;
        }
      }
    }
    if (!columns.containsKey(LeadField.PHONE)) {
      throw new LeadFileException(
          file,
          headerRecord.line(),
          "no phone column in the header "
              + shown(header)
              + "; name one phone, telefon, tel, mobile, handy or rufnummer, or map one with --map"
              + " 'Rufnr=phone'");
    }
    return new ColumnMapping(Map.copyOf(columns), List.copyOf(header));
  }

  /** The header as a message shows it: the first columns, each cut to an excerpt. */
  private static String shown(List<String> header) {
    int shown = Math.min(header.size(), SHOWN_COLUMNS);
    var names = new ArrayList<String>(shown);
    for (int i = 0; i < shown; i++) {
      names.add(LeadFileException.excerpt(header.get(i)));
    }
    String more = header.size() > shown ? " and " + (header.size() - shown) + " more columns" : "";
    return names + more;
  }

  static String normalise(String name) {
    return name.strip()
        .toLowerCase(Locale.ROOT)
        .replace('_', ' ')
        .replace('-', ' ')
        .replaceAll("\\s+", " ");
  }

  int columns() {
    return header.size();
  }

  /** The row's value of {@code field}, trimmed; empty when blank or missing. */
  Optional<String> value(List<String> fields, LeadField field) {
    Integer column = fieldColumns.get(field);
    return column == null ? Optional.empty() : Optional.ofNullable(valueAt(fields, column));
  }

  /** The trimmed value in {@code column}, or null when blank or missing. */
  private static String valueAt(List<String> fields, int column) {
    if (column >= fields.size()) {
      return null;
    }
    String value = fields.get(column).strip();
    return value.isEmpty() ? null : value;
  }

  /** The row's other columns by header name, blank values left out. */
  Map<String, String> attributes(List<String> fields) {
    Map<String, String> attributes = new HashMap<>();
    for (int i = 0; i < Math.min(fields.size(), header.size()); i++) {
      String value = attributeColumns[i] ? valueAt(fields, i) : null;
      if (value != null) {
        attributes.put(header.get(i), value);
      }
    }
    return attributes;
  }

  Map<LeadField, String> fields(List<String> fields) {
    Map<LeadField, String> values = new EnumMap<>(LeadField.class);
    for (int i = 0; i < mappedFields.length; i++) {
      String value = valueAt(fields, mappedColumns[i]);
      if (value != null) {
        values.put(mappedFields[i], value);
      }
    }
    return values;
  }
}
