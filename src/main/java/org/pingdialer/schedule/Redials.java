package org.pingdialer.schedule;

import java.time.Instant;
import java.util.List;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent.WaitReason;

/**
 * Wake-ups for leads that wait: a redial or a callback is due at a time, and the campaign's loop is
 * told then. The lead table stays the source of truth; a wake-up only asks the hopper again.
 */
public interface Redials extends AutoCloseable {
  /** Told when a lead's redial or callback is due (on a scheduler thread: hand work over). */
  @FunctionalInterface
  interface Due {
    void due(String campaign, long leadId, WaitReason reason, Instant scheduledFor);
  }

  /** Schedules (or moves) the lead's redial or callback to {@code at}. */
  void schedule(String campaign, long leadId, WaitReason reason, Instant at);

  /**
   * Gives every lead in {@code waiting} its wake-up if it has none (at startup: after a crash
   * between the store and the scheduler); returns how many were missing.
   */
  int rebuild(String campaign, List<Lead> waiting);

  /** Stops the scheduler; the wake-ups stay stored. */
  @Override
  void close();
}
