package org.pingdialer.campaign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.AttemptResult;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Evidence;
import org.pingdialer.call.LineCheckResult;
import org.pingdialer.call.Timeline;
import org.pingdialer.call.ari.AriBridge;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriException;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.inbound.InboundDesk;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run that died left behind, cleared before a new run dials: its channels and the agents'
 * bridges in Asterisk, its attempts without an outcome and its leads left DIALING in the database.
 *
 * <p>Nobody drives the dead run's calls any more: a customer answered after the kill sits in
 * silence, an agent's old leg waits in a bridge the new run would add new calls to. So an answered
 * customer of a campaign with a drop message is sent to the PBX's {@code [dead-run]} context to
 * hear it (who called, then the call ends: never silence), every other channel of the campaign is
 * hung up, and every agent bridge is destroyed with what is left in it (the agents' phones log in
 * again into fresh bridges). Each attempt without an outcome gets {@link DialOutcome#LOST} with
 * what Asterisk still showed of it; each lead still DIALING is settled by its last call: lost or
 * never placed, it is dialed again and the call is not counted; ended with an outcome the dead run
 * had no time to apply, that outcome's rule applies now.
 *
 * <p>A call an agent was on, still up with the agent's phone in the agent's bridge, is left alone
 * when the campaign says {@code on_restart: adopt} (the default): the new run takes it over (see
 * {@link Adoption}) and follows it to its end and the agent's disposition.
 *
 * <p>Runs once, on the thread that starts the run, before the events socket connects.
 */
public final class DeadRunCleanup {
  private static final Logger log = LoggerFactory.getLogger(DeadRunCleanup.class);

  /** The evidence event of an attempt a new run found without an outcome. */
  public static final String EVIDENCE = "LostByADeadRun";

  /** The PBX's context that plays a dead run's answered customer the drop message. */
  static final String DROP_CONTEXT = "dead-run";

  /**
   * What was cleared (all zero after a clean stop): channels hung up, answered customers sent to
   * the drop message, agent bridges removed, attempts recorded LOST, leads settled.
   */
  public record Report(
      int channels,
      int dropMessages,
      int bridges,
      int attempts,
      int leads,
      List<Adoption> adopted) {
    public Report {
      adopted = List.copyOf(adopted);
    }

    /** Nothing adopted. */
    public Report(int channels, int dropMessages, int bridges, int attempts, int leads) {
      this(channels, dropMessages, bridges, attempts, leads, List.of());
    }

    public boolean nothing() {
      return channels + dropMessages + bridges + attempts + leads + adopted.size() == 0;
    }
  }

  /**
   * A call an agent was on when its run died, left as it is for the new run to follow (campaign
   * setting {@code on_restart: adopt}): the customer and the agent's phone, alone together in the
   * agent's bridge, both up; its attempt without an outcome and its lead DIALING.
   */
  public record Adoption(
      Attempt attempt,
      Instant placedAt,
      Lead lead,
      String agentId,
      String agentChannelId,
      String bridgeId) {}

  /** What a clean-up does with the agents' bridges it finds. */
  public sealed interface AgentBridges {
    /** Leaves them all: they are a running floor's, live. Nothing is adopted. */
    AgentBridges KEEP = new Keep();

    /** Clears them (a floor starts), but those holding a call a starting campaign adopts. */
    static AgentBridges clearBut(List<Campaign> startingTogether) {
      return new ClearBut(List.copyOf(startingTogether));
    }

    /** See {@link #KEEP}. */
    record Keep() implements AgentBridges {}

    /** See {@link #clearBut}. */
    record ClearBut(List<Campaign> startingTogether) implements AgentBridges {}
  }

  private DeadRunCleanup() {}

  /** Clears what a dead run left of a campaign starting alone on its floor. */
  public static Report clear(
      AriClient ari, Campaign campaign, AttemptStore attempts, LeadStore leads, Instant now) {
    return clear(ari, campaign, attempts, leads, now, AgentBridges.clearBut(List.of(campaign)));
  }

  /**
   * Clears what a dead run left of {@code campaign}; the agents' bridges as {@code bridges} says.
   */
  public static Report clear(
      AriClient ari,
      Campaign campaign,
      AttemptStore attempts,
      LeadStore leads,
      Instant now,
      AgentBridges agentBridgePolicy) {
    String name = campaign.name();
    int bridges = 0;
    int channels = 0;
    int dropMessages = 0;
    // What each of the campaign's channels was doing when found: the lost attempt's evidence.
    Map<String, Found> seen = new HashMap<>();
    Optional<String> message = playable(campaign);
    List<AriChannel> all = ari.channels();
    // Inbound callers an agent had are left in Stasis: the floor's inbound desk puts them back in
    // line once the bridge is gone.
    Set<String> callers = inboundCallers(ari, all);
    List<AriChannel> ours =
        all.stream()
            .filter(
                c ->
                    AttemptKey.fromChannelId(c.id())
                        .filter(k -> k.campaign().equals(name))
                        .isPresent())
            .toList();
    List<AriBridge> agentBridges =
        agentBridgePolicy instanceof AgentBridges.Keep
            ? List.of()
            : ari.bridges().stream()
                .filter(b -> b.id().startsWith(AgentDesk.BRIDGE_PREFIX))
                .toList();
    List<Adoption> adopted =
        campaign.onRestart() == Campaign.OnRestart.ADOPT
            ? adoptable(ari, campaign, agentBridges, attempts, leads)
            : List.of();
    // The calls other campaigns starting on the same floor will adopt stay for them.
    Set<String> othersAdopt = new HashSet<>();
    if (agentBridgePolicy instanceof AgentBridges.ClearBut(List<Campaign> together)) {
      for (Campaign other : together) {
        if (!other.name().equals(name) && other.onRestart() == Campaign.OnRestart.ADOPT) {
          adoptable(ari, other, agentBridges, attempts, leads)
              .forEach(a -> othersAdopt.add(a.bridgeId()));
        }
      }
    }
    Set<String> left = new HashSet<>();
    for (Adoption a : adopted) {
      left.add(a.attempt().key().channelId());
      left.add(a.agentChannelId());
    }
    agentBridges =
        agentBridges.stream()
            .filter(b -> adopted.stream().noneMatch(a -> a.bridgeId().equals(b.id())))
            .filter(b -> !othersAdopt.contains(b.id()))
            .toList();
    ours = ours.stream().filter(c -> !left.contains(c.id())).toList();
    Set<String> withAgent = new HashSet<>();
    agentBridges.forEach(b -> withAgent.addAll(b.channels()));
    for (AriChannel channel : ours) {
      if (channel.state() == ChannelState.UP && message.isPresent()) {
        if (sendToDropMessage(ari, channel.id(), message.get())) {
          seen.put(
              channel.id(),
              new Found(
                  "answered: sent to the drop message", true, withAgent.contains(channel.id())));
          dropMessages++;
        }
      }
    }
    for (AriBridge bridge : agentBridges) {
      for (String channel : bridge.channels()) {
        if (seen.containsKey(channel) || callers.contains(channel)) {
          continue; // leaving for its drop message, or an inbound caller who waits on
        }
        // The agents' own legs are here too; only customers' channels have attempts to match.
        seen.put(channel, new Found("in agent bridge " + bridge.id(), true, true));
        channels += hangup(ari, channel) ? 1 : 0;
      }
      try {
        ari.destroyBridge(bridge.id());
        bridges++;
      } catch (AriException e) {
        log.debug("bridge {} went meanwhile: {}", bridge.id(), e.getMessage());
      }
    }
    for (AriChannel channel : ours) {
      if (!seen.containsKey(channel.id())) {
        seen.put(
            channel.id(),
            new Found("channel " + channel.state(), channel.state() == ChannelState.UP, false));
        channels += hangup(ari, channel.id()) ? 1 : 0;
      }
    }
    Set<AttemptKey> adoptedKeys = new HashSet<>();
    Set<Long> adoptedLeads = new HashSet<>();
    adopted.forEach(
        a -> {
          adoptedKeys.add(a.attempt().key());
          adoptedLeads.add(a.lead().id());
        });
    int lost =
        recordLost(
            attempts,
            name,
            EVIDENCE,
            channel ->
                seen.getOrDefault(
                    channel, new Found("no channel: it ended while no run saw it", false, false)),
            now,
            adoptedKeys);
    int settled = settleLeads(campaign, attempts, leads, now, adoptedLeads);
    var report = new Report(channels, dropMessages, bridges, lost, settled, adopted);
    if (!report.nothing()) {
      log.warn(
          "campaign {}: cleared what a run that died left: {} channels hung up, {} answered"
              + " customers sent to the drop message, {} agent bridges removed, {} attempts"
              + " recorded LOST, {} leads settled, {} agents' calls adopted",
          name,
          channels,
          dropMessages,
          bridges,
          lost,
          settled,
          adopted.size());
    }
    return report;
  }

  /**
   * Clears the agents' bridges a run that died left, for a floor that starts without a campaign
   * (inbound queues only): the agents' old legs are hung up, inbound callers stay (the floor's
   * inbound desk takes them back in line). Returns the bridges removed.
   */
  public static int clearAgentBridges(AriClient ari) {
    Set<String> callers = inboundCallers(ari, ari.channels());
    int removed = 0;
    for (AriBridge bridge : ari.bridges()) {
      if (!bridge.id().startsWith(AgentDesk.BRIDGE_PREFIX)) {
        continue;
      }
      for (String channel : bridge.channels()) {
        if (!callers.contains(channel)) {
          hangup(ari, channel);
        }
      }
      try {
        ari.destroyBridge(bridge.id());
        removed++;
      } catch (AriException e) {
        log.debug("bridge {} went meanwhile: {}", bridge.id(), e.getMessage());
      }
    }
    if (removed > 0) {
      log.info("a run that died left {} agent bridges: removed", removed);
    }
    return removed;
  }

  private static Set<String> inboundCallers(AriClient ari, List<AriChannel> channels) {
    Set<String> callers = new HashSet<>();
    for (AriChannel channel : channels) {
      if (InboundDesk.inboundNumber(channel, ari.application()).isPresent()) {
        callers.add(channel.id());
      }
    }
    return callers;
  }

  /**
   * The agents' bridges that hold exactly one customer of this campaign and the agent's phone, both
   * up, whose attempt has no outcome and whose lead is still DIALING: calls the new run can follow.
   */
  private static List<Adoption> adoptable(
      AriClient ari,
      Campaign campaign,
      List<AriBridge> agentBridges,
      AttemptStore attempts,
      LeadStore leads) {
    Map<String, AriChannel> channels = new HashMap<>();
    ari.channels().forEach(c -> channels.put(c.id(), c));
    Map<AttemptKey, AttemptStore.StoredAttempt> unfinished = new HashMap<>();
    attempts.unfinished(campaign.name()).forEach(a -> unfinished.put(a.attempt().key(), a));
    List<Lead> dialing = leads.dialing(campaign.name());
    List<Adoption> adopted = new ArrayList<>();
    for (AriBridge bridge : agentBridges) {
      if (bridge.channels().size() != 2) {
        continue;
      }
      List<AttemptKey> customers =
          bridge.channels().stream()
              .flatMap(id -> AttemptKey.fromChannelId(id).stream())
              .filter(k -> k.campaign().equals(campaign.name()))
              .toList();
      List<String> phones =
          bridge.channels().stream().filter(id -> AttemptKey.fromChannelId(id).isEmpty()).toList();
      if (customers.size() != 1 || phones.size() != 1) {
        continue;
      }
      AttemptKey key = customers.getFirst();
      String phone = phones.getFirst();
      boolean bothUp = isUp(channels.get(key.channelId())) && isUp(channels.get(phone));
      AttemptStore.StoredAttempt stored = unfinished.get(key);
      if (!bothUp || stored == null) {
        continue;
      }
      Optional<Lead> lead =
          dialing.stream()
              .filter(l -> l.dialDigits().equals(stored.attempt().number()))
              .findFirst();
      if (lead.isEmpty()) {
        continue;
      }
      String agentId = bridge.id().substring(AgentDesk.BRIDGE_PREFIX.length());
      adopted.add(
          new Adoption(
              stored.attempt(), stored.placedAt(), lead.get(), agentId, phone, bridge.id()));
      log.warn(
          "campaign {}: adopting {}, with agent {} on {} in {} since a run died",
          campaign.name(),
          key,
          agentId,
          phone,
          bridge.id());
    }
    return adopted;
  }

  private static boolean isUp(AriChannel channel) {
    return channel != null && channel.state() == ChannelState.UP;
  }

  /**
   * The campaign's drop message as Playback() takes it ({@code sound:} media joined by '&'), or
   * empty when it has none (lab) or none of it is a sound.
   */
  static Optional<String> playable(Campaign campaign) {
    List<String> sounds =
        campaign.dialPolicy().dropMessage().orElse(List.of()).stream()
            .filter(media -> media.startsWith("sound:"))
            .map(media -> media.substring("sound:".length()))
            .toList();
    return sounds.isEmpty() ? Optional.empty() : Optional.of(String.join("&", sounds));
  }

  /** Out of Stasis into {@link #DROP_CONTEXT}, which plays {@code message} and hangs up. */
  private static boolean sendToDropMessage(AriClient ari, String channelId, String message) {
    try {
      ari.setVariable(channelId, "DROP_MESSAGE", message);
      ari.continueInDialplan(channelId, DROP_CONTEXT, "s", 1);
      return true;
    } catch (AriException e) {
      log.debug("{} could not be sent to the drop message: {}", channelId, e.getMessage());
      return false;
    }
  }

  /** The evidence event of an attempt its own run had not finished when it stopped. */
  public static final String AT_STOP = "LostAtStop";

  /**
   * After a run stopped (its calls drained and hung up, its threads closed): what it had no time to
   * finish, settled as a new run would, so even a clean stop leaves no attempt without an outcome
   * and no lead DIALING (a lead whose dial began as the stop came, a call whose end the closed
   * engine never stored).
   *
   * @return attempts recorded LOST and leads settled
   */
  public static int settleAtStop(
      Campaign campaign, AttemptStore attempts, LeadStore leads, Instant now) {
    int lost =
        recordLost(
            attempts,
            campaign.name(),
            AT_STOP,
            channel -> new Found("hung up by the run's stop", false, false),
            now,
            Set.of());
    int settled = settleLeads(campaign, attempts, leads, now, Set.of());
    if (lost + settled > 0) {
      log.info(
          "campaign {}: {} calls ended by the stop recorded LOST, {} leads settled",
          campaign.name(),
          lost,
          settled);
    }
    return lost + settled;
  }

  private static int recordLost(
      AttemptStore attempts,
      String campaign,
      String event,
      Function<String, Found> found,
      Instant now,
      Set<AttemptKey> adopted) {
    int lost = 0;
    for (AttemptStore.StoredAttempt stored : attempts.unfinished(campaign)) {
      Attempt attempt = stored.attempt();
      if (adopted.contains(attempt.key())) {
        continue; // the new run follows it
      }
      try {
        attempts.recordResult(
            lostResult(
                attempt, stored.placedAt(), event, found.apply(attempt.key().channelId()), now));
        lost++;
      } catch (IllegalStateException e) {
        log.debug("{} got its result meanwhile: {}", attempt.key(), e.getMessage());
      }
    }
    return lost;
  }

  private static int settleLeads(
      Campaign campaign, AttemptStore attempts, LeadStore leads, Instant now, Set<Long> adopted) {
    int settled = 0;
    for (Lead lead : leads.dialing(campaign.name())) {
      if (adopted.contains(lead.id())) {
        continue; // its call is followed by the new run
      }
      LeadEvent next = settle(lead, campaign, attempts, now);
      try {
        leads.apply(lead.id(), next, now);
        settled++;
      } catch (IllegalStateException e) {
        log.warn("lead {} left DIALING: {} not applied: {}", lead.id(), next, e.getMessage());
      }
    }
    return settled;
  }

  private static boolean hangup(AriClient ari, String channelId) {
    try {
      ari.hangup(channelId, "normal");
      return true;
    } catch (AriException e) {
      log.debug("{} went meanwhile: {}", channelId, e.getMessage());
      return false;
    }
  }

  /**
   * What a new run found of a channel: its evidence, and whether a person had answered it and was
   * with an agent (a lost call a person answered counts in the abandon rate, see {@link
   * DialOutcome#asLived}).
   */
  private record Found(String what, boolean answered, boolean withAgent) {}

  /**
   * The LOST result. The answer and bridge times are unknown after a kill: the time the call was
   * found answered (or with an agent) stands for them, the latest they can have been.
   */
  private static AttemptResult lostResult(
      Attempt attempt, Instant placedAt, String event, Found found, Instant now) {
    Timeline timeline =
        new Timeline(
            placedAt,
            null,
            null,
            null,
            found.answered() ? now : null,
            found.withAgent() ? now : null,
            null,
            now);
    return new AttemptResult(
        attempt,
        DialOutcome.LOST,
        0,
        null,
        attempt.kind() == Attempt.Kind.LINE_CHECK
            ? Optional.of(LineCheckResult.UNKNOWN)
            : Optional.empty(),
        timeline,
        Optional.empty(),
        List.of(new Evidence(event, now, found.what())),
        false);
  }

  /** The lead's next step, from its last call of this campaign. */
  static LeadEvent settle(Lead lead, Campaign campaign, AttemptStore attempts, Instant now) {
    Optional<AttemptResult> last =
        attempts
            .latest(campaign.name(), lead.dialDigits())
            .filter(a -> !a.placedAt().isBefore(lead.stateSince()))
            .flatMap(AttemptStore.StoredAttempt::result);
    if (last.isEmpty()) {
      return new LeadEvent.CallLost("the run died before the call was placed");
    }
    AttemptResult result = last.get();
    boolean reachedAgent = result.agentId().isPresent() && result.timeline().bridgedAt() != null;
    if (reachedAgent && result.outcome() != DialOutcome.LOST) {
      // The agent's filing died with the run: decided like a wrap-up that ended unfiled.
      return OutcomeRules.unfiled(lead, campaign, now);
    }
    return OutcomeRules.after(result, lead, campaign, now, attempts);
  }
}
