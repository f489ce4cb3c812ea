package org.pingdialer.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.KnownBots;
import org.pingdialer.call.Timeline;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.compliance.AbandonGovernor;
import org.pingdialer.inbound.InboundCallStore;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.report.CampaignReport.AgentLine;
import org.pingdialer.report.CampaignReport.Bucket;
import org.pingdialer.report.ReportData.CallRow;
import org.pingdialer.report.ReportData.FiledRow;

/**
 * Builds campaign reports from the store. The abandon rate is the governor's own computation, fed
 * from the attempts table as the dialing loop feeds it at start, so report and governor agree.
 * Thread-safe (no state besides its collaborators); calls block on the database.
 */
public final class CampaignReports {
  /** At most this many calls outside a window are listed one by one. */
  static final int OUTSIDE_LISTED = 100;

  private static final long[] RING_BOUNDS_S = {0, 2, 5, 10, 15, 20, 30};
  private static final long[] DROP_BOUNDS_MS = {0, 250, 500, 1000, 1500, 2000, 3000};
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("EEE HH:mm:ss", Locale.ROOT);

  private final ReportData data;
  private final AttemptStore attempts;
  private final KnownBots bots;

  /**
   * @param bots numbers whose calls count as bot holds (the lab's goats)
   */
  public CampaignReports(ReportData data, AttemptStore attempts, KnownBots bots) {
    this.data = data;
    this.attempts = attempts;
    this.bots = bots;
  }

  /**
   * Every agent's work since {@code since} across {@code campaigns} and the {@code inbound} calls
   * (every queue's, as stored).
   */
  public AgentReport agents(
      List<Campaign> campaigns, List<InboundCallStore.Row> inbound, Instant since) {
    Map<String, List<CampaignReport.AgentLine>> outbound = new TreeMap<>();
    for (Campaign campaign : campaigns) {
      outbound.put(
          campaign.name(),
          agents(
              data.calls(campaign.name(), campaign.lists(), since),
              data.dispositions(campaign.name(), since)));
    }
    return AgentReport.of(since, outbound, inbound);
  }

  /** Campaign names with attempts in the store. */
  public List<String> campaignsWithAttempts() {
    return data.campaignsWithAttempts();
  }

  /**
   * The report of {@code campaign} at {@code now}.
   *
   * @param since leave out attempts placed before it (the abandon windows still end at now)
   */
  public CampaignReport build(Campaign campaign, Optional<Instant> since, Instant now) {
    List<CallRow> calls =
        data.calls(campaign.name(), campaign.lists(), since.orElse(Instant.EPOCH));
    List<FiledRow> filed = data.dispositions(campaign.name(), since.orElse(Instant.EPOCH));
    var compliance =
        new CampaignReport.Compliance(
            abandonRate(campaign, now),
            dropMessages(campaign, calls),
            ringTimes(campaign, calls),
            callingWindows(campaign, calls),
            goatHold(calls, bots));
    return new CampaignReport(
        campaign.name(),
        campaign.profile().name().toLowerCase(Locale.ROOT),
        now.truncatedTo(ChronoUnit.SECONDS), // for reading; counts use now
        since,
        outcomes(calls),
        leads(campaign),
        agents(calls, filed),
        compliance,
        List.of(
            "wrap-up after the disposition is filed (until the agent is ready again): agent"
                + " state changes are kept in memory only (AgentStats), not stored",
            "drop message end and whether it played to the end: only its start is stored"));
  }

  /** Calls to bots' numbers (the lab's goats) that reached an agent, bridged to end. */
  static CampaignReport.GoatHold goatHold(List<CallRow> calls, KnownBots bots) {
    long count = 0;
    Duration total = Duration.ZERO;
    Duration longest = Duration.ZERO;
    for (CallRow call : calls) {
      boolean goat = bots.isBot(call.number());
      var t = call.timeline();
      if (goat && t.bridgedAt() != null && t.endedAt() != null) {
        Duration held = Duration.between(t.bridgedAt(), t.endedAt());
        count++;
        total = total.plus(held);
        longest = longest.compareTo(held) < 0 ? held : longest;
      }
    }
    return new CampaignReport.GoatHold(
        true,
        "calls to the lab network's phone-goat numbers that reached an agent, from the bridge to"
            + " the call's end (a goat elsewhere is not known by its number)",
        count,
        total,
        longest);
  }

