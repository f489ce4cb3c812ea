package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.CallCommand.AddToBridge;
import org.pingdialer.call.CallCommand.AgentConnected;
import org.pingdialer.call.CallCommand.DetectMachine;
import org.pingdialer.call.CallCommand.Dial;
import org.pingdialer.call.CallCommand.Hangup;
import org.pingdialer.call.CallCommand.PlayDropMessage;
import org.pingdialer.call.CallCommand.ReleaseAgent;
import org.pingdialer.call.CallCommand.ReserveAgent;
import org.pingdialer.call.CallCommand.StartRingTimer;
import org.pingdialer.call.CallCommand.StoreOutcome;
import org.pingdialer.call.CallEvent.AgentLeft;
import org.pingdialer.call.CallEvent.ChannelGone;
import org.pingdialer.call.CallEvent.CommandFailed;
import org.pingdialer.call.CallEvent.DropMessageFinished;
import org.pingdialer.call.CallEvent.DropMessageStarted;
import org.pingdialer.call.CallEvent.EnteredBridge;
import org.pingdialer.call.CallEvent.InStasis;
import org.pingdialer.call.CallEvent.MachineDetected;
import org.pingdialer.call.CallEvent.RemoteAnswered;
import org.pingdialer.call.CallEvent.RemoteProgress;
import org.pingdialer.call.CallEvent.RemoteRinging;
import org.pingdialer.call.CallEvent.RingTimeout;
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

/**
 * Given a state, when an event arrives, then this state and these commands. Every pair applied here
 * is recorded; after the class, a rule of {@link CallTransitions#RULES} that no test exercised
 * fails the run.
 */
class CallTransitionsTest {
  static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  static final Instant T1 = T0.plusSeconds(1);
  static final Attempt CALL =
      new Attempt(new AttemptKey("c1", 1), "4930999100001", Attempt.Kind.CALL);
  static final Attempt PING =
      new Attempt(new AttemptKey("c1", 2), "4930999300001", Attempt.Kind.LINE_CHECK);
  static final AgentSeat AGENT = new AgentSeat("a1", "agent-ch", "agent-br");
  static final AgentSeat SPARE = new AgentSeat("a2", "agent2-ch", "agent2-br");
  static final List<String> MESSAGE = List.of("sound:vm-nobodyavail");
  static final DialPolicy STRICT =
      DialPolicy.strict(Duration.ofSeconds(20), MESSAGE, "+4930999000000");
  static final DialPolicy LAB = DialPolicy.lab(Duration.ofSeconds(5));
  static final DialPolicy STRICT_AMD =
      STRICT.withMachineDetection(DialPolicy.OnMachine.DROP_MESSAGE);
  static final DialPolicy LAB_AMD = LAB.withMachineDetection(DialPolicy.OnMachine.HANG_UP);
  static final AmdVerdict HUMAN = new AmdVerdict(AmdVerdict.Status.HUMAN, "HUMAN-800-800");
  static final AmdVerdict MACHINE =
      new AmdVerdict(AmdVerdict.Status.MACHINE, "LONGGREETING-2000-2000");

  private static final Set<String> exercised = new HashSet<>();

  static Step apply(CallState state, CallEvent event, DialPolicy policy) {
    return apply(state, event, policy, Optional.empty());
  }

  /** With {@code free} offered: the agent the call may take if the step connects it. */
  static Step apply(CallState state, CallEvent event, DialPolicy policy, Optional<AgentSeat> free) {
    exercised.add(state.getClass().getSimpleName() + "+" + event.getClass().getSimpleName());
    return CallTransitions.apply(state, event, policy, free);
  }

  static Timeline timeline() {
    return Timeline.createdAt(T0);
  }

  static Timeline answered() {
    return timeline().ringing(T0).answered(T0);
  }

