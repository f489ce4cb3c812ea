package org.pingdialer.lead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRulesException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The time zones a number's region can be in, from the tz database's zone.tab (resource {@code
 * region-zones.tsv}). Zones that keep the same clock today (Berlin and Busingen; New York and
 * Detroit) are merged, so Germany has one zone and the US eight.
 *
 * <p>A number in a region with several zones gets all of them: without area-code data (the
 * libphonenumber geocoder is not available to this build) a calling window must be open in every
 * zone the callee might be in. That is conservative for the US, exact for single-zone countries.
 */
final class NumberTimezones {
  /** Clocks compared weekly over two years: same offsets ⇒ same calling-hours behaviour. */
  private static final Instant SAMPLE_FROM = Instant.parse("2026-01-01T00:00:00Z");

  private static final int SAMPLE_WEEKS = 104;

  private static final NumberTimezones INSTANCE = load();

  private final Map<String, List<ZoneId>> byRegion;

  private NumberTimezones(Map<String, List<ZoneId>> byRegion) {
    this.byRegion = byRegion;
  }

  static NumberTimezones instance() {
    return INSTANCE;
  }

  /** The distinct zones of {@code region}; empty for regions without a zone (e.g. 001). */
  List<ZoneId> zonesOf(String region) {
    return byRegion.getOrDefault(region, List.of());
  }

  private static NumberTimezones load() {
    Map<String, List<ZoneId>> byRegion = new HashMap<>();
    try (InputStream in =
            Objects.requireNonNull(
                NumberTimezones.class.getResourceAsStream("region-zones.tsv"),
                "region-zones.tsv missing from the jar");
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] columns = line.split("\t", 2);
        List<ZoneId> zones = new ArrayList<>();
        for (String id : columns[1].split(" ")) {
          try {
            ZoneId zone = ZoneId.of(id);
            if (zones.stream().noneMatch(kept -> sameClock(kept, zone))) {
              zones.add(zone);
            }
          } catch (ZoneRulesException e) {
            // A zone newer than this JDK's tz data: its region keeps its other zones.
          }
        }
        byRegion.put(columns[0], List.copyOf(zones));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new NumberTimezones(Map.copyOf(byRegion));
  }

  private static boolean sameClock(ZoneId a, ZoneId b) {
    for (int week = 0; week < SAMPLE_WEEKS; week++) {
      Instant at = SAMPLE_FROM.plusSeconds(week * 7L * 24 * 3600);
      ZoneOffset offsetA = a.getRules().getOffset(at);
      if (!offsetA.equals(b.getRules().getOffset(at))) {
        return false;
      }
    }
    return true;
  }
}
