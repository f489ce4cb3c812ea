package org.pingdialer.call;

import java.util.Map;

/**
 * What the far end's hangup cause means when a call ends before anyone answered and before we asked
 * for the hangup. Causes are Q.850 as Asterisk reports them in {@code ChannelDestroyed}; {@code
 * techCause} is the SIP status (Asterisk 22.7+). Rows follow ari-reference section 2; a cause that
 * is not in the table is {@link DialOutcome#UNKNOWN}, never guessed.
 */
public final class CauseTable {
  private static final Map<Integer, DialOutcome> BY_CAUSE =
      Map.ofEntries(
          Map.entry(1, DialOutcome.UNALLOCATED), // 404, 485, 604
          Map.entry(3, DialOutcome.FAILED), // no route: our routing is wrong
          Map.entry(16, DialOutcome.CALLEE_HUNGUP), // normal clearing before answer
          Map.entry(17, DialOutcome.BUSY), // 486, 600
          Map.entry(18, DialOutcome.NO_ANSWER), // 408: nobody responding
          Map.entry(19, DialOutcome.NO_ANSWER), // 480: alerting, no answer
          Map.entry(20, DialOutcome.UNAVAILABLE), // subscriber absent
          Map.entry(21, DialOutcome.REJECTED), // 603, 403
          Map.entry(22, DialOutcome.INVALID_NUMBER), // 410: number changed
          Map.entry(27, DialOutcome.UNAVAILABLE), // 502: destination out of order
          Map.entry(28, DialOutcome.INVALID_NUMBER), // 484: invalid number format
          Map.entry(31, DialOutcome.REJECTED), // normal, unspecified
          Map.entry(34, DialOutcome.CONGESTION), // 503, other 5xx
          Map.entry(38, DialOutcome.CONGESTION), // 500: network out of order
          Map.entry(41, DialOutcome.CONGESTION), // 409: temporary failure
          Map.entry(42, DialOutcome.CONGESTION), // switching equipment congestion
          Map.entry(58, DialOutcome.FAILED), // 488/606: codec mismatch, our config
          Map.entry(102, DialOutcome.CONGESTION)); // 504: timeout in the network

  private CauseTable() {}

  /** The outcome of a call the far end ended before answer. */
  public static DialOutcome beforeAnswer(int cause, Integer techCause) {
    if (techCause != null && (techCause == 401 || techCause == 407)) {
      // Asterisk maps 401/407 to cause 21 "rejected", but it means our trunk credentials are
      // wrong: a controller-side failure, not a callee who declined.
      return DialOutcome.FAILED;
    }
    return BY_CAUSE.getOrDefault(cause, DialOutcome.UNKNOWN);
  }

  /** The causes the table knows; for tests and documentation. */
  static Map<Integer, DialOutcome> rows() {
    return BY_CAUSE;
  }
}