  @AfterAll
  static void everyRuleWasExercised() {
    Set<String> rules = new HashSet<>();
    CallTransitions.RULES.forEach(
        (state, events) ->
            events.forEach(e -> rules.add(state.getSimpleName() + "+" + e.getSimpleName())));
    rules.removeAll(exercised);
    assertThat(rules).as("rules no test exercised").isEmpty();
  }

  @Nested
  class WhileCreating {
    final Creating creating = new Creating(CALL, timeline());

    @Test
    void enteringStasisDialsWithAsteriskBackstopAndStartsOurRingTimer() {
      Step step = apply(creating, new InStasis(T1), STRICT);
      assertThat(step.next()).isEqualTo(new Dialing(CALL, timeline().inStasis(T1)));
      assertThat(step.commands())
          .containsExactly(
              new Dial(Duration.ofSeconds(50)), new StartRingTimer(Duration.ofSeconds(20)));
    }

    @Test
    void failedCreateEndsLostWithoutAHangup() {
      Step step = apply(creating, new CommandFailed(T1, "create", "Allocation failed"), STRICT);
      assertThat(step.next())
          .isInstanceOfSatisfying(
              Ended.class, e -> assertThat(e.outcome()).isEqualTo(DialOutcome.LOST));
      assertThat(step.commands()).containsExactly(new StoreOutcome());
    }

    @Test
    void channelVanishingBeforeStasisIsFailedWithItsCause() {
      Step step = apply(creating, new ChannelGone(T1, 3, null), STRICT);
      assertThat(step.next())
          .isEqualTo(new Ended(CALL, timeline().ended(T1), DialOutcome.FAILED, 3, null));
    }
  }

  @Nested
  class BeforeAnswer {
    final Dialing dialing = new Dialing(CALL, timeline());
    final Ringing ringing = new Ringing(CALL, timeline().ringing(T0));

    @Test
    void firstRingIsRecordedOnceAndRestartsTheRingTimerThere() {
      Step first = apply(dialing, new RemoteRinging(T1), STRICT);
      assertThat(first.next()).isEqualTo(new Ringing(CALL, timeline().ringing(T1)));
      assertThat(first.commands()).containsExactly(new StartRingTimer(Duration.ofSeconds(20)));
      Step again = apply(ringing, new RemoteRinging(T1), STRICT);
      assertThat(again.next().timeline().ringingAt()).isEqualTo(T0);
      assertThat(again.commands()).isEmpty();
    }

    @Test
    void ringingAfterEarlyMediaStillStartsTheRingTimer() {
      var progress = new Ringing(CALL, timeline().progress(T0));
      Step step = apply(progress, new RemoteRinging(T1), STRICT);
      assertThat(step.next().timeline().ringingAt()).isEqualTo(T1);
      assertThat(step.commands()).containsExactly(new StartRingTimer(Duration.ofSeconds(20)));
    }

    @Test
    void earlyMediaIsProgressNotRinging() {
      Step step = apply(dialing, new RemoteProgress(T1), STRICT);
      assertThat(step.next().timeline().progressAt()).isEqualTo(T1);
      assertThat(step.next().timeline().ringingAt()).isNull();
      assertThat(apply(ringing, new RemoteProgress(T1), STRICT).next()).isInstanceOf(Ringing.class);
    }

    @Test
    void answerWithAFreeAgentTakesThatAgentAndAddsTheCallToItsBridge() {
      Step step = apply(ringing, new RemoteAnswered(T1), STRICT, Optional.of(AGENT));
      assertThat(step.next())
          .isEqualTo(new Connecting(CALL, timeline().ringing(T0).answered(T1), AGENT));
      assertThat(step.commands()).containsExactly(new ReserveAgent(AGENT), new AddToBridge(AGENT));
      assertThat(apply(dialing, new RemoteAnswered(T1), STRICT, Optional.of(AGENT)).next())
          .isInstanceOf(Connecting.class);
    }

