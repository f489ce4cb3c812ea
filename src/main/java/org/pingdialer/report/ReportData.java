package org.pingdialer.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Timeline;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;

/**
 * What a campaign report reads from the store: its attempts with their timelines, its dispositions,
 * and the states of the leads on its lists. Implemented by {@code store.JdbcReportData};
 * thread-safe, calls block.
 */
public interface ReportData {

  /** Campaign names with at least one attempt stored, sorted. */
  List<String> campaignsWithAttempts();

  /**
   * The campaign's attempts (calls and line checks) placed at or after {@code since}, oldest first,
   * each with the time zones of its lead on one of {@code lists} (empty when no lead there has the
   * number).
   */
  List<CallRow> calls(String campaign, List<String> lists, Instant since);

  /** The dispositions filed for the campaign's attempts placed at or after {@code since}. */
  List<FiledRow> dispositions(String campaign, Instant since);

  /** The leads on {@code lists} counted by state and, for DONE, by reason. */
  List<LeadCount> leads(List<String> lists);

  /**
   * One attempt as stored.
   *
   * @param number E.164 digits without '+'
   * @param outcome empty while the call is in flight (or its end was never stored)
   * @param agentId the agent the call was connected to
   * @param timeline null fields until they happened; all null while in flight
   * @param zones the lead's IANA zones separated by spaces; empty when unknown
   */
  record CallRow(
      long attempt,
      Attempt.Kind kind,
      String number,
      Instant placedAt,
      Optional<DialOutcome> outcome,
      Optional<String> agentId,
      Timeline timeline,
      String zones) {}

  /** One filed disposition: the attempt it filed, by whom, its code and when. */
  record FiledRow(long attempt, String agentId, String code, Instant filedAt) {}

  /** How many leads are in a state (and for DONE, with which reason). */
  record LeadCount(LeadState state, Optional<LeadEvent.DoneReason> reason, long count) {}
}
