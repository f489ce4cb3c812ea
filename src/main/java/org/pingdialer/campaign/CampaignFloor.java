package org.pingdialer.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.call.AriPressure;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.pacing.Pacer;
import org.pingdialer.pacing.Pacers;

/**
 * What a campaign loop knows of its calls at this moment, with the agents it paces on (read from
 * the {@link AgentPool}, their one owner), and what it may dial from there: which calls are being
 * placed, ringing, up or still being created in Asterisk; who is ready, talking or wrapping up.
 *
 * <p>{@link #pace} is the loop's pacing decision in one place: the pacer sees this state, then the
 * campaign's channel limit and ARI's pressure cut its answer. No I/O and no clock of its own (time
 * comes in), so every decision has a fast test. Owned by the loop's thread; not thread-safe.
 */
final class CampaignFloor {
  /** The campaign whose share of the agents it sees. */
  private final String campaign;

  private final OptionalInt channelLimit;

  /** The agents, owned by the same thread; the floor reads them, never changes them. */
  private final AgentPool agents;

  /** Calls placed without an agent, not yet answered for one or ended: since when. */
  private final Map<AttemptKey, Instant> dialing = new HashMap<>();

  /** Every call placed and not yet ended, with or without an agent. */
  private final Set<AttemptKey> live = new HashSet<>();

  /** Calls whose channel Asterisk is still creating (what a slow ARI limits). */
  private final Set<AttemptKey> creating = new HashSet<>();

  /** Calls handed to the engine and not yet placed (no key yet), without and with an agent. */
  private int placing;

  private int placingWithAgent;

  /**
   * @param channelLimit the campaign's {@code max_channels}: its calls up at once, of every kind
   * @param agents the agents, of which the campaign paces on those working for it (owned by the
   *     loop's thread)
   */
  CampaignFloor(String campaign, OptionalInt channelLimit, AgentPool agents) {
    this.campaign = campaign;
    this.channelLimit = channelLimit;
    this.agents = agents;
  }

  /** Agents seated (whatever they do): the governor's and the loop's count. */
  int seated() {
    return agents.seated(campaign);
  }

  /** Agents who may take a call now. A new set, the caller's. */
  Set<String> readyAgents() {
    return agents.ready(campaign);
  }

  int talking() {
    return (int) agents.busy(campaign).stream().filter(b -> b.wrapFrom().isEmpty()).count();
  }

  int wrappingUp() {
    return (int) agents.busy(campaign).stream().filter(b -> b.wrapFrom().isPresent()).count();
  }

  // --- calls ------------------------------------------------------------------------------------

  /** A call is handed to the engine: it counts against the pacing and channels before its key. */
  void placing(boolean withAgent) {
    if (withAgent) {
      placingWithAgent++;
    } else {
      placing++;
    }
  }

  /** The engine placed the call at {@code now}; one without an agent is paced until answered. */
  void placed(AttemptKey key, boolean withAgent, Instant now) {
    notPlaced(withAgent);
    live.add(key);
    if (!withAgent) {
      dialing.put(key, now);
    }
  }

  /** The call handed over was not placed (refused at the gate, the engine failed). */
  void notPlaced(boolean withAgent) {
    if (withAgent) {
      placingWithAgent--;
    } else {
      placing--;
    }
  }

  /** An adopted call: up, with its agent. */
  void adopted(AttemptKey key) {
    live.add(key);
  }

  /** The call was answered and an agent reserved for it: no longer paced as dialing. */
  void answeredFor(AttemptKey call) {
    dialing.remove(call);
  }

  /**
   * Whether Asterisk is still creating the call's channel.
   *
   * @return true when the call was being created and no longer is: a place under a slow ARI's cap
   *     came free
   */
  boolean creating(AttemptKey key, boolean stillCreating) {
    if (stillCreating) {
      creating.add(key);
      return false;
    }
    return creating.remove(key);
  }

  void ended(AttemptKey key) {
    dialing.remove(key);
    live.remove(key);
    creating.remove(key);
  }

  /** Calls placed and not yet answered for an agent or ended, with those being placed. */
  int dialing() {
    return dialing.size() + placing;
  }

  /**
   * How many more calls the campaign may have up: {@code max_channels} counts every channel of its
   * calls (placed, ringing, with an agent, being placed). Without a limit, the agents bound them.
   */
  int channelsLeft() {
    if (channelLimit.isEmpty()) {
      return Integer.MAX_VALUE;
    }
    return channelLimit.getAsInt() - live.size() - placing - placingWithAgent;
  }

  // --- the pacing decision ----------------------------------------------------------------------

  /**
   * What the pacer sees at {@code now}: ready agents, busy agents with their talk and wrap-up
   * times, calls dialing with their ring ages, and the channels left for calls dialing (those of
   * calls with an agent are taken).
   *
   * @param allowedRatio the abandon governor's limit on calls per agent
   */
  Pacer.State pacerState(Instant now, double allowedRatio) {
    // Talking agents are expected free after the rest of the call and a wrap-up, agents in
    // wrap-up within the rest of it.
    List<Pacer.Busy> busy = new ArrayList<>();
    for (AgentPool.Busy agent : agents.busy(campaign)) {
      busy.add(
          agent
              .wrapFrom()
              .map(
                  ended ->
                      Pacer.Busy.wrapping(between(agent.talkFrom(), ended), between(ended, now)))
              .orElseGet(() -> Pacer.Busy.talking(between(agent.talkFrom(), now))));
    }
    List<Duration> ringing = new ArrayList<>();
    dialing.values().forEach(since -> ringing.add(between(since, now)));
    int channels =
        channelLimit.isEmpty()
            ? Integer.MAX_VALUE
            : channelLimit.getAsInt()
                - placingWithAgent
                - (int) live.stream().filter(key -> !dialing.containsKey(key)).count();
    // Calls still being placed have no age yet: the pacer counts them as just placed.
    return new Pacer.State(
        now, readyAgents().size(), busy, dialing(), channels, allowedRatio, ringing);
  }

  /**
   * The pacing decision at {@code now}: what the pacer asks for, then at most the channels left,
   * and while ARI is slow at most {@link AriPressure#PLACING_WHILE_SLOW} calls being placed or
   * created at once. Nothing while ARI holds new calls (the loop waits for the hold's end).
   */
  Paced pace(Pacer pacer, double allowedRatio, int unattended, AriPressure ari, Instant now) {
    if (ari.holding(now).isPresent()) {
      return new Paced(0, 0);
    }
    Pacer.State state = pacerState(now, allowedRatio);
    int wanted = Pacers.withinUnattended(pacer.callsToPlace(state), state, unattended);
    int cap =
        ari.slow()
            ? AriPressure.PLACING_WHILE_SLOW - placing - placingWithAgent - creating.size()
            : Integer.MAX_VALUE;
    return new Paced(wanted, Math.max(0, Math.min(Math.min(wanted, channelsLeft()), cap)));
  }

  /**
   * A pacing decision.
   *
   * @param wanted what the pacer asked for
   * @param toPlace what may be placed now: {@code wanted} under the channel limit and ARI's
   *     pressure
   */
  record Paced(int wanted, int toPlace) {}

  /** The time from one instant to a later one; zero if the clock stepped back between them. */
  private static Duration between(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