    @Test
    void answerWithNoAgentPlaysTheDropMessageInTheStrictProfile() {
      Step step = apply(ringing, new RemoteAnswered(T1), STRICT, Optional.empty());
      assertThat(step.next()).isInstanceOf(Dropping.class);
      assertThat(step.commands()).containsExactly(new PlayDropMessage(MESSAGE));
    }

    @Test
    void answerWithNoAgentIsASilentDropInTheLab() {
      Step step = apply(ringing, new RemoteAnswered(T1), LAB, Optional.empty());
      assertThat(step.next())
          .isInstanceOfSatisfying(
              Releasing.class, r -> assertThat(r.outcome()).isEqualTo(DialOutcome.ABANDONED));
      assertThat(step.commands()).containsExactly(new Hangup("normal"));
    }

    @Test
    void anAnsweredLabPingTakesNoAgentEvenWhenOneIsFree() {
      Step step =
          apply(
              new Ringing(PING, timeline().ringing(T0)),
              new RemoteAnswered(T1),
              LAB,
              Optional.of(AGENT));
      assertThat(step.next())
          .isInstanceOfSatisfying(
              Releasing.class, r -> assertThat(r.outcome()).isEqualTo(DialOutcome.ABANDONED));
      assertThat(step.commands()).containsExactly(new Hangup("normal"));
    }

    @Test
    void ringTimeoutReleasesAsNoAnswer() {
      Step step = apply(ringing, new RingTimeout(T1), STRICT);
      assertThat(step.next())
          .isEqualTo(new Releasing(CALL, ringing.timeline(), DialOutcome.NO_ANSWER));
      assertThat(step.commands()).containsExactly(new Hangup("no_answer"));
      assertThat(apply(dialing, new RingTimeout(T1), STRICT).next()).isInstanceOf(Releasing.class);
    }

    @Test
    void failedDialIsReleasedAsFailed() {
      Step step = apply(dialing, new CommandFailed(T1, "dial", "409"), STRICT);
      assertThat(step.next())
          .isInstanceOfSatisfying(
              Releasing.class, r -> assertThat(r.outcome()).isEqualTo(DialOutcome.FAILED));
      assertThat(apply(ringing, new CommandFailed(T1, "dial", "x"), STRICT).next())
          .isInstanceOf(Releasing.class);
    }

    /** A PBX that failed (5xx) or did not answer lost the call: not the callee's, not FAILED. */
    @Test
    void aDialThePbxFailedToDoIsReleasedAsLost() {
      for (CallState state : List.of(dialing, ringing)) {
        Step step = apply(state, new CommandFailed(T1, "dial", "503", true), STRICT);
        assertThat(step.next())
            .isInstanceOfSatisfying(
                Releasing.class, r -> assertThat(r.outcome()).isEqualTo(DialOutcome.LOST));
        assertThat(step.commands()).containsExactly(new Hangup("normal"));
      }
    }

    @Test
    void farEndEndingTheCallIsClassifiedByTheCauseTable() {
      Step busy = apply(dialing, new ChannelGone(T1, 17, 486), STRICT);
      assertThat(busy.next())
          .isEqualTo(new Ended(CALL, timeline().ended(T1), DialOutcome.BUSY, 17, 486));
      assertThat(busy.commands()).containsExactly(new StoreOutcome());
      Step rejected = apply(ringing, new ChannelGone(T1, 21, 603), STRICT);
      assertThat(((Ended) rejected.next()).outcome()).isEqualTo(DialOutcome.REJECTED);
    }

    @Test
    void labLineCheckLetsGoAtTheFirstRing() {
      Step step = apply(new Dialing(PING, timeline()), new RemoteRinging(T1), LAB);
      assertThat(step.next())
          .isEqualTo(new Releasing(PING, timeline().ringing(T1), DialOutcome.NO_ANSWER));
      assertThat(step.commands()).containsExactly(new Hangup("normal"));
    }

    @Test
    void strictLineCheckKeepsRingingLikeACall() {
      Step step = apply(new Dialing(PING, timeline()), new RemoteRinging(T1), STRICT);
      assertThat(step.next()).isInstanceOf(Ringing.class);
    }

