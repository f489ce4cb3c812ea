package org.pingdialer.lab.persona;

import java.io.IOException;
import java.io.Writer;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * "Bought data" for the lab: a lead list drawn from a {@link PersonaMix}, with numbers that route
 * to the drawn personas in the simulated network and the columns real lists have (names, e-mail,
 * source, consent time), numbers written the ways people write them. The same mix, count and seed
 * give the same list.
 */
public final class BoughtList {
  private static final List<String> FIRST_NAMES =
      List.of(
          "Anna",
          "Jörg",
          "Lena",
          "Mehmet",
          "Sabine",
          "Thomas",
          "Katarzyna",
          "Lukas",
          "Fatma",
          "Stefan",
          "Marie",
          "Jürgen",
          "Sophie",
          "Dirk",
          "Elif",
          "Paul",
          "Ute",
          "Felix",
          "Hanna",
          "Björn");
  private static final List<String> LAST_NAMES =
      List.of(
          "Müller",
          "Schmidt",
          "Schneider",
          "Fischer",
          "Weber",
          "Meyer",
          "Wagner",
          "Becker",
          "Schulz",
          "Hoffmann",
          "Yılmaz",
          "Koch",
          "Richter",
          "Klein",
          "Wolf",
          "Schröder",
          "Neumann",
          "Schwarz",
          "Zimmermann",
          "Braun");
  private static final List<String> SOURCES =
      List.of("Gewinnspiel 2026", "Messe Berlin", "Web-Formular", "Partnerliste");

  /** One bought lead: its number as written in the file, and what it routes to. */
  public record Row(
      String phone,
      String e164,
      Persona persona,
      String firstName,
      String lastName,
      String email,
      String source,
      Instant consentAt) {}

  private BoughtList() {}

  /**
   * Draws {@code count} leads: each persona gets its share (rounded by largest remainder, so the
   * counts are exact), in an order shuffled by {@code seed}.
   */
  public static List<Row> generate(PersonaMix mix, int count, long seed, Instant now) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be ≥ 1, was " + count);
    }
    Random random = new Random(seed);
    List<Persona> drawn = allocate(mix, count);
    Collections.shuffle(drawn, random);
    Set<String> used = new HashSet<>();
    Map<Persona, Integer> serials = new EnumMap<>(Persona.class);
    List<Row> rows = new ArrayList<>(count);
    for (Persona persona : drawn) {
      String digits =
          persona == Persona.PERSON
              ? person(mix.shares().get(persona), random, used)
              : next(persona, serials, used);
      String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
      String last = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
      rows.add(
          new Row(
              written(digits, rows.size()),
              "+" + digits,
              persona,
              first,
              last,
              ascii(first) + "." + ascii(last) + "@example.org",
              SOURCES.get(random.nextInt(SOURCES.size())),
              now.minus(1 + random.nextInt(365), ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES)));
    }
    return rows;
  }

  /** Exact counts per persona: floor of each share, the rest to the largest remainders. */
  static List<Persona> allocate(PersonaMix mix, int count) {
    List<Map.Entry<Persona, PersonaMix.Share>> shares = new ArrayList<>(mix.shares().entrySet());
    shares.sort(Map.Entry.comparingByKey()); // a fixed order, whatever the map's
    Map<Persona, Integer> counts = new EnumMap<>(Persona.class);
    int given = 0;
    for (var entry : shares) {
      int n = (int) Math.floor(entry.getValue().share() * count);
      counts.put(entry.getKey(), n);
      given += n;
    }
    shares.sort(
        Comparator.comparingDouble(
                (Map.Entry<Persona, PersonaMix.Share> e) ->
                    e.getValue().share() * count - Math.floor(e.getValue().share() * count))
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    for (int i = 0; given < count; i++, given++) {
      counts.merge(shares.get(i % shares.size()).getKey(), 1, Integer::sum);
    }
    List<Persona> drawn = new ArrayList<>(count);
    counts.forEach((persona, n) -> drawn.addAll(Collections.nCopies(n, persona)));
    return drawn;
  }

  /** {@code 4930999 11 R TT S}: ring R × 2 s, stays TT × 5 s, serial S (see the dialplan). */
  private static String person(PersonaMix.Share share, Random random, Set<String> used) {
    int ring = (int) Math.round(draw(share.ring().orElseThrow(), random).toMillis() / 2000.0);
    int stays = (int) Math.round(draw(share.stays().orElseThrow(), random).toMillis() / 5000.0);
    ring = Math.min(9, Math.max(0, ring));
    stays = Math.min(99, Math.max(0, stays));
    // Ten serials per (ring, stay); when all are taken the stay moves on by 5 s.
    for (int shift = 0; shift < 100; shift++) {
      int stay = (stays + shift) % 100;
      for (int serial = 0; serial < 10; serial++) {
        String digits =
            Persona.BLOCK
                + Persona.PERSON.code()
                + ring
                + String.format(Locale.ROOT, "%02d", stay)
                + serial;
        if (used.add(digits)) {
          return digits;
        }
      }
    }
    throw new IllegalStateException("no person number left for a ring of " + ring * 2 + " s");
  }

  private static String next(Persona persona, Map<Persona, Integer> serials, Set<String> used) {
    int serial = serials.merge(persona, 1, Integer::sum);
    if (serial > 9999) {
      throw new IllegalStateException("more than 9999 leads of persona " + persona.key());
    }
    String digits = Persona.BLOCK + persona.code() + String.format(Locale.ROOT, "%04d", serial);
    used.add(digits);
    return digits;
  }

  private static Duration draw(PersonaMix.Range range, Random random) {
    long span = range.max().toMillis() - range.min().toMillis();
    return range.min().plusMillis(span == 0 ? 0 : (long) (random.nextDouble() * span));
  }

  /** The number as people write it: national, international, 0049, with a slash. */
  static String written(String digits, int index) {
    String area = digits.substring(2, 4); // 30
    String subscriber = digits.substring(4); // 999 PP NNNN
    return switch (index % 4) {
      case 0 -> "0" + area + " " + subscriber;
      case 1 -> "+49 " + area + " " + subscriber;
      case 2 -> "0049 " + area + " " + subscriber;
      default ->
          "0"
              + area
              + "/"
              + subscriber.substring(0, 3)
              + " "
              + subscriber.substring(3, 6)
              + " "
              + subscriber.substring(6);
    };
  }

  private static String ascii(String name) {
    String replaced =
        name.replace("ä", "ae")
            .replace("ö", "oe")
            .replace("ü", "ue")
            .replace("ß", "ss")
            .replace("ı", "i");
    return Normalizer.normalize(replaced, Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Writes the list as a CSV with German headers, as such lists are sold: Telefon, Vorname,
   * Nachname, E-Mail, Quelle, Einwilligung, and Persona (kept as an attribute on import).
   */
  public static void writeCsv(List<Row> rows, Writer out) throws IOException {
    out.write("Telefon;Vorname;Nachname;E-Mail;Quelle;Einwilligung;Persona\r\n");
    for (Row row : rows) {
      out.write(
          String.join(
                  ";",
                  row.phone(),
                  row.firstName(),
                  row.lastName(),
                  row.email(),
                  row.source(),
                  row.consentAt().toString(),
                  row.persona().key())
              + "\r\n");
    }
  }
}
