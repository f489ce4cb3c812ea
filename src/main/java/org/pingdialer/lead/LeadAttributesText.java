package org.pingdialer.lead;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A lead's extra columns as the text of its {@code attributes} column: a JSON object (readable in
 * any SQL client, and one column instead of a row per value). The column holds {@link #MAX_LENGTH}
 * characters; a row whose extra columns do not fit is refused at import, never cut.
 */
public final class LeadAttributesText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

  /** The width of the attributes column (V1 migration), in characters. */
  public static final int MAX_LENGTH = 4000;

  private LeadAttributesText() {}

  /**
   * The column's text, or null for no attributes.
   *
   * @throws IllegalArgumentException when the text is longer than {@link #MAX_LENGTH}; the importer
   *     refuses such rows first (see {@link #tooLong})
   */
  public static String toText(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    String text = write(attributes);
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "lead attributes are " + text.length() + " characters, at most " + MAX_LENGTH + " fit");
    }
    return text;
  }

  /** Why these attributes cannot be stored, or empty when they fit. */
  static Optional<String> tooLong(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return Optional.empty();
    }
    int length = write(attributes).length();
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

  public static Map<String, String> fromText(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("lead attributes are not a JSON object", e);
    }
  }

  private static String write(Map<String, String> attributes) {
    try {
      // Sorted, so that equal attributes read alike in any SQL client; one needs no sorting.
      return JSON.writeValueAsString(
          attributes.size() == 1 ? attributes : new TreeMap<>(attributes));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write lead attributes as JSON", e);
    }
  }
}
