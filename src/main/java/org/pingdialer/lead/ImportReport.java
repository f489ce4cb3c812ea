package org.pingdialer.lead;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an import did. When {@code failed}, nothing was stored ({@code imported} is 0) and {@code
 * errors} says which rows to fix; the other counts still cover the whole file.
 *
 * @param rows data rows read (the header is not a row)
 * @param errors per-row problems, at most {@value LeadImporter#MAX_REPORTED_ERRORS}
 * @param errorsLeftOut problems beyond those listed
 * @param importId the stored import, when something was committed
 */
public record ImportReport(
    String list,
    String file,
    CsvFormat format,
    long rows,
    long imported,
    long duplicates,
    long invalid,
    long premium,
    long dnc,
    List<RowError> errors,
    long errorsLeftOut,
    Optional<Long> importId,
    boolean failed) {

  /** A row that was not imported, by its line in the file. */
  public record RowError(long line, String reason) {}

  /** The report for people: counts, then the errors by line. */
  public String toText() {
    var text = new StringBuilder();
    if (failed) {
      text.append("Import into list '")
          .append(list)
          .append("' FAILED: nothing was imported. Fix the rows below, or pass --skip-invalid")
          .append(" to import the other rows.\n");
    } else if (rows == 0) {
      text.append("No data rows in ").append(file).append(" (only a header?): nothing imported.\n");
    } else {
      text.append("Imported ")
          .append(imported)
          .append(" leads into list '")
          .append(list)
          .append("'.\n");
    }
    text.append(
        String.format(
            "  rows %d, imported %d, duplicates %d, invalid %d, premium %d, dnc %d%n",
            rows, imported, duplicates, invalid, premium, dnc));
    text.append("  file ")
        .append(file)
        .append(" read as ")
        .append(format.charset().name())
        .append(format.bom() ? " with BOM" : "")
        .append(", delimiter ")
        .append(format.delimiter() == '\t' ? "TAB" : "'" + format.delimiter() + "'")
        .append('\n');
    for (RowError error : errors) {
      text.append("  line ").append(error.line()).append(": ").append(error.reason()).append('\n');
    }
    if (errorsLeftOut > 0) {
      text.append("  ... and ").append(errorsLeftOut).append(" more rows with errors\n");
    }
    return text.toString();
  }

  /**
   * The report as the command contract's JSON object (CLI {@code --json} and the REST API): {@code
   * rows, imported, duplicates, invalid, premium, dnc, errors [{line, reason}]} and more.
   */
  public Map<String, Object> summary() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("list", list());
    json.put("file", file());
    json.put("encoding", format().charset().name());
    json.put("bom", format().bom());
    json.put("delimiter", String.valueOf(format().delimiter()));
    json.put("rows", rows());
    json.put("imported", imported());
    json.put("duplicates", duplicates());
    json.put("invalid", invalid());
    json.put("premium", premium());
    json.put("dnc", dnc());
    json.put("failed", failed());
    List<Map<String, Object>> rowErrors = new ArrayList<>();
    for (RowError error : errors()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("line", error.line());
      entry.put("reason", error.reason());
      rowErrors.add(entry);
    }
    json.put("errors", rowErrors);
    json.put("errorsLeftOut", errorsLeftOut());
    importId().ifPresent(id -> json.put("importId", id));
    return json;
  }
}
