package org.pingdialer.agent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.lead.LeadEvent;

/**
 * Where filed dispositions go. Filing is one transaction: the disposition, the lead's change, a DNC
 * entry for a do-not-call, and their audit rows. Thread-safe; calls block.
 */
public interface DispositionStore {

  /**
   * One filing.
   *
   * @param leadEvent what the disposition does to the lead (see {@link DispositionRules})
   * @param dncList where a do-not-call goes (the campaign's first DNC list, else global)
   */
  record Filing(
      AttemptKey attempt,
      long leadId,
      String agentId,
      Disposition disposition,
      LeadEvent leadEvent,
      String dncList,
      Instant at) {}

  /**
   * Files it.
   *
   * @throws IllegalStateException when the attempt was already filed, or the lead cannot take the
   *     change; nothing is stored then
   */
  void file(Filing filing);

  /** The disposition of an attempt, if filed. */
  Optional<Disposition> of(AttemptKey attempt);

  /** The codes an agent filed, oldest first. */
  List<String> codesBy(String agentId);
}