    @Test
    void labCampaignCallIsNotReleasedAtRinging() {
      assertThat(apply(dialing, new RemoteRinging(T1), LAB).next()).isInstanceOf(Ringing.class);
    }
  }

  @Nested
  class Answered {
    final Connecting connecting = new Connecting(CALL, answered(), AGENT);
    final Bridged bridged = new Bridged(CALL, answered().bridged(T0), AGENT);
    final Dropping dropping = new Dropping(CALL, answered());

    @Test
    void enteringTheBridgeConnectsTheAgent() {
      Step step = apply(connecting, new EnteredBridge(T1), STRICT);
      assertThat(step.next()).isEqualTo(new Bridged(CALL, answered().bridged(T1), AGENT));
      assertThat(step.commands()).containsExactly(new AgentConnected(AGENT));
      assertThat(apply(bridged, new EnteredBridge(T1), STRICT).commands()).isEmpty();
    }

    @Test
    void aSecondAnswerSignalTakesNoOtherAgent() {
      for (CallState state : List.<CallState>of(connecting, bridged, dropping)) {
        Step step = apply(state, new RemoteAnswered(T1), STRICT, Optional.of(SPARE));
        assertThat(step.next()).isEqualTo(state);
        assertThat(step.commands()).isEmpty();
      }
      assertThat(apply(bridged, new RemoteAnswered(T1), STRICT, Optional.empty()).commands())
          .isEmpty();
    }

    @Test
    void lateRingingAndStaleTimersChangeNothing() {
      assertThat(apply(connecting, new RemoteRinging(T1), STRICT).next()).isEqualTo(connecting);
      assertThat(apply(connecting, new RingTimeout(T1), STRICT).next()).isEqualTo(connecting);
      assertThat(apply(bridged, new RingTimeout(T1), STRICT).next()).isEqualTo(bridged);
      assertThat(apply(dropping, new RingTimeout(T1), STRICT).next()).isEqualTo(dropping);
    }

    @Test
    void calleeHangingUpBeforeTheBridgeIsCalleeHungUpAndFreesTheAgent() {
      Step step = apply(connecting, new ChannelGone(T1, 16, null), STRICT);
      assertThat(((Ended) step.next()).outcome()).isEqualTo(DialOutcome.CALLEE_HUNGUP);
      assertThat(step.commands()).containsExactly(new ReleaseAgent(AGENT), new StoreOutcome());
    }

    @Test
    void failedBridgeAddReleasesCallAndAgent() {
      Step step = apply(connecting, new CommandFailed(T1, "addToBridge", "422"), STRICT);
      assertThat(step.commands()).containsExactly(new ReleaseAgent(AGENT), new Hangup("normal"));
    }

    @Test
    void agentVanishingWhileConnectingFailsTheCall() {
      Step step = apply(connecting, new AgentLeft(T1), STRICT);
      assertThat(step.next())
          .isInstanceOfSatisfying(
              Releasing.class, r -> assertThat(r.outcome()).isEqualTo(DialOutcome.FAILED));
    }

    @Test
    void bridgedCallEndsAnsweredWhoeverHangsUp() {
      Step callee = apply(bridged, new ChannelGone(T1, 16, null), STRICT);
      assertThat(((Ended) callee.next()).outcome()).isEqualTo(DialOutcome.ANSWERED);
      assertThat(callee.commands()).containsExactly(new ReleaseAgent(AGENT), new StoreOutcome());

      Step agent = apply(bridged, new AgentLeft(T1), STRICT);
      assertThat(agent.next())
          .isEqualTo(new Releasing(CALL, bridged.timeline(), DialOutcome.ANSWERED));
      assertThat(agent.commands()).containsExactly(new Hangup("normal"));
    }

