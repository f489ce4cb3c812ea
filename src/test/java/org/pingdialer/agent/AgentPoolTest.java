package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.testing.ManualScheduler;
import org.pingdialer.testing.TestLeads;

/**
 * The one owner of agents' state, on a scheduler whose time the test moves: who an answered call
 * gets, what a pause does to a reservation, what the listeners hear. No PBX, no waits.
 */
class AgentPoolTest {
  private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");

  private final ManualScheduler time = new ManualScheduler(T);
  private final AgentPool pool = new AgentPool(time, time.clock(), Duration.ofSeconds(10));
  private final List<String> heard = new CopyOnWriteArrayList<>();

  {
    pool.watch(
        new AgentPool.Listener() {
          @Override
          public void left(AgentSeat seat) {
            heard.add("left " + seat.agentId());
          }

          @Override
          public void workDone(String agentId, Duration talk, Duration wrapUp) {
            heard.add("work done " + agentId + " " + talk.toSeconds() + "+" + wrapUp.toSeconds());
          }
        });
    pool.watchLeaving(seat -> heard.add("engine told " + seat.agentId()));
  }

  private static AgentSeat seat(String agent) {
    return new AgentSeat(agent, "phone-" + agent, "pd-agent-" + agent);
  }

  private static AttemptKey call(long n) {
    return new AttemptKey("pool", n);
  }

  @Test
  void anAnsweredCallGetsTheAgentReadyLongestAndAReservationThatTookNoCallKeepsItsPlace() {
    pool.seat(seat("b"));
    time.advance(Duration.ofSeconds(1));
    pool.seat(seat("a"));
    assertThat(pool.readyInLine()).containsExactly("b", "a");
    assertThat(pool.longestReady("any")).contains(seat("b"));

    pool.reserve(seat("b"), call(1));
    assertThat(pool.longestReady("any")).contains(seat("a"));
    time.advance(Duration.ofSeconds(5));
    pool.released(seat("b"), call(1)); // never answered: b waited longest all along
    assertThat(pool.readyInLine()).containsExactly("b", "a");

    // After a call and its wrap-up, an agent goes to the end of the line.
    pool.reserve(seat("b"), call(2));
    pool.connected(seat("b"), call(2));
    time.advance(Duration.ofSeconds(30));
    pool.released(seat("b"), call(2));
    assertThat(pool.state("b").status()).isEqualTo(AgentState.Status.WRAP_UP);
    time.advance(Duration.ofSeconds(10));
    assertThat(pool.readyInLine()).containsExactly("a", "b");
    assertThat(heard).containsExactly("work done b 30+10");
  }

  @Test
  void aReleaseForAnotherCallOrAnOldSeatChangesNothing() {
    pool.seat(seat("a"));
    pool.reserve(seat("a"), call(1));
    pool.released(seat("a"), call(2)); // a late release of an earlier call
    pool.released(new AgentSeat("a", "old-phone", "pd-agent-a"), call(1)); // a replaced phone
    assertThat(pool.state("a").status()).isEqualTo(AgentState.Status.RESERVED);
  }

  @Test
  void aPauseWhileReservedForACallWaitsForItButAPreviewsReservationEndsAtOnce() {
    pool.seat(seat("a"));
    pool.seat(seat("b"));
    pool.reserve(seat("a"), call(1));
    assertThat(pool.pause("a", AgentState.PauseReason.byAgent("break")).status())
        .isEqualTo(AgentState.Status.RESERVED);
    pool.connected(seat("a"), call(1)); // the callee answered for a reaches a
    assertThat(pool.state("a").status()).isEqualTo(AgentState.Status.ON_CALL);

    assertThat(pool.reserveFor("b", lead())).isTrue();
    pool.show("b", lead());
    assertThat(pool.preview("b")).contains(lead());
    assertThat(pool.pause("b", AgentState.PauseReason.byAgent("break")).status())
        .isEqualTo(AgentState.Status.PAUSED);
    assertThat(pool.preview("b")).isEmpty();
    assertThat(pool.reserveFor("b", lead())).isFalse();
  }

  @Test
  void aPhoneThatLeavesTellsTheEngineAndTheListenersAndIsNoLongerSeated() {
    pool.seat(seat("a"));
    pool.reserve(seat("a"), call(1));
    pool.connected(seat("a"), call(1));

    pool.leave("a", "phone hung up");
    pool.leave("a", "phone hung up"); // once only

    assertThat(heard).containsExactly("engine told a", "left a");
    assertThat(pool.seated()).isZero();
    assertThat(pool.state("a")).isEqualTo(AgentState.LOGGED_OUT);
    assertThat(pool.takeForPlacing("a")).isEmpty();
    assertThat(pool.busy()).isEmpty();
  }

  @Test
  void anAgentIsTakenForAPlacementOnceAndOnlyWhenReadyOrReservedForIt() {
    pool.seat(seat("a"));
    assertThat(pool.takeForPlacing("a")).contains(seat("a"));
    assertThat(pool.longestReady("any")).isEmpty();
    pool.reserve(seat("a"), call(1));
    assertThat(pool.takeForPlacing("a")).isEmpty(); // its call has it now
    assertThat(pool.takeForPlacing("nobody")).isEmpty();
  }

