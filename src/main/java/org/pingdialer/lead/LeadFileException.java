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

  /** Longest piece of the input an error message quotes. */
  static final int EXCERPT_LENGTH = 60;

  /**
   * {@code text} as an error message may quote it: whole when short, else its start and its length,
   * so that a 50 MB line never ends up in a message, a log or an API response.
   */
  public static String excerpt(String text) {
    if (text.length() <= EXCERPT_LENGTH) {
      return text;
    }
    return text.substring(0, EXCERPT_LENGTH) + "… (" + text.length() + " characters)";
  }

  /** The file's 1-based line the problem is on, or 0 when it is about the whole file. */
  public long line() {
    return line;
  }
}
