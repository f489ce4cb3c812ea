package org.pingdialer.call;

/**
 * One call to one number, as decided before it is placed.
 *
 * @param number E.164 digits without '+', as the trunk wants them
 */
public record Attempt(AttemptKey key, String number, Kind kind) {

  /** A campaign call, or a line check ("ping") that only learns whether the number is live. */
  public enum Kind {
    CALL,
    LINE_CHECK
  }

  public Attempt {
    if (!number.matches("\\d{3,15}")) {
      throw new IllegalArgumentException(
          "number '" + number + "' must be 3-15 digits (E.164 without '+') for attempt " + key);
    }
  }
}
