package org.pingdialer.campaign.spec;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.DialPolicy.Profile;
import org.pingdialer.lead.ClaimRequest;
import org.pingdialer.lead.PhoneNumber;

/**
 * One campaign as its file describes it, checked against its compliance profile and frozen. Build
 * it with {@link CampaignFiles}, which checks the profile's rules and reports every problem with
 * its place in the file; the constructors here only copy collections and check shapes.
 *
 * @param name the campaign id; it becomes part of Asterisk channel ids
 * @param lists names of the lead lists this campaign dials
 * @param trunk the PJSIP endpoint calls leave through, e.g. {@code carrier}
 * @param callerId the number callees see and can call back; required in the strict profile
 * @param defaultRegion ISO 3166 region for numbers written without a country code
 * @param retry when to redial after each outcome; an outcome without a rule is not redialed
 * @param dropMessage what an answered callee hears when no agent is free; empty means a silent drop
 *     (lab only)
 * @param machineDetection answered calls go through answering-machine detection (AMD) before an
 *     agent is connected; empty means AMD is off
 * @param agentGroup the agents who take this campaign's calls
 * @param share its place on an agent pool it shares with other campaigns: which agents work it, its
 *     priority and its weight
 * @param wrapUp time an agent has after a call before the next one is put through
 * @param dncLists DNC lists checked besides the global one (in the hopper and at dial time)
 * @param consentRequired only leads with a consent time are dialed (default in strict)
 * @param pauseCodes the reasons agents may pause with (system reasons such as phone-unreachable
 *     come on top)
 * @param onRestart what a new run does with the calls agents were on when a run died
 */
