package org.pingdialer.pacing;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which outbound campaign an agent works next when it is a member of several: the rule of a shared
 * agent pool. Pure; the live pool and the simulator ask the same question.
 *
 * <p>A higher {@code priority} number comes first: while a campaign of higher priority is open (it
 * dials and wants agents), its members go to it and none of them to a lower one. Campaigns of equal
 * priority share their members by {@code weight}: each free agent goes to the campaign furthest
 * below its weighted share of the agents they hold (the Sainte-Laguë divisor rule, {@code weight /
 * (2 × holding + 1)} largest), so holdings follow the weights agent by agent, not only on average.
 * Equal standings go by name, so a choice never depends on the order of the list.
 */
public final class AgentShares {
  private AgentShares() {}

  /**
   * One campaign the agent is a member of, as the choice sees it.
   *
   * @param priority higher first
   * @param weight the share among campaigns of equal priority (at least 1)
   * @param open whether it dials now and wants agents (not paused, stopped, out of its calling
   *     window or out of leads)
   * @param holding agents it holds now, ready for it or on its calls, not counting the agent being
   *     placed
   */
  public record Claim(String campaign, int priority, int weight, boolean open, int holding) {
    public Claim {
      if (weight < 1) {
        throw new IllegalArgumentException(
            "campaign " + campaign + ": weight must be at least 1, was " + weight);
      }
      if (holding < 0) {
        throw new IllegalArgumentException(
            "campaign " + campaign + ": holding must not be negative, was " + holding);
      }
    }

    /** Its standing for the next agent: the larger, the further below its share. */
    double standing() {
      return weight / (2.0 * holding + 1);
    }
  }

  private static final Comparator<Claim> FIRST =
      Comparator.comparingInt(Claim::priority)
          .reversed()
          .thenComparing(Comparator.comparingDouble(Claim::standing).reversed())
          .thenComparing(Claim::campaign);

  /**
   * The campaign a free agent goes to, among those it is a member of; empty when none of them is
   * open.
   */
  public static Optional<String> choose(List<Claim> memberOf) {
    return memberOf.stream().filter(Claim::open).min(FIRST).map(Claim::campaign);
  }
}
