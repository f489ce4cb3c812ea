package org.pingdialer.inbound;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where inbound calls are kept ({@code store.JdbcInboundStore}): a row when a caller arrives, its
 * answer, moves between queues and its one outcome. Every method blocks (a store worker calls it).
 */
public interface InboundCallStore {
  /** A caller arrived in {@code queue}; returns the call's id. */
  long arrived(String queue, String did, String caller, String channelId, Instant at);

  /** An agent took the call. */
  void answered(long id, String agentId, Instant at);

  /** An overflow moved the caller to {@code queue}; the first queue is kept once. */
  void moved(long id, String from, String queue);

  /**
   * The call ended with {@code outcome}; {@code recording} names its voicemail. A call ends once: a
   * second end changes nothing.
   */
  void ended(long id, InboundOutcome outcome, Instant at, Optional<String> recording);

  /** The agent filed {@code code} for the call (the last filing counts). */
  void filed(long id, String agentId, String code, Instant at);

  /** The calls without an outcome, oldest first. */
  List<Open> open();

  /** The calls of {@code queue} (every queue when empty) that arrived from {@code from}. */
  List<Row> calls(Optional<String> queue, Instant from);

  /** A call without an outcome: its controller died (or is running it now). */
  record Open(long id, String queue, String did, String channelId, Instant arrivedAt) {}

  /** One inbound call as stored. */
  record Row(
      long id,
      String queue,
      String did,
      String caller,
      Instant arrivedAt,
      Optional<Instant> answeredAt,
      Optional<Instant> endedAt,
      Optional<String> agentId,
      Optional<InboundOutcome> outcome,
      Optional<String> overflowedFrom,
      Optional<String> recording,
      Optional<String> disposition) {}

  /**
   * A queue's figures over the calls that arrived from {@code from}: the service level is the share
   * of ended calls answered within the threshold (calls still waiting do not count yet); the
   * average speed of answer is over answered calls.
   */
  record QueueFigures(
      String queue,
      long offered,
      long waiting,
      Map<InboundOutcome, Long> outcomes,
      long answeredWithin,
      double serviceLevel,
      Duration averageSpeedOfAnswer,
      Duration longestWait) {

    /**
     * The figures of {@code calls} (one queue's), with {@code threshold} as the service level's.
     */
    public static QueueFigures of(String queue, List<Row> calls, Duration threshold) {
      Map<InboundOutcome, Long> outcomes = new EnumMap<>(InboundOutcome.class);
      long waiting = 0;
      long within = 0;
      long ended = 0;
      long answered = 0;
      Duration answerTotal = Duration.ZERO;
      Duration longest = Duration.ZERO;
      for (Row call : calls) {
        if (call.outcome().isEmpty()) {
          waiting++;
          continue;
        }
        outcomes.merge(call.outcome().get(), 1L, Long::sum);
        ended++;
        if (call.answeredAt().isPresent()) {
          Duration wait = Duration.between(call.arrivedAt(), call.answeredAt().get());
          answered++;
          answerTotal = answerTotal.plus(wait);
          longest = wait.compareTo(longest) > 0 ? wait : longest;
          if (wait.compareTo(threshold) <= 0) {
            within++;
          }
        }
      }
      return new QueueFigures(
          queue,
          calls.size(),
          waiting,
          Map.copyOf(outcomes),
          within,
          ended == 0 ? 0 : (double) within / ended,
          answered == 0 ? Duration.ZERO : answerTotal.dividedBy(answered),
          longest);
    }
  }

  /** The figures of {@code queue}, with {@code threshold} as the service level's. */
  default QueueFigures figures(String queue, Instant from, Duration threshold) {
    return QueueFigures.of(queue, calls(Optional.of(queue), from), threshold);
  }
}