  @Test
  void aPauseWhileACallIsBeingPlacedForTheAgentWaitsForThatCallsEnd() {
    pool.seat(seat("a"));
    assertThat(pool.takeForPlacing("a")).contains(seat("a"));
    pool.pause("a", AgentState.PauseReason.byAgent("lunch")); // while the attempt is stored
    assertThat(pool.reserve(seat("a"), call(1))).isTrue();
    assertThat(pool.state("a").pauseAfterCall()).isPresent();
    pool.released(seat("a"), call(1)); // never answered
    assertThat(pool.state("a"))
        .isEqualTo(AgentState.paused(AgentState.PauseReason.byAgent("lunch")));
  }

  @Test
  void aPreviewWhoseCallIsBeingPlacedIsTheCallsAPauseWaits() {
    pool.seat(seat("a"));
    assertThat(pool.reserveFor("a", lead())).isTrue();
    pool.show("a", lead());
    assertThat(pool.takeForPlacing("a")).contains(seat("a")); // *7: the call is being placed
    assertThat(pool.preview("a")).isEmpty();
    assertThat(pool.pause("a", AgentState.PauseReason.byAgent("break")).status())
        .isEqualTo(AgentState.Status.RESERVED);
    assertThat(pool.reserve(seat("a"), call(1))).isTrue();
    pool.connected(seat("a"), call(1));
    assertThat(pool.state("a").status()).isEqualTo(AgentState.Status.ON_CALL);
    assertThat(pool.busy()).extracting(AgentPool.Busy::agentId).containsExactly("a");
  }

  @Test
  void aPausedAgentOrAnotherCallsIsNotReservedAndAStaleSeatIsNot() {
    pool.seat(seat("a"));
    pool.seat(seat("b"));
    pool.pause("a", AgentState.PauseReason.byAgent("break"));
    assertThat(pool.reserve(seat("a"), call(1))).isFalse();
    assertThat(pool.reserve(seat("b"), call(2))).isTrue();
    assertThat(pool.reserve(seat("b"), call(3))).isFalse();
    assertThat(pool.isReservedFor(seat("b"), call(2))).isTrue();
    assertThat(pool.isReservedFor(seat("b"), call(3))).isFalse();
    assertThat(pool.reserve(new AgentSeat("b", "old-phone", "pd-agent-b"), call(4))).isFalse();
  }

  @Test
  void aLoginOnANewPhoneTellsTheEngineTheOldPhoneLeft() {
    pool.seat(seat("a"));
    pool.reserve(seat("a"), call(1));
    var newPhone = new AgentSeat("a", "phone-a2", "pd-agent-a");
    pool.seat(newPhone);
    assertThat(heard).containsExactly("engine told a");
    assertThat(pool.isReservedFor(seat("a"), call(1))).isFalse();
    assertThat(pool.state("a")).isEqualTo(AgentState.READY);
    pool.seat(newPhone); // the same phone again: nothing left
    assertThat(heard).containsExactly("engine told a");
  }

  private static Lead lead() {
    return TestLeads.lead(7, LeadState.QUEUED, T, 0, "pool");
  }

  // --- campaigns sharing the pool
  // -----------------------------------------------------------------

  private static AgentPool.Membership member(
      String campaign, int priority, int weight, String... agents) {
    return new AgentPool.Membership(
        campaign, new Campaign.Share(priority, weight, Set.of(agents)), Duration.ofSeconds(10));
  }

  @Test
  void aSharedAgentWorksTheHigherPriorityWhileItDialsAndTheLowerOnceItStops() {
    pool.join(member("high", 2, 1, "a", "b"));
    pool.join(member("low", 1, 1));
    pool.open("high", true);
    pool.open("low", true);
    pool.seat(seat("a"));
    pool.seat(seat("c")); // works "low" only
    assertThat(pool.ready("high")).containsExactly("a");
    assertThat(pool.ready("low")).containsExactly("c");
    assertThat(pool.campaignOf("a")).contains("high");

    List<String> given = new CopyOnWriteArrayList<>();
    pool.watch(
        new AgentPool.Listener() {
          @Override
          public void given(String agentId, String campaign) {
            given.add(agentId + " to " + campaign);
          }
        });
    pool.open("high", false); // paused or out of leads: its agents go to who dials
    assertThat(pool.ready("high")).isEmpty();
    assertThat(pool.ready("low")).containsExactlyInAnyOrder("a", "c");
    // The loop of "low" hears of the agent it got without a change of the agent's state.
    assertThat(given).containsExactly("a to low");
    pool.open("high", true);
    assertThat(pool.ready("high")).containsExactly("a");
  }

