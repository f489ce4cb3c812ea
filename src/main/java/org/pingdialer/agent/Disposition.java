package org.pingdialer.agent;

import java.time.Instant;
import java.util.Optional;

/**
 * How an agent files a call (domain.md: refusal, callback, sale, plus DNC, wrong number, machine).
 */
public sealed interface Disposition {
  /** The callee said no. */
  record Refused() implements Disposition {}

  /**
   * Call again at {@code at}; {@code agent} present when only the agent who took the call may take
   * the callback.
   */
  record Callback(Instant at, Optional<String> agent) implements Disposition {}

  record Sale() implements Disposition {}

  /** Never call this number again: goes onto the campaign's DNC list at once. */
  record DoNotCall() implements Disposition {}

  record WrongNumber() implements Disposition {}

  /** An answering machine the AMD did not catch. */
  record Machine() implements Disposition {}

  /** The short name used in reports and the API, e.g. {@code callback}. */
  default String code() {
    return switch (this) {
      case Refused r -> "refused";
      case Callback c -> "callback";
      case Sale s -> "sale";
      case DoNotCall d -> "dnc";
      case WrongNumber w -> "wrong_number";
      case Machine m -> "machine";
    };
  }
}
