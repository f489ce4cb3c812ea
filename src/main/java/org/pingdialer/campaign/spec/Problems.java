package org.pingdialer.campaign.spec;

import java.util.ArrayList;
import java.util.List;

/** Collects what is wrong with one campaign file, so all of it is reported at once. */
final class Problems {
  private final String source;
  private final List<String> lines = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  /**
   * @param place a dotted path such as {@code pacing.ring_timeout}, or {@code line 3, column 7}
   */
  void add(String place, String what) {
    lines.add(source + ": " + place + ": " + what);
  }

  void add(String place, String what, String was) {
    add(place, what + ", was " + was);
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  CampaignFileException exception() {
    return new CampaignFileException(lines);
  }
}