    @Test
    void dropMessageRunsThenTheCallIsAbandoned() {
      Step started = apply(dropping, new DropMessageStarted(T1), STRICT);
      assertThat(started.next().timeline().dropStartedAt()).isEqualTo(T1);
      Step finished = apply(started.next(), new DropMessageFinished(T1), STRICT);
      assertThat(finished.next())
          .isInstanceOfSatisfying(
              Releasing.class, r -> assertThat(r.outcome()).isEqualTo(DialOutcome.ABANDONED));
      assertThat(finished.commands()).containsExactly(new Hangup("normal"));
    }

    @Test
    void calleeHangingUpDuringTheMessageIsStillAbandoned() {
      Step step = apply(dropping, new ChannelGone(T1, 16, null), STRICT);
      assertThat(((Ended) step.next()).outcome()).isEqualTo(DialOutcome.ABANDONED);
    }

    @Test
    void messageThatCannotPlayStillEndsTheCall() {
      Step step = apply(dropping, new CommandFailed(T1, "playDropMessage", "404"), STRICT);
      assertThat(step.commands()).containsExactly(new Hangup("normal"));
    }
  }

  @Nested
  class WithMachineDetection {
    final Ringing ringing = new Ringing(CALL, timeline().ringing(T0));
    final Detecting detecting = new Detecting(CALL, answered());

    @Test
    void anAnswerGoesToAmdFirstAndHoldsNoAgent() {
      Step step = apply(ringing, new RemoteAnswered(T1), STRICT_AMD, Optional.empty());
      assertThat(step.next()).isEqualTo(new Detecting(CALL, timeline().ringing(T0).answered(T1)));
      assertThat(step.commands()).containsExactly(new DetectMachine());
      // A free agent is not taken while AMD listens.
      Step withAgent = apply(ringing, new RemoteAnswered(T1), LAB_AMD, Optional.of(AGENT));
      assertThat(withAgent.next()).isInstanceOf(Detecting.class);
      assertThat(withAgent.commands()).containsExactly(new DetectMachine());
    }

    @Test
    void lineChecksSkipAmd() {
      var check = new Ringing(PING, timeline().ringing(T0));
      Step step = apply(check, new RemoteAnswered(T1), STRICT_AMD, Optional.of(AGENT));
      assertThat(step.next()).isInstanceOf(Connecting.class);
    }

    @Test
    void aPersonGoesToTheAgentTakenAtTheVerdict() {
      Step step = apply(detecting, new MachineDetected(T1, HUMAN), STRICT_AMD, Optional.of(AGENT));
      assertThat(step.next()).isEqualTo(new Connecting(CALL, answered(), AGENT));
      assertThat(step.commands()).containsExactly(new ReserveAgent(AGENT), new AddToBridge(AGENT));
    }

    @Test
    void aPersonWithNoAgentFreeHearsTheDropMessageOrIsDroppedInTheLab() {
      Step strict = apply(detecting, new MachineDetected(T1, HUMAN), STRICT_AMD, Optional.empty());
      assertThat(strict.next()).isInstanceOf(Dropping.class);
      assertThat(strict.commands()).containsExactly(new PlayDropMessage(MESSAGE));
      Step lab = apply(detecting, new MachineDetected(T1, HUMAN), LAB_AMD, Optional.empty());
      assertThat(lab.next())
          .isInstanceOfSatisfying(
              Releasing.class, r -> assertThat(r.outcome()).isEqualTo(DialOutcome.ABANDONED));
    }

    @Test
    void anUnsureVerdictIsTreatedAsAPerson() {
      var unsure = new AmdVerdict(AmdVerdict.Status.NOTSURE, "TOOLONG-5000");
      Step step = apply(detecting, new MachineDetected(T1, unsure), LAB_AMD, Optional.of(AGENT));
      assertThat(step.next()).isInstanceOf(Connecting.class);
    }

    @Test
    void aMachineInTheLabIsHungUpOnAsMachine() {
      Step step = apply(detecting, new MachineDetected(T1, MACHINE), LAB_AMD, Optional.empty());
      assertThat(step.next()).isEqualTo(new Releasing(CALL, answered(), DialOutcome.MACHINE));
      assertThat(step.commands()).containsExactly(new Hangup("normal"));
    }