  static CampaignReport.Outcomes outcomes(List<CallRow> calls) {
    Map<DialOutcome, Long> byOutcome = zeros();
    Map<DialOutcome, Long> checksByOutcome = zeros();
    long placed = 0;
    long checks = 0;
    long inFlight = 0;
    long connected = 0;
    for (CallRow call : calls) {
      boolean check = call.kind() == Attempt.Kind.LINE_CHECK;
      if (check) {
        checks++;
      } else {
        placed++;
      }
      if (call.outcome().isEmpty()) {
        inFlight++;
        continue;
      }
      (check ? checksByOutcome : byOutcome).merge(call.outcome().get(), 1L, Long::sum);
      if (!check && call.agentId().isPresent() && call.timeline().bridgedAt() != null) {
        connected++;
      }
    }
    return new CampaignReport.Outcomes(
        placed, checks, inFlight, connected, byOutcome, checksByOutcome);
  }

  private CampaignReport.Leads leads(Campaign campaign) {
    Map<LeadState, Long> byState = new EnumMap<>(LeadState.class);
    for (LeadState state : LeadState.values()) {
      byState.put(state, 0L);
    }
    Map<LeadEvent.DoneReason, Long> done = new EnumMap<>(LeadEvent.DoneReason.class);
    for (LeadEvent.DoneReason reason : LeadEvent.DoneReason.values()) {
      done.put(reason, 0L);
    }
    long total = 0;
    for (ReportData.LeadCount count : data.leads(campaign.lists())) {
      total += count.count();
      byState.merge(count.state(), count.count(), Long::sum);
      if (count.state() == LeadState.DONE) {
        count.reason().ifPresent(reason -> done.merge(reason, count.count(), Long::sum));
      }
    }
    return new CampaignReport.Leads(total, byState, done);
  }

  static List<AgentLine> agents(List<CallRow> calls, List<FiledRow> filed) {
    Map<String, Work> byAgent = new TreeMap<>();
    Map<Long, Instant> endedAt = new HashMap<>();
    for (CallRow call : calls) {
      endedAt.put(call.attempt(), call.timeline().endedAt());
      Timeline t = call.timeline();
      if (call.agentId().isEmpty() || t.bridgedAt() == null) {
        continue;
      }
      Work work = byAgent.computeIfAbsent(call.agentId().get(), a -> new Work());
      work.calls++;
      if (t.endedAt() != null && t.endedAt().isAfter(t.bridgedAt())) {
        work.talk = work.talk.plus(Duration.between(t.bridgedAt(), t.endedAt()));
      }
    }
    for (FiledRow row : filed) {
      Work work = byAgent.computeIfAbsent(row.agentId(), a -> new Work());
      work.codes.merge(row.code(), 1L, Long::sum);
      Instant ended = endedAt.get(row.attempt());
      if (ended != null && row.filedAt().isAfter(ended)) {
        work.wrap = work.wrap.plus(Duration.between(ended, row.filedAt()));
      }
    }
    List<AgentLine> lines = new ArrayList<>();
    byAgent.forEach(
        (agent, work) ->
            lines.add(
                new AgentLine(
                    agent,
                    work.calls,
                    work.talk,
                    work.wrap,
                    Collections.unmodifiableMap(work.codes))));
    return lines;
  }

  /** One agent's sums while {@link #agents} counts (local to that method). */
  private static final class Work {
    long calls;
    Duration talk = Duration.ZERO;
    Duration wrap = Duration.ZERO;
    final Map<String, Long> codes = new TreeMap<>();
  }

  /**
   * The governor, fed from the same query and with the same limits as the dialing loop's at start,
   * asked for its two windows.
   */
  private CampaignReport.AbandonRate abandonRate(Campaign campaign, Instant now) {
    Optional<AbandonGovernor.Limits> limits = AbandonGovernor.Limits.of(campaign);
    // A campaign without a cap is not governed; its rate is still counted the governor's way.
    var governor = new AbandonGovernor(limits.orElse(new AbandonGovernor.Limits(0.02, 0.03, 0.0)));
    for (AttemptStore.Ended ended :
        attempts.endedSince(campaign.name(), now.minus(AbandonGovernor.MONTH))) {
      governor.record(ended.lived(), ended.at());
    }
    return new CampaignReport.AbandonRate(
        limits.map(AbandonGovernor.Limits::cap),
        limits.map(AbandonGovernor.Limits::target),
        limits.map(AbandonGovernor.Limits::machineFalsePositives).orElse(0.0),
        window(governor.window(now, AbandonGovernor.DAY)),
        window(governor.window(now, AbandonGovernor.MONTH)));
  }

  private static CampaignReport.Window window(AbandonGovernor.Window w) {
    return new CampaignReport.Window(w.answered(), w.abandoned(), w.machines(), w.rate());
  }

