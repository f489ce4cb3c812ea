package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pingdialer.call.CallTransitionsTest.AGENT;
import static org.pingdialer.call.CallTransitionsTest.CALL;
import static org.pingdialer.call.CallTransitionsTest.T1;
import static org.pingdialer.call.CallTransitionsTest.answered;
import static org.pingdialer.call.CallTransitionsTest.timeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.CallState.Bridged;
import org.pingdialer.call.CallState.Connecting;
import org.pingdialer.call.CallState.Creating;
import org.pingdialer.call.CallState.Detecting;
import org.pingdialer.call.CallState.Dialing;
import org.pingdialer.call.CallState.Dropping;
import org.pingdialer.call.CallState.Ended;
import org.pingdialer.call.CallState.MessageToMachine;
import org.pingdialer.call.CallState.Releasing;
import org.pingdialer.call.CallState.Ringing;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.ChannelState;

/** What a call that waited on Asterisk learns by asking, state by state. */
class MissedEventsTest {
  private static final Optional<AriChannel> UP =
      Optional.of(new AriChannel("pd-c-1", "PJSIP/x", ChannelState.UP, null, null, null, T1, null));

  private static final Optional<AriChannel> GONE = Optional.empty();

  private static MissedEvents.Shown shown(
      Optional<AriChannel> channel, boolean inBridge, boolean playbackDone) {
    return new MissedEvents.Shown(channel, inBridge, playbackDone, Optional.empty());
  }

  @Test
  void onlyStatesWithNoTimerOfTheirOwnWaitOnAsterisk() {
    Map<CallState, Boolean> waits =
        Map.of(
            new Creating(CALL, timeline()), true,
            new Dialing(CALL, timeline()), false,
            new Ringing(CALL, timeline()), false,
            new Detecting(CALL, answered()), true,
            new MessageToMachine(CALL, answered()), true,
            new Connecting(CALL, answered(), AGENT), true,
            new Bridged(CALL, answered(), AGENT), false,
            new Dropping(CALL, answered()), true,
            new Releasing(CALL, answered(), DialOutcome.FAILED), true,
            new Ended(CALL, answered(), DialOutcome.FAILED, 0, null), false);
    assertThat(waits).hasSize(CallState.class.getPermittedSubclasses().length);
    waits.forEach(
        (state, expected) ->
            assertThat(MissedEvents.waitsOnAsterisk(state))
                .as(state.getClass().getSimpleName())
                .isEqualTo(expected));
  }

  @Test
  void aGoneChannelEndsTheCallInEveryWaitingStateWithItsCauseUnknown() {
    for (CallState state :
        List.of(
            new Creating(CALL, timeline()),
            new Connecting(CALL, answered(), AGENT),
            new Detecting(CALL, answered()),
            new Dropping(CALL, answered()),
            new MessageToMachine(CALL, answered()),
            new Releasing(CALL, answered(), DialOutcome.NO_ANSWER))) {
      assertThat(MissedEvents.missed(state, shown(GONE, false, false), T1))
          .as(state.getClass().getSimpleName())
          .contains(new CallEvent.ChannelGone(T1, 0, null));
    }
  }

  @Test
  void aChannelThereWhileCreatedWasInStasis() {
    assertThat(MissedEvents.missed(new Creating(CALL, timeline()), shown(UP, false, false), T1))
        .contains(new CallEvent.InStasis(T1));
  }

  @Test
  void aCalleeInTheAgentsBridgeEnteredItAndOneNotThereIsACommandThatFailed() {
    var connecting = new Connecting(CALL, answered(), AGENT);
    assertThat(MissedEvents.missed(connecting, shown(UP, true, false), T1))
        .contains(new CallEvent.EnteredBridge(T1));
    assertThat(MissedEvents.missed(connecting, shown(UP, false, false), T1))
        .hasValueSatisfying(
            e ->
                assertThat(e)
                    .isEqualTo(
                        new CallEvent.CommandFailed(
                            T1, "addToBridge", "not in agent-br 5 s later", false)));
  }

  @Test
  void aDropMessageThatEndedEndedAndOneStillPlayingIsWaitedFor() {
    for (CallState state :
        List.of(new Dropping(CALL, answered()), new MessageToMachine(CALL, answered()))) {
      assertThat(MissedEvents.missed(state, shown(UP, false, true), T1))
          .contains(new CallEvent.DropMessageFinished(T1));
      assertThat(MissedEvents.missed(state, shown(UP, false, false), T1)).isEmpty();
    }
  }

  @Test
  void amdsVerdictComesFromItsChannelVariablesOnceItHasOne() {
    var detecting = new Detecting(CALL, answered());
    var verdict = MissedEvents.verdictOf(Optional.of("MACHINE"), Optional.of("LONGGREETING-2000"));
    assertThat(verdict).contains(new AmdVerdict(AmdVerdict.Status.MACHINE, "LONGGREETING-2000"));
    assertThat(
            MissedEvents.missed(detecting, new MissedEvents.Shown(UP, false, false, verdict), T1))
        .contains(new CallEvent.MachineDetected(T1, verdict.orElseThrow()));
    assertThat(MissedEvents.verdictOf(Optional.empty(), Optional.empty())).isEmpty();
    assertThat(MissedEvents.missed(detecting, shown(UP, false, false), T1)).isEmpty();
  }

  @Test
  void aChannelStillThereAfterOurHangupIsNoEventTheEngineHangsUpAgain() {
    assertThat(
            MissedEvents.missed(
                new Releasing(CALL, answered(), DialOutcome.NO_ANSWER),
                shown(UP, false, false),
                T1))
        .isEmpty();
  }
}
