package org.pingdialer.lead;

import java.util.Map;
import java.util.Optional;

/**
 * How wide a lead's extra columns are once stored: the store writes them as one JSON object into
 * its {@code attributes} column, which holds {@link #MAX_LENGTH} characters. A row whose extra
 * columns do not fit is refused at import with the limit named, never cut.
 */
public final class LeadAttributesText {
  /** The width of the attributes column (V1 migration), in characters. */
  public static final int MAX_LENGTH = 4000;

  private LeadAttributesText() {}

  /**
   * The length of the JSON object the store writes: {@code {"key":"value",...}}, with the escapes a
   * JSON writer uses ({@code \"}, {@code \\}, {@code \n} and friends, a six-character escape for
   * other control characters). A store test checks it against the store's real JSON writer.
   */
  public static int jsonLength(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return 0;
    }
    int length = 2 + (attributes.size() - 1); // braces and commas
    for (var entry : attributes.entrySet()) {
      length += quoted(entry.getKey()) + 1 + quoted(entry.getValue());
    }
    return length;
  }

  private static int quoted(String text) {
    int length = 2;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
        length += 2;
      } else if (c < 0x20) {
        length += 6;
      } else {
        length++;
      }
    }
    return length;
  }

  /** Why these attributes cannot be stored, or empty when they fit. */
  static Optional<String> tooLong(Map<String, String> attributes) {
    int length = jsonLength(attributes);
    if (length <= MAX_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(
        "its "
            + attributes.size()
            + " extra columns take "
            + length
            + " characters, at most "
            + MAX_LENGTH
            + " fit; drop the columns the dialer does not need from the file");
  }
}
