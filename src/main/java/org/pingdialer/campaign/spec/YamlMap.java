package org.pingdialer.campaign.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One YAML mapping of a campaign file, read key by key. Knows its dotted path, so every problem
 * names its place; reports keys it does not know (with the nearest known key as a suggestion) as
 * soon as it is opened. A key that is absent or written empty ({@code key:}) reads as absent; a
 * value of the wrong type is reported and also reads as absent, so reading goes on.
 */
final class YamlMap {
  private final JsonNode node;
  private final String path;
  private final Problems problems;

  private YamlMap(JsonNode node, String path, Problems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  /**
   * Opens a mapping and reports its unknown keys; empty (with a problem reported) when {@code node}
   * is not a mapping.
   *
   * @param keys the keys allowed here, in the order they are listed in messages
   */
  static Optional<YamlMap> open(JsonNode node, String path, Problems problems, List<String> keys) {
    if (!node.isObject()) {
      problems.add(path, "must be a mapping of keys (" + String.join(", ", keys) + ")", show(node));
      return Optional.empty();
    }
    YamlMap map = new YamlMap(node, path, problems);
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!keys.contains(key)) {
                problems.add(map.path(key), unknownKey(key, keys));
              }
            });
    return Optional.of(map);
  }

  static String unknownKey(String key, List<String> keys) {
    return closest(key, keys)
        .map(near -> "unknown key; did you mean " + near + "?")
        .orElse("unknown key; the keys here are " + String.join(", ", keys));
  }

  /** The known key within a small edit distance of a typo, if there is one. */
  static Optional<String> closest(String typo, List<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = editDistance(typo, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // Two edits, or a third of a long key: catches ring_timout and max_abandonrate, not a guess.
    int tolerated = Math.max(2, typo.length() / 3);
    return bestDistance <= tolerated ? Optional.ofNullable(best) : Optional.empty();
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** A value as the file wrote it, for the "was …" part of a message. */
  static String show(JsonNode value) {
    if (value.isArray()) {
      return value.toString();
    }
    if (value.isObject()) {
      return "a mapping";
    }
    return value.asText();
  }

  String path() {
    return path;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  Problems problems() {
    return problems;
  }

  /** Empty when the key is absent or has no value. */
  Optional<JsonNode> node(String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  boolean has(String key) {
    return node(key).isPresent();
  }

  Optional<YamlMap> map(String key, List<String> keys) {
    return node(key).flatMap(value -> open(value, path(key), problems, keys));
  }

  Optional<String> text(String key) {
    return node(key).flatMap(value -> text(value, path(key)));
  }

  Optional<String> text(JsonNode value, String place) {
    if (!value.isTextual() || value.asText().isBlank()) {
      problems.add(place, "must be text", show(value));
      return Optional.empty();
    }
    return Optional.of(value.asText().strip());
  }

  Optional<Duration> duration(String key) {
    return node(key).flatMap(value -> duration(value, path(key)));
  }

  private Optional<Duration> duration(JsonNode value, String place) {
    if (value.isIntegralNumber()) {
      problems.add(place, "a duration needs a unit: write " + value.asText() + "s", value.asText());
      return Optional.empty();
    }
    Optional<Duration> parsed =
        value.isTextual() ? Durations.parse(value.asText()) : Optional.empty();
    if (parsed.isEmpty()) {
      problems.add(
          place,
          "must be a whole number and a unit (ms, s, m, h, d) such as " + Durations.EXAMPLES,
          show(value));
    }
    return parsed;
  }

  /** A whole number of at least 1. */
  OptionalInt positiveInt(String key) {
    Optional<JsonNode> value = node(key);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    JsonNode v = value.get();
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
      problems.add(path(key), "must be a whole number of at least 1", show(v));
      return OptionalInt.empty();
    }
    return OptionalInt.of(v.asInt());
  }

  OptionalDouble number(String key) {
    Optional<JsonNode> value = node(key);
    if (value.isEmpty()) {
      return OptionalDouble.empty();
    }
    JsonNode v = value.get();
    if (!v.isNumber()) {
      String fix =
          v.isTextual() && v.asText().strip().endsWith("%")
              ? "write a fraction, e.g. 0.03 for 3 %"
              : "must be a number such as 0.02";
      problems.add(path(key), fix, show(v));
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(v.asDouble());
  }

  Optional<Boolean> bool(String key) {
    return node(key)
        .flatMap(
            v -> {
              if (!v.isBoolean()) {
                problems.add(path(key), "must be true or false", show(v));
                return Optional.empty();
              }
              return Optional.of(v.asBoolean());
            });
  }

  /** A key every profile needs. */
  void require(String key, String why) {
    if (!has(key)) {
      problems.add(path(key), "required: " + why);
    }
  }
}
