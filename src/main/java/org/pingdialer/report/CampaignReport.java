package org.pingdialer.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;

/**
 * One campaign's report as read from the database: outcomes, leads, agents and compliance. Built by
 * {@link CampaignReports}; rendered by {@link ReportFormat}. Maps keep a stable order (enum or name
 * order) so that the JSON and CSV renderings are stable.
 *
 * @param since attempts placed before it are left out (not of the abandon windows, which always end
 *     at {@code generatedAt})
 * @param notRecorded measures the report cannot give because the store does not hold them
 */
public record CampaignReport(
    String campaign,
    String profile,
    Instant generatedAt,
    Optional<Instant> since,
    Outcomes outcomes,
    Leads leads,
    List<AgentLine> agents,
    Compliance compliance,
    List<String> notRecorded) {

  /**
   * What the attempts ended as.
   *
   * @param calls campaign calls placed (line checks not included)
   * @param inFlight attempts without a stored outcome (still ringing, or their end was not stored)
   * @param connectedToAgent calls that reached an agent
   * @param byOutcome ended calls by outcome, every outcome present
   * @param lineChecksByOutcome ended line checks by outcome, every outcome present
   */
  public record Outcomes(
      long calls,
      long lineChecks,
      long inFlight,
      long connectedToAgent,
      Map<DialOutcome, Long> byOutcome,
      Map<DialOutcome, Long> lineChecksByOutcome) {}

  /**
   * The leads on the campaign's lists now.
   *
   * @param byState every state present
   * @param doneByReason the DONE leads by reason, every reason present
   */
  public record Leads(
      long total, Map<LeadState, Long> byState, Map<LeadEvent.DoneReason, Long> doneByReason) {}

  /**
   * One agent's work on the campaign.
   *
   * @param calls calls connected to the agent
   * @param talk customer in the agent's bridge until the call ended, summed
   * @param wrap call end until the disposition was filed, summed (wrap-up after filing, until the
   *     agent is ready again, is not stored)
   * @param dispositions filed dispositions by code, in code order
   */
  public record AgentLine(
      String agent, long calls, Duration talk, Duration wrap, Map<String, Long> dispositions) {}

  public record Compliance(
      AbandonRate abandonRate,
      DropMessages dropMessages,
      RingTimes ringTimes,
      CallingWindows callingWindows,
      GoatHold goatHold) {}

  /**
   * The abandon rate on the regulators' windows as {@code dialer.AbandonGovernor} computes it
   * (abandoned over calls a person answered, detected machines counted by the UK formula's share).
   *
   * @param cap the campaign's cap; empty when it has none (a lab campaign without one)
   * @param machineShare the share of detected machines counted as people hung up on
   */
  public record AbandonRate(
      Optional<Double> cap,
      Optional<Double> target,
      double machineShare,
      Window last24h,
      Window last30d) {}

  /** One window's counts and rate, ending at the report's time. */
  public record Window(long answered, long abandoned, long machines, double rate) {}

  /**
   * Abandoned calls and the message they heard.
   *
   * @param played abandoned calls whose drop message started
   * @param silent abandoned calls dropped without a message (the lab's silent drop)
   * @param deadline the campaign's deadline for the message to start after the answer
   * @param overDeadline messages that started later than the deadline
   * @param latency answer to message start, over the played messages (empty when none)
   * @param histogramMs message starts by latency, bucket bounds in milliseconds
   */
  public record DropMessages(
      long abandoned,
      long played,
      long silent,
      Duration deadline,
      long overDeadline,
      Optional<Spread> latency,
      List<Bucket> histogramMs) {}

  /**
   * How long unanswered attempts rang (first ringing signal to the end), calls and line checks.
   *
   * @param minimum the least an unanswered call must ring (15 s, the strict profile's floor)
   * @param ringTimeout the campaign's ring timeout
   * @param unanswered ended attempts that rang and were never answered
   * @param belowMinimum of those, the ones that rang less than {@code minimum}
   * @param belowMinimumByOutcome the same by outcome (NO_ANSWER is the dialer giving up; others are
   *     the callee or the network ending the call)
   * @param histogramSeconds unanswered attempts by ring time, bucket bounds in seconds
   */
  public record RingTimes(
      Duration minimum,
      Duration ringTimeout,
      long unanswered,
      long belowMinimum,
      Map<DialOutcome, Long> belowMinimumByOutcome,
      Optional<Spread> spread,
      List<Bucket> histogramSeconds) {}

  /**
   * Attempts checked against the campaign's calling windows in the lead's time zones (all of them,
   * as the hopper does) at the moment each was placed. {@code outside} must be 0.
   *
   * @param zoneUnknown attempts whose number gave no time zone (not checked)
   * @param outsideCalls the first 100 attempts placed outside a window
   */
  public record CallingWindows(
      long checked, long outside, long zoneUnknown, List<OutsideCall> outsideCalls) {}

  /**
   * An attempt placed while the calling window was closed in one of the lead's zones.
   *
   * @param localTimes the placing time in each of the lead's zones
   */
  public record OutsideCall(
      long attempt, String kind, String number, Instant placedAt, List<String> localTimes) {}

  /**
   * How long the phone goat (an anti-telemarketing bot callee) held agents: calls to the lab
   * network's goat numbers that reached an agent, from the customer entering the agent's bridge to
   * the call's end.
   *
   * @param recorded whether the figure is known (it is, from the attempts table)
   * @param note how it is measured
   * @param calls goat calls that reached an agent
   */
  public record GoatHold(
      boolean recorded, String note, long calls, Duration total, Duration longest) {}

  /** Median, 90th percentile and maximum of a set of durations. */
  public record Spread(Duration p50, Duration p90, Duration max) {}

  /**
   * A histogram bucket: values from {@code from} (inclusive) to {@code to} (exclusive; empty for
   * the last, open bucket).
   */
  public record Bucket(long from, Optional<Long> to, long count) {}
}