    @Test
    void aMachineInStrictHearsTheDropMessageThenEndsAsMachine() {
      Step step = apply(detecting, new MachineDetected(T1, MACHINE), STRICT_AMD, Optional.empty());
      assertThat(step.next()).isEqualTo(new MessageToMachine(CALL, answered()));
      assertThat(step.commands()).containsExactly(new PlayDropMessage(MESSAGE));

      Step started = apply(step.next(), new DropMessageStarted(T1), STRICT_AMD);
      assertThat(started.next().timeline().dropStartedAt()).isEqualTo(T1);
      Step finished = apply(started.next(), new DropMessageFinished(T1), STRICT_AMD);
      assertThat(finished.next())
          .isEqualTo(new Releasing(CALL, answered().dropStarted(T1), DialOutcome.MACHINE));
      assertThat(finished.commands()).containsExactly(new Hangup("normal"));
    }

    @Test
    void theMessageToAMachineEndsAsMachineHoweverItEnds() {
      var message = new MessageToMachine(CALL, answered());
      assertThat(
              ((Ended) apply(message, new ChannelGone(T1, 16, null), STRICT_AMD).next()).outcome())
          .isEqualTo(DialOutcome.MACHINE);
      Step failed = apply(message, new CommandFailed(T1, "playDropMessage", "404"), STRICT_AMD);
      assertThat(failed.next()).isEqualTo(new Releasing(CALL, answered(), DialOutcome.MACHINE));
      assertThat(apply(message, new RingTimeout(T1), STRICT_AMD).next()).isEqualTo(message);
      assertThat(apply(message, new RemoteAnswered(T1), STRICT_AMD, Optional.of(SPARE)).commands())
          .isEmpty();
    }

    @Test
    void aCalleeWhoHangsUpWhileAmdListensHungUp() {
      Step gone = apply(detecting, new ChannelGone(T1, 16, null), LAB_AMD);
      assertThat(((Ended) gone.next()).outcome()).isEqualTo(DialOutcome.CALLEE_HUNGUP);
      var hangup = new AmdVerdict(AmdVerdict.Status.HANGUP, "");
      Step verdict = apply(detecting, new MachineDetected(T1, hangup), LAB_AMD, Optional.empty());
      assertThat(verdict.next())
          .isEqualTo(new Releasing(CALL, answered(), DialOutcome.CALLEE_HUNGUP));
    }

    @Test
    void aFailedContinueIsReleasedAsFailedAndLateSignalsChangeNothing() {
      Step failed = apply(detecting, new CommandFailed(T1, "continueToAmd", "412"), LAB_AMD);
      assertThat(failed.next()).isEqualTo(new Releasing(CALL, answered(), DialOutcome.FAILED));
      assertThat(apply(detecting, new RemoteRinging(T1), LAB_AMD).next()).isEqualTo(detecting);
      assertThat(apply(detecting, new RingTimeout(T1), LAB_AMD).next()).isEqualTo(detecting);
      Step second = apply(detecting, new RemoteAnswered(T1), LAB_AMD, Optional.of(SPARE));
      assertThat(second.next()).isEqualTo(detecting);
      assertThat(second.commands()).isEmpty();
    }

    @Test
    void aVerdictAfterWeLetGoTakesNoAgent() {
      var releasing = new Releasing(CALL, answered(), DialOutcome.NO_ANSWER);
      assertThat(
              apply(releasing, new MachineDetected(T1, HUMAN), LAB_AMD, Optional.of(AGENT))
                  .commands())
          .isEmpty();
      assertThat(
              apply(releasing, new MachineDetected(T1, MACHINE), LAB_AMD, Optional.empty()).next())
          .isEqualTo(releasing);
    }

