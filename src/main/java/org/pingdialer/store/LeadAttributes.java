package org.pingdialer.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.pingdialer.lead.LeadAttributesText;

/**
 * A lead's extra columns in its {@code attributes} column, as a JSON object (readable in any SQL
 * client, and one column instead of a row per value). The importer refuses rows whose attributes do
 * not fit ({@link LeadAttributesText}); they are never cut here.
 */
final class LeadAttributes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

  private LeadAttributes() {}

  /**
   * The column's text, or null for no attributes.
   *
   * @throws IllegalArgumentException when it is longer than the column
   */
  static String toText(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    String text;
    try {
      // Sorted, so that equal attributes read alike in any SQL client; one needs no sorting.
      text =
          JSON.writeValueAsString(attributes.size() == 1 ? attributes : new TreeMap<>(attributes));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write lead attributes as JSON", e);
    }
    if (text.length() > LeadAttributesText.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "lead attributes are "
              + text.length()
              + " characters, at most "
              + LeadAttributesText.MAX_LENGTH
              + " fit");
    }
    return text;
  }

  static Map<String, String> fromText(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("lead attributes are not a JSON object", e);
    }
  }
}