  @Test
  void aQueueKeepsItsReserveFromTheCampaignsAndTakesEveryFreedAgentWhileCallersWait() {
    pool.join(member("out", 1, 1));
    pool.join(
        new AgentPool.Membership(
            "support",
            new Campaign.Share(100, 1, Set.of("a", "b", "c")),
            Duration.ofSeconds(5),
            1));
    pool.open("out", true);
    for (String agent : List.of("a", "b", "c", "d")) {
      pool.seat(seat(agent));
      time.advance(Duration.ofSeconds(1));
    }
    // One member is kept for the queue though no caller waits; the outbound pacer sees three.
    assertThat(pool.ready("support")).containsExactly("a");
    assertThat(pool.ready("out")).containsExactlyInAnyOrder("b", "c", "d");
    // An answered outbound call cannot take the queue's agent.
    assertThat(pool.longestReady("out")).contains(seat("b"));

    // Callers wait: every ready member goes to the queue; "d" is no member and stays outbound.
    pool.open("support", true);
    assertThat(pool.ready("support")).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(pool.ready("out")).containsExactly("d");
    // A caller takes who waited longest; the queue borrows from the lower priority at once.
    assertThat(pool.longestReady("support")).contains(seat("a"));

    // The reserve counts agents busy with the queue's calls: with "a" on an inbound call and no
    // caller waiting, the others go back to outbound.
    assertThat(pool.reserve(seat("a"), new AttemptKey("support", 1))).isTrue();
    pool.open("support", false);
    assertThat(pool.ready("support")).isEmpty();
    assertThat(pool.ready("out")).containsExactlyInAnyOrder("b", "c", "d");
  }

  @Test
  void equalPrioritiesShareReadyAgentsByWeight() {
    pool.join(member("big", 1, 2));
    pool.join(member("small", 1, 1));
    pool.open("big", true);
    pool.open("small", true);
    for (String agent : List.of("a", "b", "c", "d", "e", "f")) {
      pool.seat(seat(agent));
      time.advance(Duration.ofSeconds(1));
    }
    assertThat(pool.ready("big")).hasSize(4);
    assertThat(pool.ready("small")).hasSize(2);
  }

  @Test
  void anAnsweredCallTakesItsOwnAgentThenBorrowsFromItsPriorityOrBelowNeverFromAbove() {
    pool.join(member("high", 2, 1));
    pool.join(member("low", 1, 1, "a", "b"));
    pool.open("high", true);
    pool.open("low", true);
    pool.seat(seat("a")); // -> high (it takes everyone, and is first)
    time.advance(Duration.ofSeconds(1));
    pool.open("high", false);
    pool.seat(seat("b")); // -> low: high is closed
    pool.open("high", true); // a and b both back to high
    assertThat(pool.ready("high")).containsExactlyInAnyOrder("a", "b");
    // low's answered call may not take high's agents.
    assertThat(pool.longestReady("low")).isEmpty();
    // high's answered call takes its own, who waited longest first.
    assertThat(pool.longestReady("high")).contains(seat("a"));

    // Once low stops, its calls still in flight may take any agent who works it: it places no
    // call its pacer would learn from, and a callee is not dropped while such an agent waits.
    pool.open("low", false);
    assertThat(pool.longestReady("low")).contains(seat("a"));
    pool.open("low", true);

    pool.open("high", false);
    assertThat(pool.longestReady("low")).contains(seat("a"));
    // high (closed) may still take a ready member held by a lower priority: its callee is not
    // dropped while such an agent waits.
    assertThat(pool.longestReady("high")).contains(seat("a"));
  }

  @Test
  void aCallTakesItsCampaignsWrapUpAndItsAgentCountsForThatCampaignUntilReadyAgain() {
    pool.join(new AgentPool.Membership("slow", Campaign.Share.EVERYONE, Duration.ofSeconds(30)));
    pool.open("slow", true);
    pool.seat(seat("a"));
    AttemptKey call = new AttemptKey("slow", 1);
    assertThat(pool.reserve(seat("a"), call)).isTrue();
    pool.connected(seat("a"), call);
    pool.released(seat("a"), call);
    assertThat(pool.busy("slow")).extracting(AgentPool.Busy::agentId).containsExactly("a");
    time.advance(Duration.ofSeconds(11)); // the pool's own wrap-up (10 s) is not this campaign's
    assertThat(pool.state("a").status()).isEqualTo(AgentState.Status.WRAP_UP);
    time.advance(Duration.ofSeconds(20));
    assertThat(pool.state("a").status()).isEqualTo(AgentState.Status.READY);
    assertThat(pool.ready("slow")).containsExactly("a");
  }

  @Test
  void anAgentWhoWorksNoOpenCampaignIsNobodysButTheCampaignsThatDidNotJoinSeeEveryone() {
    pool.join(member("only", 1, 1, "a"));
    pool.open("only", true);
    pool.seat(seat("b"));
    assertThat(pool.campaignOf("b")).isEmpty();
    assertThat(pool.ready("only")).isEmpty();
    assertThat(pool.seated("only")).isZero();
    assertThat(pool.ready("not-joined")).containsExactly("b");
  }
}