    @Test
    void stasisArgumentsFromTheAmdContextAreRead() {
      assertThat(AmdVerdict.fromStasisArgs(List.of("amd", "MACHINE", "INITIALSILENCE-1200-1200")))
          .contains(new AmdVerdict(AmdVerdict.Status.MACHINE, "INITIALSILENCE-1200-1200"));
      assertThat(AmdVerdict.fromStasisArgs(List.of("call"))).isEmpty();
      assertThat(AmdVerdict.fromStasisArgs(List.of()).isEmpty()).isTrue();
      assertThat(AmdVerdict.fromStasisArgs(List.of("amd", "", "")).orElseThrow().status())
          .isEqualTo(AmdVerdict.Status.NOTSURE);
    }
  }

  @Nested
  class WhileReleasing {
    final Releasing releasing = new Releasing(CALL, answered(), DialOutcome.NO_ANSWER);

    @Test
    void theChannelGoneEndsWithTheOutcomeDecidedAtRelease() {
      Step step = apply(releasing, new ChannelGone(T1, 19, 480), STRICT);
      assertThat(step.next())
          .isEqualTo(new Ended(CALL, answered().ended(T1), DialOutcome.NO_ANSWER, 19, 480));
    }

    @Test
    void lateSignalsChangeNothing() {
      List<CallEvent> late =
          List.of(
              new RemoteRinging(T1),
              new RemoteProgress(T1),
              new EnteredBridge(T1),
              new DropMessageStarted(T1),
              new DropMessageFinished(T1),
              new RingTimeout(T1),
              new AgentLeft(T1),
              new CommandFailed(T1, "hangup", "x"),
              new RemoteAnswered(T1));
      for (CallEvent event : late) {
        Step step = apply(releasing, event, STRICT);
        assertThat(step.next()).as(event.toString()).isEqualTo(releasing);
        assertThat(step.commands()).as(event.toString()).isEmpty();
      }
    }

    @Test
    void aLateAnswerTakesNoAgent() {
      Step step = apply(releasing, new RemoteAnswered(T1), STRICT, Optional.of(AGENT));
      assertThat(step.commands()).isEmpty();
    }
  }

  /** Issue 17: calls lost to a failure of ours or the PBX's are LOST, never the callee's doing. */
  @Nested
  class Lost {
    @Test
    void aTakenIdEndsTheCallLostWithoutAHangup() {
      Step step =
          apply(new Creating(CALL, timeline()), new CallEvent.IdTaken(T1, "409 exists"), STRICT);
      assertThat(step.next())
          .isEqualTo(new Ended(CALL, timeline().ended(T1), DialOutcome.LOST, 0, null));
      assertThat(step.commands()).containsExactly(new StoreOutcome());
    }

    @Test
    void aShutdownLosesTheCallInEveryLiveStateFreesItsAgentAndLeavesTheHangupToAsterisk() {
      var shutdown = new CallEvent.PbxShutdown(T1);
      List<CallState> withoutAgent =
          List.of(
              new Dialing(CALL, timeline()),
              new Ringing(CALL, timeline().ringing(T0)),
              new Detecting(CALL, answered()),
              new MessageToMachine(CALL, answered()),
              new Dropping(CALL, answered()));
      for (CallState state : withoutAgent) {
        Step step = apply(state, shutdown, STRICT);
        assertThat(step.next())
            .as(state.getClass().getSimpleName())
            .isEqualTo(new Releasing(CALL, state.timeline(), DialOutcome.LOST));
        assertThat(step.commands()).isEmpty();
      }
      for (CallState state :
          List.<CallState>of(
              new Connecting(CALL, answered(), AGENT), new Bridged(CALL, answered(), AGENT))) {
        Step step = apply(state, shutdown, STRICT);
        assertThat(step.next()).isEqualTo(new Releasing(CALL, answered(), DialOutcome.LOST));
        assertThat(step.commands()).containsExactly(new ReleaseAgent(AGENT));
      }
      Step creating = apply(new Creating(CALL, timeline()), shutdown, STRICT);
      assertThat(creating.next())
          .isEqualTo(new Ended(CALL, timeline().ended(T1), DialOutcome.LOST, 0, null));
      // The agent's phone going first no longer makes the call look served; its end is LOST.
      Step agentGone =
          apply(new Releasing(CALL, answered(), DialOutcome.LOST), new AgentLeft(T1), STRICT);
      assertThat(agentGone.next()).isEqualTo(new Releasing(CALL, answered(), DialOutcome.LOST));
      Step gone = apply(agentGone.next(), new ChannelGone(T1, 16, null), STRICT);
      assertThat(((Ended) gone.next()).outcome()).isEqualTo(DialOutcome.LOST);
    }