public record Campaign(
    String name,
    List<String> lists,
    Profile profile,
    String trunk,
    Optional<PhoneNumber> callerId,
    String defaultRegion,
    CallingWindows callingWindows,
    AttemptCaps attemptCaps,
    Map<DialOutcome, RetryRule> retry,
    Pacing pacing,
    LineCheck lineCheck,
    Optional<DropMessage> dropMessage,
    Optional<DialPolicy.MachineDetection> machineDetection,
    String agentGroup,
    Share share,
    Duration wrapUp,
    List<String> dncLists,
    boolean consentRequired,
    List<String> pauseCodes,
    OnRestart onRestart) {

  /**
   * What a new run does with a call an agent was on when the controller died (found in the agent's
   * bridge with the agent's phone): adopt it (follow it to its end and take the agent's
   * disposition, as if nothing happened) or end it (the customer hears the drop message where the
   * campaign has one; the agent logs in again).
   */
  public enum OnRestart {
    ADOPT,
    END
  }

  /**
   * A campaign's place on an agent pool shared with other campaigns (several campaigns on one
   * controller): a free agent goes to the campaign of the highest priority among those it works
   * that dial, campaigns of equal priority share agents by weight ({@code pacing.AgentShares}).
   *
   * @param priority a larger number gets the agents it shares first (at least 1)
   * @param weight its share among campaigns of equal priority (at least 1)
   * @param agents the ids of the agents who work it; empty: every agent
   */
  public record Share(int priority, int weight, Set<String> agents) {
    /** Every agent, priority 1, weight 1: a campaign alone on its agents. */
    public static final Share EVERYONE = new Share(1, 1, Set.of());

    public Share {
      agents = Set.copyOf(agents);
      if (priority < 1 || weight < 1) {
        throw new IllegalArgumentException(
            "priority and weight must be at least 1, were " + priority + " and " + weight);
      }
    }

    /** Whether the agent works this campaign. */
    public boolean takes(String agentId) {
      return agents.isEmpty() || agents.contains(agentId);
    }
  }

  /** The pause code when a campaign names none. */
  public static final String DEFAULT_PAUSE = "break";

  public Campaign {
    pauseCodes = List.copyOf(pauseCodes);
    lists = List.copyOf(lists);
    dncLists = List.copyOf(dncLists);
    // EnumMap keeps outcomes in declaration order, so printing a campaign is stable.
    retry = retry.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(retry));
  }

  /**
   * What the hopper may hand this campaign now: its lists, its calling windows in each lead's local
   * time, its attempt caps (none in lab when not set), its DNC lists and consent rule; unchecked
   * leads only when line checks are off.
   */
  public ClaimRequest claimRequest(String claimer, Instant now, int max) {
    return claimRequest(claimer, now, max, Set.of());
  }

  /** As above, with the agents ready now (their own callbacks may be handed out). */
  public ClaimRequest claimRequest(String claimer, Instant now, int max, Set<String> readyAgents) {
    return new ClaimRequest(
        name,
        claimer,
        lists,
        max,
        now,
        callingWindows::isOpen,
        attemptCaps.per24h().orElse(Integer.MAX_VALUE),
        attemptCaps.lifetime().orElse(Integer.MAX_VALUE),
        dncLists,
        consentRequired,
        lineCheck == LineCheck.OFF,
        readyAgents);
  }

  /** The rules one call of this campaign follows, for the call engine. */
  public DialPolicy dialPolicy() {
    return new DialPolicy(
        profile,
        pacing.ringTimeout(),
        lineCheck == LineCheck.PING,
        dropMessage.map(DropMessage::media),
        dropMessage.map(DropMessage::deadline).orElse(DialPolicy.MAX_DROP_DEADLINE),
        callerId.map(PhoneNumber::e164),
        machineDetection);
  }

  /**
   * When leads may be called, per weekday, in the lead's local time. A day without ranges is a day
   * without calls.
   */
  public record CallingWindows(Map<DayOfWeek, List<TimeRange>> days) {
    public CallingWindows {
      EnumMap<DayOfWeek, List<TimeRange>> copy = new EnumMap<>(DayOfWeek.class);
      days.forEach((day, ranges) -> copy.put(day, List.copyOf(ranges)));
      days = Collections.unmodifiableMap(copy);
    }

    /** The ranges of one day, in file order; empty when the day has no calling. */
    public List<TimeRange> on(DayOfWeek day) {
      return days.getOrDefault(day, List.of());
    }

    /**
     * Whether a call may start now.
     *
     * @param localTime the current time in the lead's own time zone
     */
    public boolean isOpen(ZonedDateTime localTime) {
      LocalTime time = localTime.toLocalTime();
      return on(localTime.getDayOfWeek()).stream().anyMatch(range -> range.contains(time));
    }
  }

  /**
   * A calling range within one day: from {@code start} (open) until {@code end} (closed). A range
   * that runs until midnight ({@code 24:00} in files) ends at {@link #MIDNIGHT}.
   */
  public record TimeRange(LocalTime start, LocalTime end) {
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /**
     * The end of a range written {@code -24:00}: the day's last instant, so every time of the day
     * before it is inside (a range ending at 23:59 leaves the day's last minute without calls).
     */
    public static final LocalTime MIDNIGHT = LocalTime.MAX;

    public TimeRange {
      if (!start.isBefore(end)) {
        throw new IllegalArgumentException("a time range must end after it starts: " + this);
      }
    }

    public boolean contains(LocalTime time) {
      return !time.isBefore(start) && time.isBefore(end);
    }

    public boolean overlaps(TimeRange other) {
      return start.isBefore(other.end) && other.start.isBefore(end);
    }

    /** As written in campaign files, e.g. {@code 09:00-12:30}. */
    @Override
    public String toString() {
      return HH_MM.format(start) + "-" + (end.equals(MIDNIGHT) ? "24:00" : HH_MM.format(end));
    }
  }

  /** How often one number may be called; empty means no cap (lab only). */
  public record AttemptCaps(OptionalInt per24h, OptionalInt lifetime) {}

  /**
   * Redial after an outcome.
   *
   * @param after wait at least this long after the attempt ended
   * @param max redial at most this many times after this outcome
   * @param agentReserved an agent is reserved before the redial is dialed, so the callee is never
   *     dropped again
   */
  public record RetryRule(Duration after, int max, boolean agentReserved) {}

  /** How many calls are dialed per agent. Every mode has a ring timeout. */
  public sealed interface Pacing {
    /** How long an unanswered call rings, counted from the first ring. */
    Duration ringTimeout();

    /**
     * The most calls of the campaign up at once (placed, ringing, with an agent): the channels it
     * may take on the trunk. Empty when only the agents bound them (preview, progressive).
     */
    default OptionalInt channelLimit() {
      return OptionalInt.empty();
    }

    /**
     * An agent is reserved and sees the lead first; the call is placed when the agent asks (or
     * skips the lead), or when the preview time is up.
     *
     * @param previewTime how long the agent sees the lead before the call is placed by itself
     */
    record Preview(Duration ringTimeout, Duration previewTime) implements Pacing {}

    /** One call per ready agent. */
    record Progressive(Duration ringTimeout) implements Pacing {}

    /**
     * A fixed number of calls per ready agent.
     *
     * @param maxChannels never more of the campaign's calls up at once, if given
     */
    record Power(double ratio, Duration ringTimeout, OptionalInt maxChannels) implements Pacing {
      /** Without a channel limit. */
      public Power(double ratio, Duration ringTimeout) {
        this(ratio, ringTimeout, OptionalInt.empty());
      }

      @Override
      public OptionalInt channelLimit() {
        return maxChannels;
      }
    }

    /**
     * The ratio adapts to answer rate and agent release times, held under the abandon-rate cap.
     *
     * @param maxAbandonRate abandoned ÷ live-answered calls, as a fraction (0.02 = 2 %)
     * @param maxChannels never more of the campaign's calls up at once than this
     */
    record Predictive(double maxAbandonRate, int maxChannels, Duration ringTimeout)
        implements Pacing {
      @Override
      public OptionalInt channelLimit() {
        return OptionalInt.of(maxChannels);
      }
    }
  }

  /** Whether numbers are checked for being live before they are dialed for an agent. */
  public enum LineCheck {
    OFF,
    /** A full compliant call: rings the full ring timeout, an answer gets an agent or a message. */
    FULL,
    /** Released at the first ringing signal: the one-ring "ping call"; lab only. */
    PING
  }

  /**
   * What an answered callee hears when no agent is free.
   *
   * @param sounds Asterisk sound names played in order, e.g. {@code custom/drop-de}
   * @param deadline the message starts within this time of the answer
   */
  public record DropMessage(List<String> sounds, Duration deadline) {
    public DropMessage {
      sounds = List.copyOf(sounds);
    }

    /** As ARI media URIs ({@code sound:custom/drop-de}). */
    public List<String> media() {
      return sounds.stream().map(sound -> "sound:" + sound).toList();
    }
  }
}
