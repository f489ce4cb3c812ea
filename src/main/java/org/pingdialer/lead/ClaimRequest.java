package org.pingdialer.lead;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the hopper may hand out to one campaign now. Only leads that pass every rule are claimed: in
 * one of {@code lists}; LIVE, a WAITING lead that is due, or (when {@code includeUnchecked}) NEW;
 * the calling window open at the callee's local time in every zone of the number; under both
 * attempt caps; on no DNC list ({@code global} and {@code dncLists}); with a consent time when
 * {@code requireConsent}. Agent-reserved redials and due callbacks go first.
 *
 * @param claimer the dialer instance, so its claims can be released when it stops
 * @param callingWindow true when calling is allowed at that local time
 * @param maxPer24h calls to the number in the 24 h before {@code now}, any campaign
 * @param maxLifetime calls to the lead ever
 * @param readyAgents the agents ready now: a callback that belongs to one agent is handed out only
 *     while that agent is ready
 */
public record ClaimRequest(
    String campaign,
    String claimer,
    List<String> lists,
    int max,
    Instant now,
    Predicate<ZonedDateTime> callingWindow,
    int maxPer24h,
    int maxLifetime,
    List<String> dncLists,
    boolean requireConsent,
    boolean includeUnchecked,
    Set<String> readyAgents) {
  public ClaimRequest {
    lists = List.copyOf(lists);
    readyAgents = Set.copyOf(readyAgents);
    dncLists = List.copyOf(dncLists);
    if (max < 1) {
      throw new IllegalArgumentException("max must be ≥ 1, was " + max);
    }
  }

  /** Builds a request; unless set: one lead, no attempt caps, no extra DNC lists. */
  public static final class Builder {
    private final String campaign;
    private final String claimer;
    private final List<String> lists;
    private final Instant now;
    private final Predicate<ZonedDateTime> callingWindow;
    private int max = 1;
    private int maxPer24h = Integer.MAX_VALUE;
    private int maxLifetime = Integer.MAX_VALUE;
    private List<String> dncLists = List.of();
    private boolean requireConsent;
    private boolean includeUnchecked;
    private Set<String> readyAgents = Set.of();

    public Builder(
        String campaign,
        String claimer,
        List<String> lists,
        Instant now,
        Predicate<ZonedDateTime> callingWindow) {
      this.campaign = campaign;
      this.claimer = claimer;
      this.lists = lists;
      this.now = now;
      this.callingWindow = callingWindow;
    }

    public Builder max(int max) {
      this.max = max;
      return this;
    }

    public Builder maxPer24h(int maxPer24h) {
      this.maxPer24h = maxPer24h;
      return this;
    }

    public Builder maxLifetime(int maxLifetime) {
      this.maxLifetime = maxLifetime;
      return this;
    }

    public Builder dncLists(List<String> dncLists) {
      this.dncLists = dncLists;
      return this;
    }

    public Builder requireConsent() {
      this.requireConsent = true;
      return this;
    }

    public Builder includeUnchecked() {
      this.includeUnchecked = true;
      return this;
    }

    public Builder readyAgents(Set<String> readyAgents) {
      this.readyAgents = readyAgents;
      return this;
    }

    public ClaimRequest build() {
      return new ClaimRequest(
          campaign,
          claimer,
          lists,
          max,
          now,
          callingWindow,
          maxPer24h,
          maxLifetime,
          dncLists,
          requireConsent,
          includeUnchecked,
          readyAgents);
    }
  }
}
