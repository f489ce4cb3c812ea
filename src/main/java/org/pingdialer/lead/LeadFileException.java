package org.pingdialer.lead;

/**
 * A lead file cannot be read as a whole: empty, binary, wrong encoding, no phone column, a quote
 * that never closes. The message names the file, the line (when there is one) and the fix, so a
 * command can print it as it is. Problems of a single row are not exceptions but {@link
 * LeadRow#problem()}.
 */
public final class LeadFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final long line;

  LeadFileException(String file, long line, String problemAndFix) {
    this(file, line, problemAndFix, null);
  }

  LeadFileException(String file, long line, String problemAndFix, Throwable cause) {
    super((line > 0 ? file + " line " + line : file) + ": " + problemAndFix, cause);
    this.line = line;
  }

  /** The file's 1-based line the problem is on, or 0 when it is about the whole file. */
  public long line() {
    return line;
  }
}
