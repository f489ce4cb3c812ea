package org.pingdialer.agent;

import org.pingdialer.lead.Lead;

/**
 * Where a preview campaign shows an agent the lead it is reserved for, before the call is placed.
 * The desk implements it (the API and dashboard read it from there); told on the dialer's thread.
 */
public interface PreviewScreen {
  /** The agent is reserved for {@code lead}; the call is not placed yet. */
  void show(String agentId, Lead lead);

  /**
   * The preview ended without a call (the agent skipped the lead, or the lead could not be dialed):
   * the agent is free again.
   */
  void clear(String agentId, String why);
}
