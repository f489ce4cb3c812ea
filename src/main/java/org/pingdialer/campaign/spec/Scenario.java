package org.pingdialer.campaign.spec;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A blended floor for the simulator ({@code pingdialer simulate --scenario FILE}): one pool of
 * agents, the outbound campaigns and inbound queues they work, and how long to run. Read by {@link
 * ScenarioFiles}; see {@code bench/scenarios/blended.yaml}.
 *
 * @param agents the pool's size
 * @param hours virtual hours measured
 * @param warmUp virtual time simulated before the measured hours
 */
public record Scenario(
    int agents,
    double hours,
    Duration warmUp,
    long seed,
    List<Outbound> campaigns,
    List<Inbound> queues) {
  public Scenario {
    campaigns = List.copyOf(campaigns);
    queues = List.copyOf(queues);
  }

  /**
   * An outbound campaign of the scenario.
   *
   * @param priority higher first
   * @param weight share among campaigns of equal priority
   * @param mode the pacer: progressive, power, vicidial or predictive
   * @param ratio calls per ready agent in power mode
   * @param members the agents who work it, numbered from 0 (the file numbers them from 1)
   */
  public record Outbound(
      String name,
      int priority,
      int weight,
      String mode,
      double maxAbandon,
      double ratio,
      Callees callees,
      Set<Integer> members) {
    public Outbound {
      members = Set.copyOf(members);
    }
  }

  /** Who answers a campaign's calls, and how its agents' calls go. */
  public record Callees(
      double liveRate,
      double machineRate,
      Duration ringMin,
      Duration ringMax,
      Duration noAnswerAfter,
      Duration talkMean,
      double talkSigma,
      Duration wrap) {}

  /**
   * An inbound queue of the scenario.
   *
   * @param answeredWithin the service level's threshold
   * @param serviceLevel the share to answer within it (sizes the reserve)
   * @param reserve agents kept for the queue (0 by default: its callers go first to every agent who
   *     frees up, nobody waits for them idle); empty ({@code auto}): as many as Erlang C says the
   *     service level needs with agents of the queue's own
   */
  public record Inbound(
      String name,
      double callsPerHour,
      Duration talkMean,
      double talkSigma,
      Duration wrap,
      Duration patience,
      Duration answeredWithin,
      double serviceLevel,
      OptionalInt reserve,
      Set<Integer> members) {
    public Inbound {
      members = Set.copyOf(members);
    }
  }
}
