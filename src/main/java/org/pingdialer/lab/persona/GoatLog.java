package org.pingdialer.lab.persona;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the phone goat (personas 95 and 96 of the simulated network) wrote about its calls: one line
 * per phrase it said and one per call when the caller hung up, as {@code key=value} words (see
 * {@code [goat]} in {@code asterisk-config/pstn/extensions.conf}). The network instance writes it
 * to {@code log/goat.log} in its directory.
 *
 * @param phrases every phrase said, in the order written
 * @param calls every call that ended, in the order written
 */
public record GoatLog(List<Phrase> phrases, List<Call> calls) {
  /** The file in the network instance's directory. */
  public static final String FILE = "log/goat.log";

  public GoatLog {
    phrases = List.copyOf(phrases);
    calls = List.copyOf(calls);
  }

  /**
   * One phrase the goat started to say.
   *
   * @param call the goat channel's unique id
   * @param n the phrase's number in its call, from 1
   * @param name the phrase's name in {@code goat-phrases.conf}, e.g. {@code open2}, {@code loop1}
   * @param why {@code answer}, {@code reply} (the caller spoke and paused) or {@code silence}
   */
  public record Phrase(Instant at, String call, String voice, int n, String name, String why) {}

  /**
   * A call the caller ended (the goat never ends one).
   *
   * @param held from the goat's answer to the hangup
   * @param phrases how many phrases it said
   * @param asks how many of them asked who is there because the caller was silent
   * @param hangupBy Asterisk's hangup source: the goat's own channel when the far end hung up
   * @param cause the Q.850 cause of the hangup
   */
  public record Call(
      Instant at,
      String call,
      String voice,
      Duration held,
      int phrases,
      int asks,
      String hangupBy,
      int cause) {
    /** Whether the goat's dialplan ended the call itself (it never should). */
    public boolean endedByGoat() {
      return hangupBy.startsWith("dialplan/") || hangupBy.isEmpty();
    }
  }

  /** Reads the log of the network instance in {@code pstnDir}; none yet is an empty log. */
  public static GoatLog of(Path pstnDir) {
    return read(pstnDir.resolve(FILE));
  }

  /** Reads a goat log; a missing file is an empty log. */
  public static GoatLog read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException none) {
      lines = List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the phone goat's log " + file, e);
    }
    List<Phrase> phrases = new ArrayList<>();
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      Map<String, String> words = words(line);
      try {
        switch (words.getOrDefault("event", "")) {
          case "phrase" ->
              phrases.add(
                  new Phrase(
                      instant(words.get("at")),
                      words.get("call"),
                      words.get("voice"),
                      Integer.parseInt(words.get("n")),
                      words.get("name"),
                      words.get("why")));
          case "end" ->
              calls.add(
                  new Call(
                      instant(words.get("at")),
                      words.get("call"),
                      words.get("voice"),
                      seconds(words.get("held")),
                      Integer.parseInt(words.get("phrases")),
                      Integer.parseInt(words.get("asks")),
                      words.getOrDefault("hangup_by", ""),
                      Integer.parseInt(words.getOrDefault("cause", "0"))));
          default -> throw new IllegalArgumentException("event must be phrase or end, was " + line);
        }
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            file
                + ":"
                + (i + 1)
                + ": not a line of the phone goat's log ([goat] in"
                + " asterisk-config/pstn/extensions.conf writes them): "
                + e.getMessage(),
            e);
      }
    }
    return new GoatLog(phrases, calls);
  }

  /** The phrases of one call, in order. */
  public List<Phrase> phrasesOf(String call) {
    return phrases.stream().filter(p -> p.call().equals(call)).toList();
  }

  /** How long the goat held its callers, all calls together. */
  public Duration totalHeld() {
    return calls.stream().map(Call::held).reduce(Duration.ZERO, Duration::plus);
  }

  private static Map<String, String> words(String line) {
    Map<String, String> words = new HashMap<>();
    for (String word : line.split(" ")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        words.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    return words;
  }

  /** Asterisk's {@code %s.%3q}: seconds since the epoch with milliseconds. */
  private static Instant instant(String epochSeconds) {
    if (epochSeconds == null) {
      throw new IllegalArgumentException("no at=");
    }
    BigDecimal millis = new BigDecimal(epochSeconds).movePointRight(3);
    return Instant.ofEpochMilli(millis.longValue());
  }

  private static Duration seconds(String seconds) {
    if (seconds == null) {
      throw new IllegalArgumentException("no held=");
    }
    return Duration.ofMillis(new BigDecimal(seconds).movePointRight(3).longValue());
  }
}
