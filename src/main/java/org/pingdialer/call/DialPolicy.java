package org.pingdialer.call;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The rules one call follows, from the campaign's compliance profile: how long it may ring, when a
 * line check may let go, and what an answered callee hears when no agent is free. The call
 * transitions ask this object; they hold no profile-specific ifs of their own.
 *
 * @param ringTimeout how long an unanswered campaign call rings before we release it
 * @param lineCheckReleaseAtFirstRing lab only: a line check hangs up at the first ringing signal
 * @param dropMessage media the callee hears when answered with no agent free (caller identity and a
 *     callback number); empty means a silent drop, allowed in the lab only
 * @param dropDeadline the message must start within this time of the answer
 * @param machineDetection answered campaign calls go through answering-machine detection before an
 *     agent is connected; empty means every answer is taken for a person
 */
public record DialPolicy(
    Profile profile,
    Duration ringTimeout,
    boolean lineCheckReleaseAtFirstRing,
    Optional<List<String>> dropMessage,
    Duration dropDeadline,
    Optional<String> callerId,
    Optional<MachineDetection> machineDetection) {

  /** strict: the regulators' rules (default); lab: the simulated network only. */
  public enum Profile {
    STRICT,
    LAB
  }

  /**
   * Answering-machine detection for a campaign: Asterisk's {@code AMD()} runs in the PBX's {@code
   * [amd]} context (its timings in {@code amd.conf}) and hands the call back with its verdict.
   *
   * @param onMachine what a callee AMD takes for a machine hears
   * @param falsePositives the share of calls AMD classes as machines that were people: the UK
   *     formula counts them as abandoned (a reasoned estimate, the campaign's {@code
   *     amd.false_positives})
   */
  public record MachineDetection(OnMachine onMachine, double falsePositives) {
    public MachineDetection {
      if (!(falsePositives >= 0 && falsePositives <= 1)) {
        throw new IllegalArgumentException(
            "the AMD false-positive share must be 0..1, was " + falsePositives);
      }
    }

    /** Without an estimate of people taken for machines (lab). */
    public MachineDetection(OnMachine onMachine) {
      this(onMachine, 0);
    }
  }

  /** What a callee classed as a machine gets. */
  public enum OnMachine {
    /** Hung up at once: the lab's choice; a person taken for a machine hears nothing. */
    HANG_UP,
    /**
     * The drop message (who called, a callback number) plays, then the call ends: a machine records
     * it, and a person AMD got wrong is told who called, as after an abandon.
     */
    DROP_MESSAGE
  }

  /** Unanswered calls ring at least this long in the strict profile (UK/US rules). */
  public static final Duration MIN_RING_TIME = Duration.ofSeconds(15);

  /** A person who answers hears an agent or the message within this time (strict). */
  public static final Duration MAX_DROP_DEADLINE = Duration.ofSeconds(2);

  public DialPolicy {
    dropMessage = dropMessage.map(List::copyOf);
    if (profile == Profile.STRICT) {
      if (ringTimeout.compareTo(MIN_RING_TIME) < 0) {
        throw new IllegalArgumentException(
            "ring_timeout must be at least 15s in the strict profile, was "
                + ringTimeout.toSeconds()
                + "s; raise it or use the lab profile on the simulated network");
      }
      if (lineCheckReleaseAtFirstRing) {
        throw new IllegalArgumentException(
            "line checks that hang up at the first ring are one-ring 'ping' calls; the strict"
                + " profile makes a line check a full call: drop line_check_release_at_ring");
      }
      if (dropMessage.isEmpty() || dropMessage.get().isEmpty()) {
        throw new IllegalArgumentException(
            "drop_message is required in the strict profile: an answered callee with no agent"
                + " free must hear who called and a callback number, not silence");
      }
      if (callerId.isEmpty()) {
        throw new IllegalArgumentException(
            "caller_id is required in the strict profile: callees must see a number they can call"
                + " back, never a withheld one");
      }
      if (machineDetection.isPresent()
          && machineDetection.get().onMachine() != OnMachine.DROP_MESSAGE) {
        throw new IllegalArgumentException(
            "amd.on_machine must be drop_message in the strict profile: a person AMD takes for a"
                + " machine must hear who called, not silence");
      }
      if (dropDeadline.compareTo(MAX_DROP_DEADLINE) > 0) {
        throw new IllegalArgumentException(
            "drop_deadline must be at most 2s in the strict profile, was " + dropDeadline);
      }
    }
    if (machineDetection.isPresent()
        && machineDetection.get().onMachine() == OnMachine.DROP_MESSAGE
        && (dropMessage.isEmpty() || dropMessage.get().isEmpty())) {
      throw new IllegalArgumentException(
          "amd.on_machine is drop_message but the campaign has no drop_message to play");
    }
    if (ringTimeout.isNegative() || ringTimeout.isZero()) {
      throw new IllegalArgumentException("ring_timeout must be positive, was " + ringTimeout);
    }
  }

  /** The strict profile with a drop message; ring timeout at least 15 s. */
  public static DialPolicy strict(Duration ringTimeout, List<String> dropMessage, String callerId) {
    return new DialPolicy(
        Profile.STRICT,
        ringTimeout,
        false,
        Optional.of(dropMessage),
        MAX_DROP_DEADLINE,
        Optional.of(callerId),
        Optional.empty());
  }

  /** The lab profile: short pings released at the first ring, silent drops allowed. */
  public static DialPolicy lab(Duration ringTimeout) {
    return new DialPolicy(
        Profile.LAB,
        ringTimeout,
        true,
        Optional.empty(),
        MAX_DROP_DEADLINE,
        Optional.empty(),
        Optional.empty());
  }

  /** This policy with answering-machine detection on answered campaign calls. */
  public DialPolicy withMachineDetection(OnMachine onMachine) {
    return new DialPolicy(
        profile,
        ringTimeout,
        lineCheckReleaseAtFirstRing,
        dropMessage,
        dropDeadline,
        callerId,
        Optional.of(new MachineDetection(onMachine)));
  }

  /**
   * Whether an answered attempt of this kind goes through AMD first. Line checks do not: they only
   * learn whether a number is live, and a strict one that is answered needs its agent at once.
   */
  public boolean detectsMachines(Attempt.Kind kind) {
    return kind == Attempt.Kind.CALL && machineDetection.isPresent();
  }

  /** The ring timeout for this kind of attempt: a strict line check is a full call. */
  public Duration ringTimeoutFor(Attempt.Kind kind) {
    return ringTimeout;
  }

  /** Whether this attempt is released as soon as the far end rings. */
  public boolean releasesAtRinging(Attempt.Kind kind) {
    return kind == Attempt.Kind.LINE_CHECK && lineCheckReleaseAtFirstRing;
  }
}
