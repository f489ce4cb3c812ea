package org.pingdialer.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.Evidence;

/**
 * An attempt's evidence in its {@code evidence} column: a JSON array of {@code {"event", "at",
 * "detail"}}, oldest first, readable in any SQL client. Bounded so that it always fits the column:
 * each detail is cut at {@link #MAX_DETAIL} characters (as the per-event rows were), and a call
 * with more than {@link #MAX_ENTRIES} entries keeps its first ones and an {@code EvidenceCut} entry
 * saying how many were left out.
 */
final class EvidenceColumn {
  static final int MAX_DETAIL = 500;
  static final int MAX_ENTRIES = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  private EvidenceColumn() {}

  static String encode(List<Evidence> evidence) {
    ArrayNode array = JSON.createArrayNode();
    int kept = evidence.size() > MAX_ENTRIES ? MAX_ENTRIES - 1 : evidence.size();
    for (Evidence entry : evidence.subList(0, kept)) {
      add(array, entry.event(), entry.at(), entry.detail());
    }
    if (kept < evidence.size()) {
      Evidence last = evidence.getLast();
      add(
          array,
          "EvidenceCut",
          last.at(),
          (evidence.size() - kept) + " more entries not stored, the last: " + last.event());
    }
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write evidence as JSON", e);
    }
  }

  private static void add(ArrayNode array, String event, Instant at, String detail) {
    array
        .addObject()
        .put("event", event)
        .put("at", at.toString())
        .put("detail", detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail);
  }

  /**
   * @throws IllegalStateException naming the attempt, when the column holds something else (an edit
   *     by hand): the attempt cannot be explained, and saying so beats an empty list
   */
  static List<Evidence> decode(String text, AttemptKey key) {
    try {
      JsonNode array = JSON.readTree(text);
      if (!array.isArray()) {
        throw new IllegalStateException("not a JSON array");
      }
      List<Evidence> evidence = new ArrayList<>(array.size());
      for (JsonNode entry : array) {
        evidence.add(
            new Evidence(
                text(entry, "event"), Instant.parse(text(entry, "at")), text(entry, "detail")));
      }
      return evidence;
    } catch (JsonProcessingException | DateTimeParseException | IllegalStateException e) {
      throw new IllegalStateException(
          "the evidence column of attempt "
              + key
              + " cannot be read ("
              + e.getMessage()
              + "); it must be a JSON array of {\"event\", \"at\", \"detail\"} as the controller"
              + " writes it",
          e);
    }
  }

  private static String text(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalStateException("an entry has no text \"" + field + "\"");
    }
    return value.asText();
  }
}
