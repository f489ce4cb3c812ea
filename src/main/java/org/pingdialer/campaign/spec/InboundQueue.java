package org.pingdialer.campaign.spec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An inbound queue: calls to the call center's numbers ({@code dids}) wait here, hear an
 * announcement, music on hold and their place in line, and go to the first free member agent. A
 * queue sits on the agent pool beside the outbound campaigns: its {@code share} (priority, member
 * agents) decides whether a freed agent takes a waiting caller before an outbound call (by default
 * it does: priority 100 is above any campaign's default of 1), and {@code reserve} keeps agents
 * free for callers expected but not yet there, so the outbound pacers dial for fewer agents.
 *
 * @param name the queue's name, unique among the campaigns and queues of a controller (reports)
 * @param dids the numbers (digits as the carrier sends them) that ring this queue
 * @param agentGroup whose members answer the queue when {@code share} lists no agents
 * @param announcement played once on arrival, before the music on hold; may be empty
 * @param musicOnHold the PBX's music-on-hold class (musiconhold.conf) a waiting caller hears
 * @param positionEvery how often a waiting caller hears its place in line; zero: never
 * @param maxWait how long a caller waits at most before {@code overflow}
 * @param callback a key a waiting caller may press to be called back instead of waiting
 * @param wrapUp how long an agent has after an inbound call before its next call
 */
public record InboundQueue(
    String name,
    List<String> dids,
    Campaign.Share share,
    Optional<String> agentGroup,
    Reserve reserve,
    ServiceLevel serviceLevel,
    List<String> announcement,
    String musicOnHold,
    Duration positionEvery,
    Duration maxWait,
    Overflow overflow,
    Optional<CallbackOffer> callback,
    Voicemail voicemail,
    Duration wrapUp) {

  /** The priority of a queue that names none: above every campaign's default, inbound first. */
  public static final int DEFAULT_PRIORITY = 100;

  public InboundQueue {
    dids = List.copyOf(dids);
    announcement = List.copyOf(announcement);
  }

  /**
   * The queue's target: {@code target} of its callers (0.8) answered within {@code answeredWithin}
   * (20 s); the report measures it and {@code reserve: auto} sizes the reserve for it.
   */
  public record ServiceLevel(Duration answeredWithin, double target) {
    public static final ServiceLevel USUAL = new ServiceLevel(Duration.ofSeconds(20), 0.8);
  }

  /**
   * How many member agents the outbound campaigns leave free for this queue (the pool sizes an
   * expected traffic with Erlang C: {@code inbound.InboundDesk.reserveOf}).
   */
  public sealed interface Reserve {
    /** A fixed number of agents (0: none; inbound then only goes first when a caller waits). */
    record Agents(int count) implements Reserve {
      public static final Agents NONE = new Agents(0);
    }

    /** The expected traffic: the fewest agents that meet the service level (Erlang C). */
    record Expected(double callsPerHour, Duration handleTime) implements Reserve {}
  }

  /** What happens to a caller who waited {@code maxWait}. */
  public sealed interface Overflow {
    /** Hear "all circuits are busy", then the call ends. */
    record Hangup() implements Overflow {}

    /** Leave a message (see {@link Voicemail}); it is stored with the call. */
    record ToVoicemail() implements Overflow {}

    /** Be called back: the caller's number becomes a lead of {@code list}, due now. */
    record ToCallback(String list) implements Overflow {}

    /** Wait on in another queue (its own max wait and overflow then apply). */
    record ToQueue(String queue) implements Overflow {}
  }

  /**
   * A waiting caller presses {@code key} to be called back: the caller's number becomes a lead of
   * {@code list}, due now, and the call ends after a thank-you.
   *
   * @param offer played to waiting callers with their place in line ("press 1 to be called back")
   */
  public record CallbackOffer(String key, List<String> offer, String list) {
    public CallbackOffer {
      offer = List.copyOf(offer);
    }
  }

  /**
   * A voicemail overflow: {@code prompt} ("please leave your message after the tone"), a beep, then
   * at most {@code maxLength} of message, stored in the PBX's recordings.
   */
  public record Voicemail(List<String> prompt, Duration maxLength) {
    public static final Voicemail USUAL = new Voicemail(List.of("vm-intro"), Duration.ofMinutes(2));

    public Voicemail {
      prompt = List.copyOf(prompt);
    }
  }
}
