package org.pingdialer.call;

import java.util.List;

/**
 * The result of one transition: the next state and the commands to run, in order.
 *
 * @param unexpected true when the (state, event) pair has no rule: a bug or an Asterisk behaviour
 *     we did not model; the engine logs it with the call's history
 */
public record Step(CallState next, List<CallCommand> commands, boolean unexpected) {
  public Step {
    commands = List.copyOf(commands);
  }

  static Step to(CallState next, CallCommand... commands) {
    return new Step(next, List.of(commands), false);
  }

  static Step stay(CallState state) {
    return new Step(state, List.of(), false);
  }
}
