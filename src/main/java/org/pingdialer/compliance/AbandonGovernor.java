package org.pingdialer.compliance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.campaign.spec.Campaign;

/**
 * Keeps a campaign's abandon rate under its cap, on the regulators' windows: the rolling 24 hours
 * (UK) and 30 days (US), whichever is worse. The rate is abandoned calls over calls a person
 * answered, with the UK formula's estimate for answering-machine detection: a share of the calls
 * hung up as machines were people, so that share counts as abandoned (and as answered).
 *
 * <p>It does not pick the number of calls; it limits the pacer's calls-per-agent ratio: the full
 * ratio while the rate is under the target, less and less between target and cap, and one call per
 * agent (progressive, which never abandons for want of an agent) at the cap, and also while one
 * more abandoned call would pass the cap: a campaign's first answers of the day (33 at a 3 % cap),
 * or a rate just under the cap. Small teams get less of the ratio: below 10 agents an abandon moves
 * the rate more and predictive gains little.
 *
 * <p>It also bounds the calls that may ring with no ready agent to take them ({@link
 * Decision#unattended}): as many as could all be dropped with the windows' rates still at or under
 * the cap. A ratio is a bet on averages; this bound holds whatever the callees do, so a campaign
 * whose pacer has not yet learned how often people answer (a new one, on a list that answers more
 * than it assumed) cannot drop several calls at once past its cap.
 *
 * <p>Counts are kept per minute for 30 days. Not thread-safe: owned by the campaign loop's thread.
 */
public final class AbandonGovernor {
  public static final Duration DAY = Duration.ofHours(24);
  public static final Duration MONTH = Duration.ofDays(30);

  /** Below this many seated agents the ratio is scaled down (domain.md: "cautious below ~10"). */
  static final int SMALL_TEAM = 10;

  /**
   * The limits.
   *
   * @param target the rate the governor aims to stay under (throttling starts here)
   * @param cap the rate that must never be passed: progressive from here on
   * @param machineFalsePositives the share of detected machines that were people (UK formula)
   */
  public record Limits(double target, double cap, double machineFalsePositives) {
    public Limits {
      if (!(target > 0 && target <= cap && cap < 1)) {
        throw new IllegalArgumentException(
            "abandon limits need 0 < target <= cap < 1, were " + target + " and " + cap);
      }
      if (machineFalsePositives < 0 || machineFalsePositives > 1) {
        throw new IllegalArgumentException(
            "the machine false-positive share must be 0..1, was " + machineFalsePositives);
      }
    }

    /**
     * A campaign's limits: a predictive campaign's {@code max_abandon_rate} is the cap; otherwise
     * the strict profile's 3 %. The target is two thirds of the cap (2 % under 3 %). Lab campaigns
     * without a cap are not governed (the practice under study). With AMD on, its {@code
     * false_positives} estimate is the UK formula's share of detected machines counted as people.
     */
    public static Optional<Limits> of(Campaign campaign) {
      double cap =
          campaign.pacing() instanceof Campaign.Pacing.Predictive predictive
              ? predictive.maxAbandonRate()
              : campaign.profile() == DialPolicy.Profile.STRICT ? 0.03 : 0;
      return cap <= 0
          ? Optional.empty()
          : Optional.of(
              new Limits(
                  cap * 2 / 3,
                  cap,
                  campaign
                      .machineDetection()
                      .map(DialPolicy.MachineDetection::falsePositives)
                      .orElse(0.0)));
    }
  }

  /**
   * The rates now, and the ratio they allow.
   *
   * @param unattended the most calls that may be in flight beyond the ready agents (calls that
   *     would be dropped if all were answered at once): 0 is one call per ready agent
   */
  public record Decision(
      double rate24h, double rate30d, double allowedRatio, String why, int unattended) {}

  private final Limits limits;

  /** Per minute since the epoch: [answered by a person, abandoned, hung up as machine]. */
  private final TreeMap<Long, long[]> minutes = new TreeMap<>();

  public AbandonGovernor(Limits limits) {
    this.limits = limits;
  }

