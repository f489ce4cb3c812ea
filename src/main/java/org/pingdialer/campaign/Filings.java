package org.pingdialer.campaign;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.lead.Lead;

/**
 * The leads of a campaign loop's calls and the dispositions agents owe for them: the lead of every
 * call placed (until its outcome is applied or its disposition filed), which calls reached an
 * agent, which of those ended unfiled, and each agent's last call (what its disposition is for,
 * also after its wrap-up ended). Owned by the loop's thread; not thread-safe; no I/O.
 */
final class Filings {
  private final Map<AttemptKey, Lead> leadOf = new HashMap<>();

  /** Calls that reached an agent; their lead waits for the agent's disposition. */
  private final Set<AttemptKey> connected = new HashSet<>();

  /** Connected calls that ended and still wait for their disposition. */
  private final Set<AttemptKey> awaitingFiling = new HashSet<>();

  /** The call each agent took last, and its lead. */
  private final Map<String, AttemptKey> lastCallOf = new HashMap<>();

  private final Map<String, Lead> lastLeadOf = new HashMap<>();

  /** What an agent's disposition is for: its last call and that call's lead. */
  record Owed(AttemptKey call, Lead lead) {}

  /** What becomes of a call's lead when the call ends. */
  enum AfterEnd {
    /** Filed while the call was still up: the disposition moved the lead on already. */
    FILED_ALREADY,
    /** An agent took it and has not filed yet: the lead waits for the filing or its wrap-up. */
    AWAITS_FILING,
    /** Nobody took it (or the PBX cut it): the outcome's rule moves the lead on. */
    APPLY_OUTCOME
  }

  /** The loop placed {@code call} for {@code lead}. */
  void placed(AttemptKey call, Lead lead) {
    leadOf.put(call, lead);
  }

  /** A call a run that died left with {@code agentId}, adopted: placed and connected. */
  void adopted(AttemptKey call, Lead lead, String agentId) {
    placed(call, lead);
    connected(agentId, call);
  }

  /** The callee of {@code call} is with the agent: the agent's disposition is for its lead. */
  void connected(String agentId, AttemptKey call) {
    connected.add(call);
    lastCallOf.put(agentId, call);
    Lead lead = leadOf.get(call);
    if (lead != null) {
      lastLeadOf.put(agentId, lead);
    } else {
      lastLeadOf.remove(agentId); // not one of the loop's calls (a strict line check)
    }
  }

  /** What the agent's disposition is for now; empty when it took no call of the loop's. */
  Optional<Owed> owedBy(String agentId) {
    AttemptKey call = lastCallOf.get(agentId);
    Lead lead = lastLeadOf.get(agentId);
    return call == null || lead == null ? Optional.empty() : Optional.of(new Owed(call, lead));
  }

  /** The disposition for {@code call} is stored: nothing is owed for it any more. */
  void filed(AttemptKey call) {
    connected.remove(call);
    awaitingFiling.remove(call);
    leadOf.remove(call);
  }

  /** The call's result could not be had: its lead is forgotten here. */
  void forget(AttemptKey call) {
    leadOf.remove(call);
  }

  /** {@code call} ended with {@code outcome}: what becomes of its lead. */
  AfterEnd ended(AttemptKey call, DialOutcome outcome) {
    if (!leadOf.containsKey(call)) {
      connected.remove(call);
      return AfterEnd.FILED_ALREADY;
    }
    if (outcome == DialOutcome.LOST) {
      // Cut by the PBX while with the agent: nobody files a call that was taken from both of
      // them; the lead is dialed again now and the call not counted.
      connected.remove(call);
    }
    if (connected.contains(call)) {
      awaitingFiling.add(call);
      return AfterEnd.AWAITS_FILING;
    }
    leadOf.remove(call);
    return AfterEnd.APPLY_OUTCOME;
  }

  /** The agent whose last call is {@code call}, if any. */
  Optional<String> agentOf(AttemptKey call) {
    return lastCallOf.entrySet().stream()
        .filter(e -> e.getValue().equals(call))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * The agent's last call, if it ended and still waits for a filing, is owed no more (the agent's
   * wrap-up ended, or it left): its lead, for the loop to redial later.
   */
  Optional<Lead> unfiled(String agentId) {
    AttemptKey last = lastCallOf.get(agentId);
    if (last == null || !awaitingFiling.remove(last)) {
      return Optional.empty();
    }
    connected.remove(last);
    return Optional.ofNullable(leadOf.remove(last));
  }

  /** Connected calls that ended without a disposition yet. */
  int awaitingFiling() {
    return awaitingFiling.size();
  }
}
