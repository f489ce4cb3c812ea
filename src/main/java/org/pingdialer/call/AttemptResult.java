package org.pingdialer.call;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one attempt ended, with its evidence.
 *
 * @param cause Asterisk's final Q.850 cause (0 when the channel was never created or its end was
 *     not seen)
 * @param techCause the far end's SIP status when Asterisk reported one
 * @param lineCheck for line checks: what the check learned
 * @param agentId the agent the call was connected to, if any
 * @param controllerError true when the call met a (state, event) pair without a rule
 */
public record AttemptResult(
    Attempt attempt,
    DialOutcome outcome,
    int cause,
    Integer techCause,
    Optional<LineCheckResult> lineCheck,
    Timeline timeline,
    Optional<String> agentId,
    List<Evidence> evidence,
    boolean controllerError) {

  public AttemptResult {
    evidence = List.copyOf(evidence);
  }

  /** The evidence entry that holds AMD's verdict: {@code "MACHINE LONGGREETING-2000-2000"}. */
  public static final String AMD_EVIDENCE = "AmdResult";

  /** AMD's verdict (AMDSTATUS AMDCAUSE) with its time, when the call went through AMD. */
  public Optional<Evidence> machineDetection() {
    return evidence.stream().filter(e -> e.event().equals(AMD_EVIDENCE)).findFirst();
  }

  /** Answer to AMD's verdict: how long the callee was listened to; empty without AMD. */
  public Optional<Duration> timeToDetection() {
    return timeline.answeredAt() == null
        ? Optional.empty()
        : machineDetection().map(e -> Duration.between(timeline.answeredAt(), e.at()));
  }

  /** The outcome as the callee lived it (see {@link DialOutcome#asLived}). */
  public DialOutcome lived() {
    return outcome.asLived(timeline.answeredAt() != null, timeline.bridgedAt() != null);
  }

  public AttemptKey key() {
    return attempt.key();
  }
}
