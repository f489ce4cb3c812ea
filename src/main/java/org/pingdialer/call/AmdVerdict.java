package org.pingdialer.call;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What Asterisk's {@code AMD()} decided, as the PBX's {@code [amd]} context passes it back into
 * Stasis: {@code StasisStart.args = [amd, AMDSTATUS, AMDCAUSE]}.
 *
 * @param cause AMD's reason with its measurements, e.g. {@code LONGGREETING-2000-2000} or {@code
 *     HUMAN-800-800}; kept as evidence
 */
public record AmdVerdict(Status status, String cause) {

  /** AMDSTATUS. */
  public enum Status {
    HUMAN,
    MACHINE,
    /** No decision within {@code total_analysis_time}: treated as a person (never dropped). */
    NOTSURE,
    /** The callee hung up while AMD listened. */
    HANGUP;

    /** Whether the call goes to an agent: a person, or a callee AMD could not place. */
    public boolean connects() {
      return this == HUMAN || this == NOTSURE;
    }
  }

  /** The first StasisStart argument that marks a return from the {@code [amd]} context. */
  public static final String STASIS_ARG = "amd";

  /**
   * The verdict carried by StasisStart arguments, or empty when they are not an AMD return. An
   * unknown status (a dialplan edited by hand) is taken as NOTSURE, so the callee is connected.
   */
  public static Optional<AmdVerdict> fromStasisArgs(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals(STASIS_ARG)) {
      return Optional.empty();
    }
    String status = args.size() > 1 ? args.get(1).trim().toUpperCase(Locale.ROOT) : "";
    String cause = args.size() > 2 ? args.get(2) : "";
    for (Status known : Status.values()) {
      if (known.name().equals(status)) {
        return Optional.of(new AmdVerdict(known, cause));
      }
    }
    return Optional.of(
        new AmdVerdict(Status.NOTSURE, "unknown AMDSTATUS '" + status + "' " + cause));
  }

  @Override
  public String toString() {
    return status + " " + cause;
  }
}
