package org.pingdialer.lab.persona;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.pingdialer.campaign.spec.Durations;

/**
 * A population of callees for the lab: which personas, in which shares, and for people how long the
 * phone rings and how long they stay on the line. {@link BoughtList} turns it into a lead list
 * whose numbers route to those personas. Written as YAML, e.g.
 *
 * <pre>
 * seed: 7
 * personas:
 *   person: {share: 0.30, ring: 2s-14s, stays: 20s-120s}
 *   busy: {share: 0.10}
 *   no_answer: {share: 0.60}
 * </pre>
 *
 * @param seed the default seed (a command line may override it)
 * @param shares every persona of the mix with its share; shares add up to 1
 */
public record PersonaMix(long seed, Map<Persona, Share> shares) {
  /** Longest ring and stay a person's number can carry (one digit of 2 s, two of 5 s). */
  static final Duration MAX_RING = Duration.ofSeconds(18);

  static final Duration MAX_STAY = Duration.ofSeconds(495);

  public PersonaMix {
    shares = Map.copyOf(shares);
  }

  /**
   * One persona's part of the mix.
   *
   * @param ring for a person: how long the phone rings before the answer, drawn uniformly
   * @param stays for a person: how long the person stays on the line after answering
   */
  public record Share(double share, Optional<Range> ring, Optional<Range> stays) {}

  /** A uniform range of durations, written {@code 2s-14s}. */
  public record Range(Duration min, Duration max) {}

  /**
   * Reads a mix file.
   *
   * @throws PersonaMixException listing every problem with its place in the file and the fix
   */
  public static PersonaMix load(Path file) throws PersonaMixException {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new PersonaMixException(List.of(file + ": cannot be read: " + e.getMessage()));
    }
  }

  /** Parses mix YAML; {@code source} names it in errors. */
  public static PersonaMix parse(String yaml, String source) throws PersonaMixException {
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new PersonaMixException(
          List.of(source + ": not valid YAML: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new PersonaMixException(
          List.of(source + ": must be a mapping with 'personas' (and optionally 'seed')"));
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!key.equals("seed") && !key.equals("personas")) {
        problems.add(source + ": " + key + ": unknown key; a mix has 'seed' and 'personas'");
      }
    }
    long seed = 1;
    if (root.has("seed")) {
      if (root.get("seed").canConvertToLong()) {
        seed = root.get("seed").asLong();
      } else {
        problems.add(source + ": seed: must be a whole number, was " + root.get("seed"));
      }
    }
    Map<Persona, Share> shares = new EnumMap<>(Persona.class);
    JsonNode personas = root.get("personas");
    if (personas == null || !personas.isObject() || personas.isEmpty()) {
      problems.add(
          source
              + ": personas: required: a mapping of persona to its share, e.g. busy: {share: 0.1}");
    } else {
      for (Map.Entry<String, JsonNode> entry : personas.properties()) {
        String place = source + ": personas." + entry.getKey();
        Optional<Persona> persona = Persona.ofKey(entry.getKey());
        if (persona.isEmpty()) {
          problems.add(
              place
                  + ": unknown persona; one of "
                  + Arrays.stream(Persona.values())
                      .map(Persona::key)
                      .collect(Collectors.joining(", ")));
          continue;
        }
        share(persona.get(), entry.getValue(), place, problems)
            .ifPresent(s -> shares.put(persona.get(), s));
      }
      double sum = shares.values().stream().mapToDouble(Share::share).sum();
      if (!shares.isEmpty() && problems.isEmpty() && Math.abs(sum - 1.0) > 0.001) {
        problems.add(
            source
                + ": personas: the shares add up to "
                + String.format(Locale.ROOT, "%.3f", sum)
                + "; they must add up to 1");
      }
    }
    if (!problems.isEmpty()) {
      throw new PersonaMixException(problems);
    }
    return new PersonaMix(seed, shares);
  }

  private static Optional<Share> share(
      Persona persona, JsonNode node, String place, List<String> problems) {
    if (!node.isObject()) {
      problems.add(place + ": must be a mapping like {share: 0.1}, was " + node);
      return Optional.empty();
    }
    int before = problems.size();
    for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      boolean known =
          key.equals("share")
              || (persona == Persona.PERSON && (key.equals("ring") || key.equals("stays")));
      if (!known) {
        problems.add(
            place
                + "."
                + key
                + ": unknown key; "
                + (persona == Persona.PERSON ? "share, ring and stays" : "only share")
                + " can be set for "
                + persona.key());
      }
    }
    JsonNode share = node.get("share");
    double value = share != null && share.isNumber() ? share.asDouble() : Double.NaN;
    if (!(value > 0 && value <= 1)) {
      problems.add(place + ".share: must be a number above 0 and at most 1, was " + share);
    }
    Optional<Range> ring = range(node, "ring", place, MAX_RING, problems);
    Optional<Range> stays = range(node, "stays", place, MAX_STAY, problems);
    if (persona == Persona.PERSON
        && (ring.isEmpty() || stays.isEmpty())
        && problems.size() == before) {
      problems.add(place + ": a person needs ring and stays, e.g. ring: 2s-14s, stays: 20s-120s");
    }
    return problems.size() == before
        ? Optional.of(new Share(value, ring, stays))
        : Optional.empty();
  }

  private static Optional<Range> range(
      JsonNode node, String key, String place, Duration max, List<String> problems) {
    if (!node.has(key)) {
      return Optional.empty();
    }
    String text = node.get(key).asText();
    String[] parts = text.split("-", -1);
    Optional<Duration> low = parts.length == 2 ? Durations.parse(parts[0]) : Optional.empty();
    Optional<Duration> high = parts.length == 2 ? Durations.parse(parts[1]) : Optional.empty();
    if (low.isEmpty() || high.isEmpty() || low.get().compareTo(high.get()) > 0) {
      problems.add(place + "." + key + ": must be a range like 2s-14s (low to high), was " + text);
      return Optional.empty();
    }
    if (high.get().compareTo(max) > 0) {
      problems.add(
          place
              + "."
              + key
              + ": at most "
              + Durations.format(max)
              + " (the number carries it), was "
              + text);
      return Optional.empty();
    }
    return Optional.of(new Range(low.get(), high.get()));
  }
}
