package org.pingdialer.pacing;

import java.time.Duration;
import java.time.Instant;

/**
 * The field's baseline, as domain.md describes VICIdial's adaptive dialing: a dial level (calls per
 * logged-in agent) re-computed every 15 s from (ready agents − waiting calls), clamped to 1.0–3.0;
 * over the drop limit the level is halved, and at twice the limit it falls to 1. Drops are measured
 * since the start ("since midnight").
 */
public final class VicidialPacer implements Pacer {
  static final Duration ADJUST_EVERY = Duration.ofSeconds(15);

  private final double dropLimit;
  private double level = 1.0;
  private Instant lastAdjust;
  private long answered;
  private long dropped;

  public VicidialPacer(double dropLimit) {
    this.dropLimit = dropLimit;
  }

  @Override
  public void answered(Duration ring, Instant at) {
    answered++;
  }

  @Override
  public void abandoned(Instant at) {
    dropped++;
  }

  double level() {
    return level;
  }

  @Override
  public int callsToPlace(State state) {
    if (lastAdjust == null || !state.now().isBefore(lastAdjust.plus(ADJUST_EVERY))) {
      adjust(state);
      lastAdjust = state.now();
    }
    int target = (int) Math.round(level * state.agents());
    int busy = state.busy().size();
    int wanted = Math.min(state.channelLimit(), target - busy);
    return Math.max(0, wanted - state.callsDialing());
  }

  private void adjust(State state) {
    double dropRate = answered == 0 ? 0 : (double) dropped / answered;
    if (dropRate >= 2 * dropLimit) {
      level = 1.0;
      return;
    }
    if (dropRate >= dropLimit) {
      level = Math.max(1.0, level / 2);
      return;
    }
    // Ready agents with nothing ringing for them: raise the level; none ready: lower it a little.
    int idle = state.readyAgents() - state.callsDialing();
    if (idle > 0) {
      level = Math.min(3.0, level + 0.1 * idle / Math.max(1, state.agents()) * 3);
    } else if (state.readyAgents() == 0) {
      level = Math.max(1.0, level - 0.05);
    }
  }
}
