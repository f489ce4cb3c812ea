package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;

class LeadTransitionsTest {
  private static final Instant DUE = Instant.parse("2026-11-28T12:00:00Z");

  /** One example of every event type. */
  private static final List<LeadEvent> EVENTS =
      List.of(
          new LeadEvent.CheckStarted(),
          new LeadEvent.CheckedLive(),
          new LeadEvent.FoundDead("UNALLOCATED"),
          new LeadEvent.CheckInconclusive(),
          new LeadEvent.Claimed("c1", "dialer-1"),
          new LeadEvent.Released("stopped"),
          new LeadEvent.DialStarted(),
          new LeadEvent.Scheduled(WaitReason.REDIAL, DUE, Optional.empty()),
          new LeadEvent.Finished(DoneReason.DNC),
          new LeadEvent.CallLost("LOST"));

  @Test
  void everyStateEventPairFollowsTheTable() {
    int allowed = 0;
    for (LeadState state : LeadState.values()) {
      for (LeadEvent event : EVENTS) {
        if (LeadTransitions.RULES.get(state).contains(event.getClass())) {
          assertThat(LeadTransitions.next(state, event)).isNotNull();
          allowed++;
        } else {
          assertThatThrownBy(() -> LeadTransitions.next(state, event))
              .as("%s in %s", event, state)
              .isInstanceOf(LeadTransitions.IllegalLeadTransitionException.class)
              .hasMessageContaining("not allowed in state " + state);
        }
      }
    }
    assertThat(allowed).isEqualTo(19);
  }

  @Test
  void theLoopWalksFromImportToDone() {
    List<LeadState> path = new ArrayList<>();
    LeadState state = LeadState.NEW;
    for (LeadEvent event :
        List.of(
            new LeadEvent.CheckStarted(),
            new LeadEvent.CheckedLive(),
            new LeadEvent.Claimed("c1", "d"),
            new LeadEvent.DialStarted(),
            new LeadEvent.Scheduled(WaitReason.AGENT_REDIAL, DUE, Optional.empty()),
            new LeadEvent.Claimed("c1", "d"),
            new LeadEvent.DialStarted(),
            new LeadEvent.Finished(DoneReason.SALE))) {
      state = LeadTransitions.next(state, event);
      path.add(state);
    }
    assertThat(path)
        .containsExactly(
            LeadState.CHECKING,
            LeadState.LIVE,
            LeadState.QUEUED,
            LeadState.DIALING,
            LeadState.WAITING,
            LeadState.QUEUED,
            LeadState.DIALING,
            LeadState.DONE);
  }

  @Test
  void otherOutcomesOfEachStep() {
    assertThat(LeadTransitions.next(LeadState.CHECKING, new LeadEvent.FoundDead("UNALLOCATED")))
        .isEqualTo(LeadState.DEAD);
    assertThat(LeadTransitions.next(LeadState.CHECKING, new LeadEvent.CheckInconclusive()))
        .isEqualTo(LeadState.NEW);
    assertThat(LeadTransitions.next(LeadState.QUEUED, new LeadEvent.Released("paused")))
        .isEqualTo(LeadState.WAITING);
    assertThat(
            LeadTransitions.next(
                LeadState.QUEUED,
                new LeadEvent.Scheduled(WaitReason.RELEASED, DUE, Optional.empty())))
        .isEqualTo(LeadState.WAITING);
    assertThat(LeadTransitions.next(LeadState.DIALING, new LeadEvent.FoundDead("UNALLOCATED")))
        .isEqualTo(LeadState.DEAD);
    assertThat(LeadTransitions.next(LeadState.DIALING, new LeadEvent.CallLost("LOST")))
        .isEqualTo(LeadState.WAITING);
    assertThat(LeadTransitions.next(LeadState.NEW, new LeadEvent.Claimed("c1", "d")))
        .isEqualTo(LeadState.QUEUED);
  }

  @Test
  void outsideACallOnlyDncAndMaxAttemptsEndALead() {
    for (LeadState state : EnumSet.of(LeadState.NEW, LeadState.LIVE, LeadState.WAITING)) {
      assertThat(LeadTransitions.next(state, new LeadEvent.Finished(DoneReason.MAX_ATTEMPTS)))
          .isEqualTo(LeadState.DONE);
      assertThatThrownBy(() -> LeadTransitions.next(state, new LeadEvent.Finished(DoneReason.SALE)))
          .hasMessage(
              "Finished[reason=SALE] is not allowed in state "
                  + state
                  + " (allowed: "
                  + LeadTransitions.RULES.get(state).stream()
                      .map(Class::getSimpleName)
                      .sorted()
                      .toList()
                  + "; Finished only with "
                  + LeadTransitions.OUTSIDE_A_CALL
                  + ")");
    }
    for (DoneReason reason : DoneReason.values()) {
      assertThat(LeadTransitions.next(LeadState.DIALING, new LeadEvent.Finished(reason)))
          .isEqualTo(LeadState.DONE);
    }
  }

  @Test
  void deadAndDoneAreTerminal() {
    assertThat(LeadTransitions.RULES.get(LeadState.DEAD)).isEmpty();
    assertThat(LeadTransitions.RULES.get(LeadState.DONE)).isEmpty();
    assertThat(EnumSet.allOf(LeadState.class).stream().filter(LeadState::isTerminal))
        .containsExactly(LeadState.DEAD, LeadState.DONE);
  }
}
