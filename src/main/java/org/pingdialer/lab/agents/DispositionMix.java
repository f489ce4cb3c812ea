package org.pingdialer.lab.agents;

import java.time.Instant;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.pingdialer.agent.Disposition;

/**
 * How a lab agent files its calls: relative weights per outcome (e.g. refused 60, callback 10, sale
 * 30 means 60 % refused). Weights are whole numbers; their sum must be positive.
 */
public record DispositionMix(
    int refused, int callback, int sale, int doNotCall, int wrongNumber, int machine) {

  public DispositionMix {
    int[] all = {refused, callback, sale, doNotCall, wrongNumber, machine};
    long total = 0;
    for (int weight : all) {
      if (weight < 0) {
        throw new IllegalArgumentException("disposition weights must be >= 0, were " + this);
      }
      total += weight;
    }
    if (total == 0 || total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "disposition weights must add up to 1.." + Integer.MAX_VALUE + ", were " + this);
    }
  }

  /** Only refusals, callbacks and sales. */
  public static DispositionMix of(int refused, int callback, int sale) {
    return new DispositionMix(refused, callback, sale, 0, 0, 0);
  }

  /** One outcome; the only state used is {@code random}'s. */
  public Outcome draw(RandomGenerator random) {
    int[] weights = {refused, callback, sale, doNotCall, wrongNumber, machine};
    int total = 0;
    for (int weight : weights) {
      total += weight;
    }
    int pick = random.nextInt(total);
    Outcome[] outcomes = Outcome.values();
    for (int i = 0; i < weights.length; i++) {
      pick -= weights[i];
      if (pick < 0) {
        return outcomes[i];
      }
    }
    throw new AssertionError("weights " + this + " do not cover " + pick);
  }

  /** A disposition before it has a callback time. In the order of the record's components. */
  public enum Outcome {
    REFUSED,
    CALLBACK,
    SALE,
    DO_NOT_CALL,
    WRONG_NUMBER,
    MACHINE;

    /** The keys an agent types for it (DtmfCommands); a callback at {@code at}, local time. */
    public String keys(LocalTime at) {
      return switch (this) {
        case REFUSED -> "*1";
        case CALLBACK -> String.format(Locale.ROOT, "*2%02d%02d#", at.getHour(), at.getMinute());
        case SALE -> "*3";
        case DO_NOT_CALL -> "*4";
        case WRONG_NUMBER -> "*5";
        case MACHINE -> "*6";
      };
    }

    /** The disposition filed from the API; a callback at {@code at} for anyone. */
    public Disposition disposition(Instant at) {
      return switch (this) {
        case REFUSED -> new Disposition.Refused();
        case CALLBACK -> new Disposition.Callback(at, Optional.empty());
        case SALE -> new Disposition.Sale();
        case DO_NOT_CALL -> new Disposition.DoNotCall();
        case WRONG_NUMBER -> new Disposition.WrongNumber();
        case MACHINE -> new Disposition.Machine();
      };
    }
  }
}