    @Test
    void aShutdownDuringOurHangupKeepsTheOutcomeDecidedAtRelease() {
      var releasing = new Releasing(CALL, answered(), DialOutcome.NO_ANSWER);
      Step step = apply(releasing, new CallEvent.PbxShutdown(T1), STRICT);
      assertThat(step.next()).isEqualTo(releasing);
      assertThat(step.commands()).isEmpty();
    }
  }

  @Nested
  class Unexpected {
    @Test
    void aPairWithoutARuleReleasesTheCallAsFailedAndIsFlagged() {
      Step step =
          CallTransitions.apply(new Dialing(CALL, timeline()), new EnteredBridge(T1), STRICT);
      assertThat(step.unexpected()).isTrue();
      assertThat(step.next())
          .isInstanceOfSatisfying(
              Releasing.class, r -> assertThat(r.outcome()).isEqualTo(DialOutcome.FAILED));
      assertThat(step.commands()).containsExactly(new Hangup("normal"));
    }

    @Test
    void anUnexpectedEventWhileBridgedAlsoFreesTheAgent() {
      Step step =
          CallTransitions.apply(
              new Bridged(CALL, answered(), AGENT), new DropMessageStarted(T1), STRICT);
      assertThat(step.unexpected()).isTrue();
      assertThat(step.commands()).containsExactly(new ReleaseAgent(AGENT), new Hangup("normal"));
    }

    @Test
    void everyPairOutsideTheTableIsUnexpectedAndEveryPairInsideIsNot() {
      List<CallState> states =
          List.of(
              new Creating(CALL, timeline()),
              new Dialing(CALL, timeline()),
              new Ringing(CALL, timeline()),
              new Connecting(CALL, answered(), AGENT),
              new Bridged(CALL, answered(), AGENT),
              new Dropping(CALL, answered()),
              new Detecting(CALL, answered()),
              new MessageToMachine(CALL, answered()),
              new Releasing(CALL, answered(), DialOutcome.FAILED),
              new Ended(CALL, answered(), DialOutcome.FAILED, 0, null));
      List<CallEvent> events =
          List.of(
              new InStasis(T1),
              new RemoteRinging(T1),
              new RemoteProgress(T1),
              new RemoteAnswered(T1),
              new EnteredBridge(T1),
              new DropMessageStarted(T1),
              new DropMessageFinished(T1),
              new RingTimeout(T1),
              new AgentLeft(T1),
              new CommandFailed(T1, "x", "y"),
              new MachineDetected(T1, HUMAN),
              new ChannelGone(T1, 16, null),
              new CallEvent.IdTaken(T1, "409"),
              new CallEvent.PbxShutdown(T1));
      assertThat(states).hasSize(CallState.class.getPermittedSubclasses().length);
      assertThat(events).hasSize(CallEvent.class.getPermittedSubclasses().length);
      for (CallState state : states) {
        for (CallEvent event : events) {
          boolean ruled = CallTransitions.RULES.get(state.getClass()).contains(event.getClass());
          assertThat(CallTransitions.apply(state, event, STRICT).unexpected())
              .as(state.getClass().getSimpleName() + " + " + event.getClass().getSimpleName())
              .isEqualTo(!ruled);
        }
      }
    }
  }
}