  /** Counts a call's outcome: answered (reached an agent), abandoned, or a detected machine. */
  public void record(DialOutcome outcome, Instant at) {
    int slot =
        switch (outcome) {
          case ANSWERED -> 0;
          case ABANDONED -> 1;
          case MACHINE -> 2;
          default -> -1; // nobody answered: not in the rate
        };
    if (slot >= 0) {
      minutes.computeIfAbsent(at.getEpochSecond() / 60, m -> new long[3])[slot]++;
    }
  }

  /**
   * What one window holds: calls a person answered (reached an agent), abandoned calls, and calls
   * hung up as machines, and the rate they give.
   */
  public record Window(long answered, long abandoned, long machines, double rate) {}

  /** The rate over the window ending at {@code now}: abandoned over answered by a person. */
  double rate(Instant now, Duration window) {
    return window(now, window).rate();
  }

  /**
   * The counts and rate over the window ending at {@code now}, as the governor decides on them;
   * reports use this so that they and the governor always agree.
   */
  public Window window(Instant now, Duration window) {
    long from = now.minus(window).getEpochSecond() / 60;
    minutes.headMap(now.minus(MONTH).getEpochSecond() / 60).clear(); // older than any window
    long answered = 0;
    long abandoned = 0;
    long machines = 0;
    for (Map.Entry<Long, long[]> minute : minutes.tailMap(from, false).entrySet()) {
      answered += minute.getValue()[0];
      abandoned += minute.getValue()[1];
      machines += minute.getValue()[2];
    }
    double people = machines * limits.machineFalsePositives();
    double live = answered + abandoned + people;
    return new Window(answered, abandoned, machines, live == 0 ? 0 : (abandoned + people) / live);
  }

  /**
   * How many more abandoned calls {@code window} can take with its rate still at or under the cap:
   * the largest {@code n} with {@code (abandoned + n) / (live + n) <= cap}; 0 when even one more
   * would pass it.
   */
  private int dropsLeft(Window window) {
    double people = window.machines() * limits.machineFalsePositives();
    double live = window.answered() + window.abandoned() + people;
    double room = (limits.cap() * live - window.abandoned() - people) / (1 - limits.cap());
    // A hair of slack: 0.03 × 100 − 3 is not exactly 0 in doubles.
    return room <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.floor(room + 1e-9));
  }

  /**
   * The calls-per-agent ratio allowed now.
   *
   * @param wanted the pacing's own ratio (power's ratio, or a predictive pacer's)
   * @param seatedAgents agents logged in
   */
  public Decision allow(double wanted, int seatedAgents, Instant now) {
    Window dayWindow = window(now, DAY);
    Window monthWindow = window(now, MONTH);
    double day = dayWindow.rate();
    double month = monthWindow.rate();
    double rate = Math.max(day, month);
    int unattended = Math.min(dropsLeft(dayWindow), dropsLeft(monthWindow));
    double ratio = wanted;
    String why = "under the target";
    if (seatedAgents < SMALL_TEAM && ratio > 1) {
      ratio = 1 + (ratio - 1) * seatedAgents / SMALL_TEAM;
      why = "small team (" + seatedAgents + " agents)";
    }
    if (rate >= limits.cap()) {
      return new Decision(day, month, 1, "at the cap: progressive", 0);
    }
    if (ratio > 1 && unattended == 0) {
      // Too few answers in the day for one more drop to stay under the cap (a campaign's first
      // 33 answers at 3 %, or a rate just under it): one call per agent, each with its agent.
      return new Decision(
          day,
          month,
          1,
          "one more abandon would pass the cap ("
              + dayWindow.answered()
              + " answered in 24 h): progressive",
          0);
    }
    if (rate >= limits.target() && ratio > 1) {
      double room = (limits.cap() - rate) / (limits.cap() - limits.target());
      ratio = 1 + (ratio - 1) * room;
      why = "over the target: throttled";
    }
    return new Decision(day, month, ratio, why, ratio > 1 ? unattended : 0);
  }
}
