package org.pingdialer.call;

/**
 * Numbers known to belong to anti-telemarketing bots (the "phone goat"), which answer and keep an
 * agent talking: reports and the dashboard show how long such calls held agents. The lab's
 * simulated network knows its own bots' numbers; without a list, no number is one.
 */
@FunctionalInterface
public interface KnownBots {
  boolean isBot(String number);

  /** No number is known to be a bot. */
  static KnownBots none() {
    return number -> false;
  }
}
