package org.pingdialer.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lead's extra columns in its {@code attributes} column, as a JSON object (readable in any SQL
 * client, and one column instead of a row per value).
 */
final class LeadAttributes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

  /** Attributes longer than this are cut at the last whole value that fits, never mid-value. */
  static final int MAX_TEXT = 4000;

  private LeadAttributes() {}

  static String toText(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    try {
      // Sorted, so that equal attributes read alike in any SQL client; one needs no sorting.
      Map<String, String> sorted =
          attributes.size() == 1 ? attributes : new java.util.TreeMap<>(attributes);
      String whole = JSON.writeValueAsString(sorted);
      if (whole.length() <= MAX_TEXT) {
        return whole; // nearly always: one write instead of one per attribute
      }
      var kept = new LinkedHashMap<String, String>();
      String text = "{}";
      for (var entry : sorted.entrySet()) {
        kept.put(entry.getKey(), entry.getValue());
        String candidate = JSON.writeValueAsString(kept);
        if (candidate.length() > MAX_TEXT) {
          break;
        }
        text = candidate;
      }
      return text;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write lead attributes as JSON", e);
    }
  }

  static Map<String, String> fromText(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("lead attributes are not a JSON object: " + text, e);
    }
  }
}