  static CampaignReport.DropMessages dropMessages(Campaign campaign, List<CallRow> calls) {
    Duration deadline =
        campaign
            .dropMessage()
            .map(Campaign.DropMessage::deadline)
            .orElse(DialPolicy.MAX_DROP_DEADLINE);
    long abandoned = 0;
    long over = 0;
    List<Duration> latencies = new ArrayList<>();
    for (CallRow call : calls) {
      if (call.outcome().orElse(null) != DialOutcome.ABANDONED) {
        continue;
      }
      abandoned++;
      Duration latency = call.timeline().answerToDropMessage();
      if (latency != null) {
        latencies.add(latency);
        if (latency.compareTo(deadline) > 0) {
          over++;
        }
      }
    }
    return new CampaignReport.DropMessages(
        abandoned,
        latencies.size(),
        abandoned - latencies.size(),
        deadline,
        over,
        spread(latencies),
        histogram(latencies, DROP_BOUNDS_MS, Duration::toMillis));
  }

  static CampaignReport.RingTimes ringTimes(Campaign campaign, List<CallRow> calls) {
    Duration minimum = DialPolicy.MIN_RING_TIME;
    Map<DialOutcome, Long> below = zeros();
    List<Duration> rings = new ArrayList<>();
    long belowCount = 0;
    for (CallRow call : calls) {
      Timeline t = call.timeline();
      if (call.outcome().isEmpty() || t.answeredAt() != null || t.ringDuration() == null) {
        continue;
      }
      Duration ring = t.ringDuration();
      rings.add(ring);
      if (ring.compareTo(minimum) < 0) {
        belowCount++;
        below.merge(call.outcome().get(), 1L, Long::sum);
      }
    }
    return new CampaignReport.RingTimes(
        minimum,
        campaign.pacing().ringTimeout(),
        rings.size(),
        belowCount,
        below,
        spread(rings),
        histogram(rings, RING_BOUNDS_S, Duration::toSeconds));
  }

  /**
   * Every attempt against the campaign's windows at the moment it was placed, in every zone of its
   * lead (as the hopper and the dial gate decide): recomputed from the attempts, not from refusals.
   */
  static CampaignReport.CallingWindows callingWindows(Campaign campaign, List<CallRow> calls) {
    var numbers = new PhoneNumbers(campaign.defaultRegion());
    long checked = 0;
    long outside = 0;
    long unknown = 0;
    List<CampaignReport.OutsideCall> listed = new ArrayList<>();
    for (CallRow call : calls) {
      List<ZoneId> zones = zones(call, numbers);
      if (zones.isEmpty()) {
        unknown++;
        continue;
      }
      checked++;
      boolean closed = false;
      List<String> local = new ArrayList<>();
      for (ZoneId zone : zones) {
        ZonedDateTime there = call.placedAt().atZone(zone);
        local.add(zone.getId() + " " + LOCAL.format(there));
        closed |= !campaign.callingWindows().isOpen(there);
      }
      if (closed) {
        outside++;
        if (listed.size() < OUTSIDE_LISTED) {
          listed.add(
              new CampaignReport.OutsideCall(
                  call.attempt(),
                  call.kind().name(),
                  call.number(),
                  call.placedAt(),
                  List.copyOf(local)));
        }
      }
    }
    return new CampaignReport.CallingWindows(checked, outside, unknown, listed);
  }

  /** The lead's zones; for a number no lead on the lists has, the zones of the number itself. */
  private static List<ZoneId> zones(CallRow call, PhoneNumbers numbers) {
    if (!call.zones().isBlank()) {
      return Arrays.stream(call.zones().trim().split("\\s+")).map(ZoneId::of).toList();
    }
    return numbers.parse("+" + call.number()) instanceof PhoneNumbers.Parsed.Valid valid
        ? valid.number().zones()
        : List.of();
  }

  private static Map<DialOutcome, Long> zeros() {
    Map<DialOutcome, Long> zeros = new EnumMap<>(DialOutcome.class);
    for (DialOutcome outcome : DialOutcome.values()) {
      zeros.put(outcome, 0L);
    }
    return zeros;
  }

  /** Nearest-rank percentiles. */
  static Optional<CampaignReport.Spread> spread(List<Duration> values) {
    if (values.isEmpty()) {
      return Optional.empty();
    }
    List<Duration> sorted = values.stream().sorted().toList();
    return Optional.of(
        new CampaignReport.Spread(rank(sorted, 0.5), rank(sorted, 0.9), sorted.getLast()));
  }

  private static Duration rank(List<Duration> sorted, double p) {
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }

  private static List<Bucket> histogram(
      List<Duration> values, long[] bounds, ToLongFunction<Duration> unit) {
    long[] counts = new long[bounds.length];
    for (Duration value : values) {
      long v = unit.applyAsLong(value);
      int i = bounds.length - 1;
      while (i > 0 && v < bounds[i]) {
        i--;
      }
      counts[i]++;
    }
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < bounds.length; i++) {
      buckets.add(
          new Bucket(
              bounds[i],
              i + 1 < bounds.length ? Optional.of(bounds[i + 1]) : Optional.empty(),
              counts[i]));
    }
    return buckets;
  }
}
