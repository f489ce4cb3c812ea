package org.pingdialer.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.pingdialer.call.CallEvent.IdTaken;
import org.pingdialer.call.CallEvent.InStasis;
import org.pingdialer.call.CallEvent.MachineDetected;
import org.pingdialer.call.CallEvent.PbxShutdown;
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
 * The life of one call as a pure function: (state, event) → (next state, commands). No I/O, no
 * clock, no threads: the {@link CallEngine} feeds events in and runs the commands.
 *
 * <p>{@link #RULES} lists every (state, event) pair that has a rule, including the ones that are
 * deliberately ignored (late or duplicate signals). Any other pair is unexpected: the call is
 * released with outcome FAILED and the engine logs the pair with the call's history. Tests check
 * that the table and the function agree and that every rule is exercised.
 */
public final class CallTransitions {
  /**
   * Asterisk's own ring timeout backs ours up in case the controller dies mid-call. It counts from
   * the dial, ours from the first ring, so it leaves room for a slow first ring.
   */
  static final Duration ASTERISK_BACKSTOP = Duration.ofSeconds(30);

  private static final Set<Class<? extends CallEvent>> PRE_ANSWER =
      Set.of(
          RemoteRinging.class,
          RemoteProgress.class,
          RemoteAnswered.class,
          RingTimeout.class,
          CommandFailed.class,
          ChannelGone.class,
          PbxShutdown.class);

  /** Every (state, event) pair with a rule. */
  static final Map<Class<? extends CallState>, Set<Class<? extends CallEvent>>> RULES =
      Map.ofEntries(
          Map.entry(
              Creating.class,
              Set.of(
                  InStasis.class,
                  CommandFailed.class,
                  ChannelGone.class,
                  IdTaken.class,
                  PbxShutdown.class)),
          Map.entry(Dialing.class, PRE_ANSWER),
          Map.entry(Ringing.class, PRE_ANSWER),
          Map.entry(
              Detecting.class,
              Set.of(
                  MachineDetected.class,
                  RemoteAnswered.class,
                  RemoteRinging.class,
                  RingTimeout.class,
                  CommandFailed.class,
                  ChannelGone.class,
                  PbxShutdown.class)),
          Map.entry(
              MessageToMachine.class,
              Set.of(
                  DropMessageStarted.class,
                  DropMessageFinished.class,
                  RemoteAnswered.class,
                  RingTimeout.class,
                  CommandFailed.class,
                  ChannelGone.class,
                  PbxShutdown.class)),
          Map.entry(
              Connecting.class,
              Set.of(
                  EnteredBridge.class,
                  RemoteAnswered.class,
                  RemoteRinging.class,
                  RingTimeout.class,
                  AgentLeft.class,
                  CommandFailed.class,
                  ChannelGone.class,
                  PbxShutdown.class)),
          Map.entry(
              Bridged.class,
              Set.of(
                  EnteredBridge.class,
                  RemoteAnswered.class,
                  RingTimeout.class,
                  AgentLeft.class,
                  ChannelGone.class,
                  PbxShutdown.class)),
          Map.entry(
              Dropping.class,
              Set.of(
                  DropMessageStarted.class,
                  DropMessageFinished.class,
                  RemoteAnswered.class,
                  RingTimeout.class,
                  CommandFailed.class,
                  ChannelGone.class,
                  PbxShutdown.class)),
          Map.entry(
              Releasing.class,
              Set.of(
                  RemoteRinging.class,
                  RemoteProgress.class,
                  RemoteAnswered.class,
                  MachineDetected.class,
                  EnteredBridge.class,
                  DropMessageStarted.class,
                  DropMessageFinished.class,
                  RingTimeout.class,
                  AgentLeft.class,
                  CommandFailed.class,
                  ChannelGone.class,
                  PbxShutdown.class)),
          Map.entry(Ended.class, Set.of()));

  private CallTransitions() {}

  /** The first state of a call placed at {@code now} (the channel create is on its way). */
  static CallState start(Attempt attempt, Instant now) {
    return new Creating(attempt, Timeline.createdAt(now));
  }

  /** A step with no agent free (for events that take none, or when nobody is ready). */
  public static Step apply(CallState state, CallEvent event, DialPolicy policy) {
    return apply(state, event, policy, Optional.empty());
  }

  /**
   * The step for {@code event}.
   *
   * @param free the agent this call may take if the step connects it (the agent reserved when the
   *     call was placed, else the one ready longest); taken only by a {@link ReserveAgent} in the
   *     step's commands
   */
  public static Step apply(
      CallState state, CallEvent event, DialPolicy policy, Optional<AgentSeat> free) {
    if (!RULES.get(state.getClass()).contains(event.getClass())) {
      return unexpected(state);
    }
    if (event instanceof PbxShutdown e) {
      return shutdown(state, e);
    }
    Timeline t = state.timeline();
    Attempt attempt = state.attempt();
    return switch (state) {
      case Creating c ->
          switch (event) {
            case InStasis e ->
                Step.to(
                    new Dialing(attempt, t.inStasis(e.at())),
                    new Dial(policy.ringTimeoutFor(attempt.kind()).plus(ASTERISK_BACKSTOP)),
                    new StartRingTimer(policy.ringTimeoutFor(attempt.kind())));
            // Asterisk refused to build the channel (overloaded, "Allocation failed", the request
            // lost on the way): nothing to hang up, and not the callee's doing, so the lead is not
            // charged; the campaign loop backs off while creates fail.
            case CommandFailed e -> endNow(state, e.at(), DialOutcome.LOST, 0, null);
            case ChannelGone e ->
                endNow(state, e.at(), DialOutcome.FAILED, e.cause(), e.techCause());
            // Another run's channel has this id: ours was never created, nothing to hang up.
            case IdTaken e -> endNow(state, e.at(), DialOutcome.LOST, 0, null);
            default -> unexpected(state);
          };
      case Dialing d -> beforeAnswer(d, event, policy, free);
      case Ringing r -> beforeAnswer(r, event, policy, free);
      case Detecting d ->
          switch (event) {
            case MachineDetected e -> afterDetection(d, e, policy, free);
            case RemoteAnswered e -> Step.stay(state);
            case RemoteRinging e -> Step.stay(state);
            case RingTimeout e -> Step.stay(state);
            // The /continue into [amd] failed: the channel is still ours but unclassified.
            case CommandFailed e -> release(state, DialOutcome.FAILED, "normal");
            // Hung up while AMD listened (AMD's HANGUP verdict never reaches Stasis).
            case ChannelGone e ->
                endNow(state, e.at(), DialOutcome.CALLEE_HUNGUP, e.cause(), e.techCause());
            default -> unexpected(state);
          };
      case MessageToMachine m ->
          switch (event) {
            case DropMessageStarted e ->
                Step.to(new MessageToMachine(attempt, t.dropStarted(e.at())));
            case DropMessageFinished e -> release(state, DialOutcome.MACHINE, "normal");
            case RemoteAnswered e -> Step.stay(state); // the answer's second signal
            case RingTimeout e -> Step.stay(state);
            case CommandFailed e -> release(state, DialOutcome.MACHINE, "normal");
            // The machine (or a person taken for one) hung up during the message.
            case ChannelGone e ->
                endNow(state, e.at(), DialOutcome.MACHINE, e.cause(), e.techCause());
            default -> unexpected(state);
          };
      case Connecting c ->
          switch (event) {
            case EnteredBridge e ->
                Step.to(
                    new Bridged(attempt, t.bridged(e.at()), c.agent()),
                    new AgentConnected(c.agent()));
            case RemoteAnswered e -> Step.stay(state); // the answer's second signal
            case RemoteRinging e -> Step.stay(state);
            case RingTimeout e -> Step.stay(state);
            case AgentLeft e -> release(state, DialOutcome.FAILED, "normal");
            case CommandFailed e ->
                release(state, DialOutcome.FAILED, "normal", new ReleaseAgent(c.agent()));
            case ChannelGone e ->
                endNow(
                    state,
                    e.at(),
                    DialOutcome.CALLEE_HUNGUP,
                    e.cause(),
                    e.techCause(),
                    new ReleaseAgent(c.agent()));
            default -> unexpected(state);
          };
      case Bridged b ->
          switch (event) {
            case EnteredBridge e -> Step.stay(state);
            case RemoteAnswered e -> Step.stay(state); // the answer's second signal
            case RingTimeout e -> Step.stay(state);
            // The agent ended the call by hanging up: the customer was served.
            case AgentLeft e -> release(state, DialOutcome.ANSWERED, "normal");
            case ChannelGone e ->
                endNow(
                    state,
                    e.at(),
                    DialOutcome.ANSWERED,
                    e.cause(),
                    e.techCause(),
                    new ReleaseAgent(b.agent()));
            default -> unexpected(state);
          };
      case Dropping d ->
          switch (event) {
            case DropMessageStarted e -> Step.to(new Dropping(attempt, t.dropStarted(e.at())));
            case DropMessageFinished e -> release(state, DialOutcome.ABANDONED, "normal");
            case RemoteAnswered e -> Step.stay(state); // the answer's second signal
            case RingTimeout e -> Step.stay(state);
            case CommandFailed e -> release(state, DialOutcome.ABANDONED, "normal");
            case ChannelGone e ->
                endNow(state, e.at(), DialOutcome.ABANDONED, e.cause(), e.techCause());
            default -> unexpected(state);
          };
      case Releasing r ->
          switch (event) {
            case ChannelGone e -> endNow(state, e.at(), r.outcome(), e.cause(), e.techCause());
            case RemoteAnswered e -> Step.stay(state); // the answer's second signal
            // Hangup already requested: late signals change nothing.
            default -> Step.stay(state);
          };
      case Ended e -> unexpected(state);
    };
  }

  private static Step beforeAnswer(
      CallState state, CallEvent event, DialPolicy policy, Optional<AgentSeat> free) {
    Timeline t = state.timeline();
    Attempt attempt = state.attempt();
    return switch (event) {
      case RemoteRinging e -> {
        if (policy.releasesAtRinging(attempt.kind())) {
          // The lab's ping: the number is live as soon as it rings.
          yield release(state, DialOutcome.NO_ANSWER, "normal", t.ringing(e.at()));
        }
        // The ring time rules count from the first ring, not from the dial: restart the timer
        // there, so a phone that starts ringing late still rings the full timeout (>= 15 s).
        yield t.ringingAt() == null
            ? Step.to(
                new Ringing(attempt, t.ringing(e.at())),
                new StartRingTimer(policy.ringTimeoutFor(attempt.kind())))
            : Step.stay(state);
      }
      case RemoteProgress e -> Step.to(new Ringing(attempt, t.progress(e.at())));
      case RemoteAnswered e -> {
        Timeline answered = t.answered(e.at());
        if (policy.detectsMachines(attempt.kind())) {
          // Listen first; the agent is taken when AMD hears a person.
          yield Step.to(new Detecting(attempt, answered), new DetectMachine());
        }
        // A lab "ping" line check is not meant to reach anyone: it takes no agent (the lab profile
        // drops it silently, the practice under study). A strict line check is a full call.
        yield connectOrDrop(
            attempt,
            answered,
            policy.releasesAtRinging(attempt.kind()) ? Optional.empty() : free,
            policy);
      }
      case RingTimeout e -> release(state, DialOutcome.NO_ANSWER, "no_answer");
      // The PBX failed or did not answer (overloaded): not the callee's doing, nor a call Asterisk
      // refused, so the lead is not charged and the dialer holds back; ended either way.
      case CommandFailed e ->
          release(state, e.pbxTrouble() ? DialOutcome.LOST : DialOutcome.FAILED, "normal");
      case ChannelGone e ->
          endNow(
              state,
              e.at(),
              CauseTable.beforeAnswer(e.cause(), e.techCause()),
              e.cause(),
              e.techCause());
      default -> unexpected(state);
    };
  }

  /**
   * Asterisk is shutting down and hangs up every channel itself: the call is lost to the PBX, not
   * the callee's doing, whatever ends it next (its channel's end, the agent's phone going first). A
   * call already being released keeps the outcome decided then.
   */
  private static Step shutdown(CallState state, PbxShutdown event) {
    return switch (state) {
      case Creating c -> endNow(state, event.at(), DialOutcome.LOST, 0, null);
      case Releasing r -> Step.stay(state);
      case Connecting c -> lostToPbx(state, new ReleaseAgent(c.agent()));
      case Bridged b -> lostToPbx(state, new ReleaseAgent(b.agent()));
      case Ended e -> unexpected(state);
      default -> lostToPbx(state);
    };
  }

  /** No hangup of ours: Asterisk ends the channel, and its end stores the outcome LOST. */
  private static Step lostToPbx(CallState state, CallCommand... before) {
    return new Step(
        new Releasing(state.attempt(), state.timeline(), DialOutcome.LOST), List.of(before), false);
  }

  /** A person answered: to the agent when one is free, else the drop message (or a silent drop). */
  private static Step connectOrDrop(
      Attempt attempt, Timeline answered, Optional<AgentSeat> agent, DialPolicy policy) {
    if (agent.isPresent()) {
      return Step.to(
          new Connecting(attempt, answered, agent.get()),
          new ReserveAgent(agent.get()),
          new AddToBridge(agent.get()));
    }
    return policy
        .dropMessage()
        .map(media -> Step.to(new Dropping(attempt, answered), new PlayDropMessage(media)))
        // Lab only (the strict profile cannot be built without a message): a silent drop.
        .orElseGet(() -> release(new Dropping(attempt, answered), DialOutcome.ABANDONED, "normal"));
  }

  /**
   * AMD's verdict is in. A person (or an unsure verdict: never hang up on someone we could not
   * place) is connected or dropped like any answer; a machine gets the campaign's {@code
   * on_machine} treatment and the outcome MACHINE, which the campaign's machine rule redials.
   */
  private static Step afterDetection(
      Detecting state, MachineDetected event, DialPolicy policy, Optional<AgentSeat> free) {
    Attempt attempt = state.attempt();
    Timeline t = state.timeline();
    AmdVerdict.Status status = event.verdict().status();
    if (status.connects()) {
      return connectOrDrop(attempt, t, free, policy);
    }
    if (status == AmdVerdict.Status.HANGUP) {
      return release(state, DialOutcome.CALLEE_HUNGUP, "normal");
    }
    boolean message =
        policy
            .machineDetection()
            .map(d -> d.onMachine() == DialPolicy.OnMachine.DROP_MESSAGE)
            .orElse(false);
    if (message && policy.dropMessage().isPresent()) {
      return Step.to(
          new MessageToMachine(attempt, t), new PlayDropMessage(policy.dropMessage().get()));
    }
    return release(state, DialOutcome.MACHINE, "normal");
  }

  private static Step release(
      CallState state, DialOutcome outcome, String reason, CallCommand... before) {
    return release(state, outcome, reason, state.timeline(), before);
  }

  private static Step release(
      CallState state,
      DialOutcome outcome,
      String reason,
      Timeline timeline,
      CallCommand... before) {
    var commands = new ArrayList<CallCommand>(List.of(before));
    commands.add(new Hangup(reason));
    return new Step(new Releasing(state.attempt(), timeline, outcome), commands, false);
  }

  private static Step endNow(
      CallState state,
      Instant at,
      DialOutcome outcome,
      int cause,
      Integer techCause,
      CallCommand... before) {
    var commands = new ArrayList<CallCommand>(List.of(before));
    commands.add(new StoreOutcome());
    return new Step(
        new Ended(state.attempt(), state.timeline().ended(at), outcome, cause, techCause),
        commands,
        false);
  }

  private static Step unexpected(CallState state) {
    var commands = new ArrayList<CallCommand>();
    switch (state) {
      case Ended e -> {
        return new Step(state, commands, true);
      }
      case Connecting c -> commands.add(new ReleaseAgent(c.agent()));
      case Bridged b -> commands.add(new ReleaseAgent(b.agent()));
      default -> {}
    }
    commands.add(new Hangup("normal"));
    return new Step(
        new Releasing(state.attempt(), state.timeline(), DialOutcome.FAILED), commands, true);
  }
}
