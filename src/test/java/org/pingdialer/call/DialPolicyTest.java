package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DialPolicyTest {
  private static final List<String> MESSAGE = List.of("sound:vm-nobodyavail", "digits:4930111");

  @Test
  void strictRejectsARingTimeoutBelowFifteenSecondsInsteadOfClampingIt() {
    assertThatThrownBy(() -> DialPolicy.strict(Duration.ofSeconds(14), MESSAGE, "+4930999000000"))
        .hasMessageContaining("ring_timeout must be at least 15s")
        .hasMessageContaining("was 14s");
  }

  @Test
  void strictNeedsADropMessage() {
    assertThatThrownBy(() -> DialPolicy.strict(Duration.ofSeconds(20), List.of(), "+4930999000000"))
        .hasMessageContaining("drop_message is required");
  }

  @Test
  void strictRefusesOneRingLineChecksAndLateMessages() {
    assertThatThrownBy(
            () ->
                new DialPolicy(
                    DialPolicy.Profile.STRICT,
                    Duration.ofSeconds(20),
                    true,
                    Optional.of(MESSAGE),
                    Duration.ofSeconds(2),
                    Optional.of("+4930999000000"),
                    Optional.empty()))
        .hasMessageContaining("line_check_release_at_ring");
    assertThatThrownBy(
            () ->
                new DialPolicy(
                    DialPolicy.Profile.STRICT,
                    Duration.ofSeconds(20),
                    false,
                    Optional.of(MESSAGE),
                    Duration.ofSeconds(3),
                    Optional.of("+4930999000000"),
                    Optional.empty()))
        .hasMessageContaining("drop_deadline must be at most 2s");
  }

  @Test
  void strictRequiresACallerIdTheCalleeCanCallBack() {
    assertThatThrownBy(
            () ->
                new DialPolicy(
                    DialPolicy.Profile.STRICT,
                    Duration.ofSeconds(20),
                    false,
                    Optional.of(MESSAGE),
                    Duration.ofSeconds(2),
                    Optional.empty(),
                    Optional.empty()))
        .hasMessageContaining("caller_id is required in the strict profile");
    assertThat(DialPolicy.lab(Duration.ofSeconds(5)).callerId()).isEmpty();
  }

  @Test
  void strictLineCheckIsAFullCallAndLabOneLetsGoAtTheFirstRing() {
    var strict = DialPolicy.strict(Duration.ofSeconds(20), MESSAGE, "+4930999000000");
    assertThat(strict.releasesAtRinging(Attempt.Kind.LINE_CHECK)).isFalse();
    assertThat(strict.ringTimeoutFor(Attempt.Kind.LINE_CHECK)).isEqualTo(Duration.ofSeconds(20));

    var lab = DialPolicy.lab(Duration.ofSeconds(5));
    assertThat(lab.releasesAtRinging(Attempt.Kind.LINE_CHECK)).isTrue();
    assertThat(lab.releasesAtRinging(Attempt.Kind.CALL)).isFalse();
    assertThat(lab.dropMessage()).isEmpty();
  }

  @Test
  void machineDetectionAppliesToCampaignCallsOnlyAndStrictMachinesHearTheMessage() {
    var strict = DialPolicy.strict(Duration.ofSeconds(20), MESSAGE, "+4930999000000");
    assertThat(strict.detectsMachines(Attempt.Kind.CALL)).isFalse();
    var detecting = strict.withMachineDetection(DialPolicy.OnMachine.DROP_MESSAGE);
    assertThat(detecting.detectsMachines(Attempt.Kind.CALL)).isTrue();
    assertThat(detecting.detectsMachines(Attempt.Kind.LINE_CHECK)).isFalse();

    assertThatThrownBy(() -> strict.withMachineDetection(DialPolicy.OnMachine.HANG_UP))
        .hasMessage(
            "amd.on_machine must be drop_message in the strict profile: a person AMD takes for a"
                + " machine must hear who called, not silence");
    var lab = DialPolicy.lab(Duration.ofSeconds(5));
    assertThat(
            lab.withMachineDetection(DialPolicy.OnMachine.HANG_UP)
                .detectsMachines(Attempt.Kind.CALL))
        .isTrue();
    assertThatThrownBy(() -> lab.withMachineDetection(DialPolicy.OnMachine.DROP_MESSAGE))
        .hasMessage("amd.on_machine is drop_message but the campaign has no drop_message to play");
  }
}
