package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.DialPolicy.Profile;
import org.pingdialer.campaign.spec.Campaign.LineCheck;
import org.pingdialer.campaign.spec.Campaign.Pacing;

/** One test per rule of the strict and lab profiles, each with the exact message. */
class CampaignFilesTest {
  static final String FILE = "campaigns/summer.yaml";

  /** A valid strict campaign; each test breaks one line of it. */
  static final String STRICT =
      """
      name: summer
      lists: [summer-2026]
      trunk: sipgate
      default_region: DE
      caller_id: "+49 30 12345678"
      calling_windows:
        mon-fri: [09:00-12:00, 13:00-20:00]
        sat: 10:00-14:00
      attempt_caps:
        per_24h: 3
        lifetime: 10
      retry:
        busy: {after: 10m, max: 3}
        abandoned: {after: 72h, max: 1}
        machine: {after: 24h, max: 2}
      pacing:
        mode: predictive
        max_abandon_rate: 0.03
        max_channels: 20
        ring_timeout: 15s
      line_check: full
      drop_message:
        sound: custom/drop-de
        deadline: 2s
      agent_group: sales
      """;

  static final String LAB =
      """
      name: lab
      profile: lab
      lists: [lab-numbers]
      trunk: carrier
      default_region: DE
      calling_windows:
        mon-sun: 00:00-24:00
      pacing:
        mode: power
        ratio: 3.0
        ring_timeout: 5s
      line_check: ping
      retry:
        abandoned: {after: 1m, max: 3}
      agent_group: lab-agents
      """;

  @Test
  void aValidStrictFileIsReadIntoACampaign() throws CampaignFileException {
    Campaign campaign = CampaignFiles.parse(STRICT, FILE);

    assertThat(campaign.name()).isEqualTo("summer");
    assertThat(campaign.profile()).isEqualTo(Profile.STRICT);
    assertThat(campaign.callerId().orElseThrow().e164()).isEqualTo("+493012345678");
    assertThat(campaign.pacing())
        .isEqualTo(new Pacing.Predictive(0.03, 20, Duration.ofSeconds(15)));
    assertThat(campaign.retry().get(DialOutcome.ABANDONED).after()).hasHours(72);
    assertThat(campaign.lineCheck()).isEqualTo(LineCheck.FULL);
    assertThat(campaign.wrapUp()).isEqualTo(CampaignReader.DEFAULT_WRAP_UP);
    assertThat(campaign.dialPolicy().dropMessage()).contains(List.of("sound:custom/drop-de"));
  }

  @Test
  void aValidLabFileOnTheSimulatedNetworkIsRead() throws CampaignFileException {
    Campaign campaign = CampaignFiles.parse(LAB, FILE);

    assertThat(campaign.profile()).isEqualTo(Profile.LAB);
    assertThat(campaign.callerId()).isEmpty();
    assertThat(campaign.dropMessage()).isEmpty();
    assertThat(campaign.dialPolicy().lineCheckReleaseAtFirstRing()).isTrue();
  }

  @Test
  void aCampaignIsAloneOnEveryAgentUnlessItNamesItsAgentsPriorityAndWeight()
      throws CampaignFileException {
    assertThat(CampaignFiles.parse(LAB, FILE).share()).isEqualTo(Campaign.Share.EVERYONE);
    Campaign.Share share =
        CampaignFiles.parse(LAB + "agents: [agent1, agent2]\npriority: 3\nweight: 2\n", FILE)
            .share();
    assertThat(share).isEqualTo(new Campaign.Share(3, 2, Set.of("agent1", "agent2")));
    assertThat(share.takes("agent2")).isTrue();
    assertThat(share.takes("agent3")).isFalse();
    assertThat(problems(LAB + "agents: [Agent1, agent2, agent2]\npriority: 0\nweight: heavy\n"))
        .containsExactly(
            FILE
                + ": agents[0]: must be an agent id: lower-case letters, digits, '-' or '_' (max"
                + " 32), was Agent1",
            FILE + ": agents[2]: is listed twice, was agent2",
            FILE + ": priority: must be a whole number of at least 1, was 0",
            FILE + ": weight: must be a whole number of at least 1, was heavy");
    assertThat(problems(LAB + "agents: agent1\n"))
        .containsExactly(
            FILE
                + ": agents: must be a list of agent ids, e.g. [agent1, agent2]; leave it out for"
                + " every agent, was agent1");
  }

  @Test
  void pauseCodesDefaultToBreakAndAreCheckedWhenGiven() throws CampaignFileException {
    assertThat(CampaignFiles.parse(LAB, FILE).pauseCodes()).containsExactly("break");
    assertThat(
            CampaignFiles.parse(LAB + "pause_codes: [break, lunch, training]\n", FILE).pauseCodes())
        .containsExactly("break", "lunch", "training");
    assertThat(problems(LAB + "pause_codes: [Lunch, break, break, phone-unreachable]\n"))
        .containsExactly(
            FILE + ": pause_codes[0]: must be 1-32 of a-z, 0-9, '-' and '_', e.g. lunch, was Lunch",
            FILE + ": pause_codes[2]: is listed twice, was break",
            FILE
                + ": pause_codes[3]: is the system's own pause (the phone is unreachable); pick"
                + " another, was phone-unreachable");
    assertThat(problems(LAB + "pause_codes: []\n"))
        .containsExactly(
            FILE
                + ": pause_codes: must be a list of pause codes, e.g. [break, lunch, training], was []");
  }

  @Test
  void strictRejectsAnAbandonRateAboveThreePercent() {
    assertThat(problems(STRICT.replace("max_abandon_rate: 0.03", "max_abandon_rate: 0.05")))
        .containsExactly(
            "campaigns/summer.yaml: pacing.max_abandon_rate: must be ≤ 0.03 in profile strict,"
                + " was 0.05");
  }

  @Test
  void strictRejectsARingTimeoutUnderFifteenSeconds() {
    assertThat(problems(STRICT.replace("ring_timeout: 15s", "ring_timeout: 14s")))
        .containsExactly(
            "campaigns/summer.yaml: pacing.ring_timeout: must be ≥ 15s in profile strict"
                + " (unanswered calls ring at least 15 s), was 14s");
  }

  @Test
  void strictRequiresACallerId() {
    assertThat(problems(STRICT.replace("caller_id: \"+49 30 12345678\"\n", "")))
        .containsExactly(
            "campaigns/summer.yaml: caller_id: required in profile strict: no dialing without a"
                + " valid caller ID");
  }

  @Test
  void aPremiumRateCallerIdIsRejected() {
    assertThat(problems(STRICT.replace("+49 30 12345678", "0900 1234567")))
        .containsExactly(
            "campaigns/summer.yaml: caller_id: not usable as caller ID: a premium rate number is"
                + " never dialed, was 0900 1234567");
  }

  @Test
  void anUnquotedCallerIdIsRejectedBecauseYamlDropsThePlus() {
    assertThat(problems(STRICT.replace("\"+49 30 12345678\"", "+493012345678")))
        .containsExactly(
            "campaigns/summer.yaml: caller_id: write the number in quotes so YAML keeps the +"
                + " and leading zeros, e.g. caller_id: \"+49 30 1234567\", was 493012345678");
  }

  @Test
  void anUnknownRegionIsRejected() {
    assertThat(problems(STRICT.replace("default_region: DE", "default_region: XX")))
        .containsExactly(
            "campaigns/summer.yaml: default_region: not a region code such as DE, AT, GB or US,"
                + " was XX");
  }

  @Test
  void strictRejectsACallingWindowOutsideEightToNine() {
    assertThat(problems(STRICT.replace("sat: 10:00-14:00", "sat: 07:30-14:00")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.sat[0]: must lie within 08:00-21:00 (the"
                + " callee's local time) in profile strict, was 07:30-14:00");
    assertThat(problems(STRICT.replace("13:00-20:00", "13:00-21:30")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.mon-fri[1]: must lie within 08:00-21:00 (the"
                + " callee's local time) in profile strict, was 13:00-21:30");
  }

  @Test
  void strictAcceptsAWindowEndingExactlyAtNine() throws CampaignFileException {
    Campaign campaign = CampaignFiles.parse(STRICT.replace("13:00-20:00", "13:00-21:00"), FILE);

    assertThat(campaign.callingWindows().on(DayOfWeek.MONDAY)).hasSize(2);
  }

  @Test
  void labAcceptsCallingAroundTheClock() throws CampaignFileException {
    Campaign.CallingWindows windows = CampaignFiles.parse(LAB, FILE).callingWindows();

    assertThat(windows.on(DayOfWeek.SUNDAY)).hasSize(1);
    assertThat(windows.on(DayOfWeek.SUNDAY).getFirst()).hasToString("00:00-24:00");
    // 24:00 is midnight: the day's last minute is inside (a range to 23:59 left it out, and a
    // test that ran at 23:59 in Berlin waited 30 s for a call that was never placed).
    ZonedDateTime sunday = ZonedDateTime.of(2026, 12, 6, 0, 0, 0, 0, ZoneId.of("Europe/Berlin"));
    assertThat(windows.isOpen(sunday)).isTrue();
    assertThat(windows.isOpen(sunday.withHour(23).withMinute(59).withSecond(59))).isTrue();
    assertThat(windows.isOpen(sunday.withHour(23).withMinute(59).withSecond(0))).isTrue();
  }

  @Test
  void aRangeToTwentyThreeFiftyNineEndsAMinuteBeforeMidnight() throws CampaignFileException {
    Campaign.CallingWindows windows =
        CampaignFiles.parse(LAB.replace("00:00-24:00", "00:00-23:59"), FILE).callingWindows();
    ZonedDateTime sunday = ZonedDateTime.of(2026, 12, 6, 23, 58, 59, 0, ZoneId.of("Europe/Berlin"));

    assertThat(windows.isOpen(sunday)).isTrue();
    assertThat(windows.isOpen(sunday.plusSeconds(1))).isFalse();
  }

  @Test
  void aMalformedTimeRangeIsRejected() {
    assertThat(problems(STRICT.replace("sat: 10:00-14:00", "sat: 10-14")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.sat[0]: must be a time range HH:MM-HH:MM such"
                + " as 09:00-12:30, was 10-14");
    assertThat(problems(LAB.replace("00:00-24:00", "00:00-24:30")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.mon-sun[0]: hours run 00-23 and minutes 00-59; a"
                + " range that calls until midnight ends at 24:00, was 00:00-24:30");
    assertThat(problems(LAB.replace("00:00-24:00", "24:00-24:00")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.mon-sun[0]: hours run 00-23 and minutes 00-59; a"
                + " range that calls until midnight ends at 24:00, was 24:00-24:00");
    assertThat(problems(STRICT.replace("sat: 10:00-14:00", "sat: 10:00-24:00")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.sat[0]: must lie within 08:00-21:00 (the"
                + " callee's local time) in profile strict, was 10:00-24:00");
  }

  @Test
  void aReversedTimeRangeIsRejected() {
    assertThat(problems(STRICT.replace("sat: 10:00-14:00", "sat: 14:00-10:00")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.sat[0]: must end after it starts (ranges do"
                + " not cross midnight), was 14:00-10:00");
  }

  @Test
  void overlappingTimeRangesAreRejected() {
    assertThat(problems(STRICT.replace("13:00-20:00", "11:30-20:00")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.mon-fri[1]: overlaps 09:00-12:00"
                + " (calling_windows.mon-fri[0]); merge them into one range, was 11:30-20:00");
  }

  @Test
  void aDaySetTwiceIsRejected() {
    assertThat(problems(STRICT.replace("sat: 10:00-14:00", "fri: 10:00-14:00")))
        .containsExactly(
            "campaigns/summer.yaml: calling_windows.fri: fri is already set by mon-fri; give each"
                + " day one entry, was fri");
  }

  @Test
  void strictRequiresBothAttemptCapsAndAtMostThreePer24Hours() {
    assertThat(problems(STRICT.replace("per_24h: 3", "per_24h: 4")))
        .containsExactly(
            "campaigns/summer.yaml: attempt_caps.per_24h: must be ≤ 3 in profile strict, was 4");
    assertThat(problems(STRICT.replace("  lifetime: 10\n", "")))
        .containsExactly(
            "campaigns/summer.yaml: attempt_caps.lifetime: required in profile strict");
    assertThat(problems(STRICT.replace("attempt_caps:\n  per_24h: 3\n  lifetime: 10\n", "")))
        .containsExactly(
            "campaigns/summer.yaml: attempt_caps: required in profile strict: set per_24h (at"
                + " most 3) and lifetime");
  }

  @Test
  void strictRejectsARedialWithin72HoursOfAnAbandonWithoutAReservedAgent() {
    assertThat(problems(STRICT.replace("{after: 72h, max: 1}", "{after: 71h, max: 1}")))
        .containsExactly(
            "campaigns/summer.yaml: retry.abandoned.after: must be ≥ 72h in profile strict unless"
                + " agent_reserved: true, was 71h");
  }

  @Test
  void aReservedAgentAllowsAnEarlyRedialAfterAnAbandon() throws CampaignFileException {
    Campaign campaign =
        CampaignFiles.parse(
            STRICT.replace("{after: 72h, max: 1}", "{after: 10m, max: 1, agent_reserved: true}"),
            FILE);

    assertThat(campaign.retry().get(DialOutcome.ABANDONED).agentReserved()).isTrue();
  }

  @Test
  void strictRejectsARedialWithin24HoursOfAMachine() {
    assertThat(problems(STRICT.replace("{after: 24h, max: 2}", "{after: 2h, max: 2}")))
        .containsExactly(
            "campaigns/summer.yaml: retry.machine.after: must be ≥ 24h in profile strict unless"
                + " agent_reserved: true, was 2h");
  }

  @Test
  void retryKeysAreOutcomesThatMayBeRedialed() {
    assertThat(problems(STRICT.replace("busy:", "buzy:")))
        .containsExactly("campaigns/summer.yaml: retry.buzy: unknown outcome; did you mean busy?");
    assertThat(problems(STRICT.replace("busy:", "unallocated:")))
        .containsExactly(
            "campaigns/summer.yaml: retry.unallocated: a number that does not exist is never"
                + " redialed");
  }

  @Test
  void strictRejectsPingLineChecks() {
    assertThat(problems(STRICT.replace("line_check: full", "line_check: ping")))
        .containsExactly(
            "campaigns/summer.yaml: line_check: a line check is either off or a full compliant"
                + " call in profile strict (ping runs only in profile lab), was ping");
  }

  @Test
  void anUnquotedOffLineCheckIsOffThoughYamlReadsItAsFalse() throws CampaignFileException {
    assertThat(CampaignFiles.parse(STRICT.replace("line_check: full", "line_check: off"), FILE))
        .extracting(Campaign::lineCheck)
        .isEqualTo(LineCheck.OFF);
  }

  @Test
  void strictRejectsADropMessageDeadlineOverTwoSeconds() {
    assertThat(problems(STRICT.replace("deadline: 2s", "deadline: 2500ms")))
        .containsExactly(
            "campaigns/summer.yaml: drop_message.deadline: must be ≤ 2s in profile strict, was"
                + " 2500ms");
  }

  @Test
  void strictRequiresADropMessage() {
    assertThat(
            problems(
                STRICT.replace("drop_message:\n  sound: custom/drop-de\n  deadline: 2s\n", "")))
        .containsExactly(
            "campaigns/summer.yaml: drop_message: required in profile strict: an answered callee"
                + " with no agent free must hear who called and a callback number, e.g."
                + " drop_message: {sound: custom/drop-de}");
  }

  @Test
  void aDropSoundIsNamedWithoutItsFileExtension() {
    assertThat(problems(STRICT.replace("custom/drop-de", "custom/drop-de.wav")))
        .containsExactly(
            "campaigns/summer.yaml: drop_message.sound: write the sound name without the file"
                + " extension; Asterisk picks the format, was custom/drop-de.wav");
  }

  @Test
  void labRunsOnlyOnTheSimulatedNetwork() {
    assertThat(problems(LAB.replace("trunk: carrier", "trunk: sipgate")))
        .containsExactly(
            "campaigns/summer.yaml: trunk: profile lab runs only on the simulated network"
                + " (carrier, carrier-noreason), was sipgate");
  }

  @Test
  void theSimulatedTrunksAreGivenToTheValidator() throws CampaignFileException {
    String yaml = LAB.replace("trunk: carrier", "trunk: sim");

    assertThat(CampaignFiles.parse(yaml, FILE, Set.of("sim")).trunk()).isEqualTo("sim");
    assertThat(
            catchThrowableOfType(
                    CampaignFileException.class,
                    () -> CampaignFiles.parse(LAB, FILE, Set.of("sim")))
                .problems())
        .containsExactly(
            "campaigns/summer.yaml: trunk: profile lab runs only on the simulated network (sim),"
                + " was carrier");
  }

  @Test
  void anUnknownKeyIsRejectedWithTheNearestKnownKey() {
    assertThat(problems(STRICT.replace("ring_timeout:", "ring_timout:")))
        .containsExactly(
            "campaigns/summer.yaml: pacing.ring_timout: unknown key; did you mean ring_timeout?");
  }

  @Test
  void anUnknownKeyFarFromAnyKnownKeyListsTheKeys() {
    assertThat(problems(STRICT + "colour: blue\n"))
        .containsExactly(
            "campaigns/summer.yaml: colour: unknown key; the keys here are name, profile, lists,"
                + " trunk, caller_id, default_region, calling_windows, attempt_caps, retry,"
                + " pacing, line_check, drop_message, amd, agent_group, agents, priority, weight, wrap_up, dnc_lists,"
                + " consent_required, pause_codes, on_restart");
  }

  @Test
  void aBareNumberForADurationShowsTheFix() {
    assertThat(problems(STRICT.replace("ring_timeout: 15s", "ring_timeout: 25")))
        .containsExactly(
            "campaigns/summer.yaml: pacing.ring_timeout: a duration needs a unit: write 25s,"
                + " was 25");
  }

  @Test
  void aDurationWithAnUnknownUnitIsRejected() {
    assertThat(problems(STRICT.replace("{after: 10m, max: 3}", "{after: 1.5h, max: 3}")))
        .containsExactly(
            "campaigns/summer.yaml: retry.busy.after: must be a whole number and a unit (ms, s,"
                + " m, h, d) such as 500ms, 25s, 10m, 72h or 2d, was 1.5h");
  }

  @Test
  void aNameThatDoesNotFitAChannelIdIsRejected() {
    assertThat(problems(STRICT.replace("name: summer", "name: Summer_2026")))
        .containsExactly(
            "campaigns/summer.yaml: name: must be 1-32 characters a-z, 0-9 and '-', starting with"
                + " a letter or digit (it becomes part of Asterisk channel ids), was Summer_2026");
    assertThat(problems(STRICT.replace("name: summer", "name: " + "a".repeat(33))))
        .hasSize(1)
        .first()
        .asString()
        .startsWith("campaigns/summer.yaml: name: must be 1-32 characters");
  }

  @Test
  void aYamlSyntaxErrorNamesTheLineAndColumn() {
    assertThat(problems(STRICT.replace("lists: [summer-2026]", "lists: [summer-2026")))
        .containsExactly(
            "campaigns/summer.yaml: line 3, column 6: not valid YAML: expected ',' or ']', but"
                + " got : (while parsing a flow sequence at line 2)");
  }

  @Test
  void aKeyWrittenTwiceIsRejected() {
    assertThat(problems(STRICT + "agent_group: other\n"))
        .singleElement()
        .asString()
        .startsWith("campaigns/summer.yaml: line 26, column ")
        .endsWith(": a key is written twice (Duplicate field 'agent_group'); keep one");
  }

  @Test
  void anEmptyFileIsRejected() {
    assertThat(problems("# nothing yet\n"))
        .containsExactly(
            "campaigns/summer.yaml: file: is empty; start from asterisk-config/campaigns/example-strict.yaml");
  }

  @Test
  void powerPacingNeedsARatioBetweenOneAndThree() {
    String power =
        STRICT.replace(
            "mode: predictive\n  max_abandon_rate: 0.03\n  max_channels: 20",
            "mode: power\n  ratio: 3.5");

    assertThat(problems(power))
        .containsExactly(
            "campaigns/summer.yaml: pacing.ratio: must be between 1.0 and 3.0 calls per ready"
                + " agent, was 3.5");
  }

  @Test
  void previewPacingHasAPreviewTimeOfOneSecondToTenMinutes() throws Exception {
    String preview =
        STRICT.replace(
            "mode: predictive\n  max_abandon_rate: 0.03\n  max_channels: 20", "mode: preview");
    assertThat(CampaignFiles.parse(preview, FILE).pacing())
        .isEqualTo(new Campaign.Pacing.Preview(Duration.ofSeconds(15), Duration.ofSeconds(15)));
    assertThat(
            CampaignFiles.parse(
                    preview.replace("mode: preview", "mode: preview\n  preview_time: 40s"), FILE)
                .pacing())
        .isEqualTo(new Campaign.Pacing.Preview(Duration.ofSeconds(15), Duration.ofSeconds(40)));

    assertThat(problems(preview.replace("mode: preview", "mode: preview\n  preview_time: 11m")))
        .containsExactly(
            "campaigns/summer.yaml: pacing.preview_time: must be between 1s and 10m (how long the"
                + " agent sees the lead before the call is placed by itself), was 11m");
    assertThat(problems(STRICT.replace("max_channels: 20", "max_channels: 20\n  preview_time: 5s")))
        .containsExactly(
            "campaigns/summer.yaml: pacing.preview_time: applies only to mode preview, was"
                + " predictive");
  }

  @Test
  void aPacingKeyOfAnotherModeIsRejected() {
    assertThat(problems(STRICT.replace("mode: predictive", "mode: progressive")))
        .containsExactly(
            "campaigns/summer.yaml: pacing.max_abandon_rate: applies only to mode predictive,"
                + " was progressive",
            "campaigns/summer.yaml: pacing.max_channels: applies only to mode predictive or"
                + " power, was progressive");
  }

  @Test
  void callsAgentsWereOnWhenARunDiedAreAdoptedUnlessTheFileSaysEnd() throws Exception {
    assertThat(CampaignFiles.parse(STRICT, FILE).onRestart()).isEqualTo(Campaign.OnRestart.ADOPT);
    assertThat(CampaignFiles.parse(STRICT + "on_restart: end\n", FILE).onRestart())
        .isEqualTo(Campaign.OnRestart.END);
    assertThat(problems(STRICT + "on_restart: hangup\n"))
        .containsExactly(
            "campaigns/summer.yaml: on_restart: must be adopt (the new run follows an agent's call"
                + " to its end) or end (the call ends: strict plays the drop message), was hangup");
  }

  @Test
  void powerPacingMayHaveAChannelLimit() throws Exception {
    String power =
        STRICT.replace(
            "mode: predictive\n  max_abandon_rate: 0.03\n  max_channels: 20",
            "mode: power\n  ratio: 2.5\n  max_channels: 12");
    Campaign.Pacing pacing = CampaignFiles.parse(power, FILE).pacing();
    assertThat(pacing)
        .isEqualTo(new Campaign.Pacing.Power(2.5, Duration.ofSeconds(15), OptionalInt.of(12)));
    assertThat(pacing.channelLimit()).hasValue(12);
    assertThat(CampaignFiles.parse(power.replace("\n  max_channels: 12", ""), FILE).pacing())
        .extracting(Campaign.Pacing::channelLimit)
        .isEqualTo(OptionalInt.empty());
    assertThat(problems(power.replace("max_channels: 12", "max_channels: 0")))
        .containsExactly(
            "campaigns/summer.yaml: pacing.max_channels: must be a whole number of at least 1,"
                + " was 0");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String broken =
        STRICT
            .replace("name: summer", "name: Summer")
            .replace("max_abandon_rate: 0.03", "max_abandon_rate: 0.05")
            .replace("ring_timeout: 15s", "ring_timeout: 10s")
            .replace("line_check: full", "line_check: ping");

    CampaignFileException e =
        catchThrowableOfType(CampaignFileException.class, () -> CampaignFiles.parse(broken, FILE));

    assertThat(e.problems())
        .containsExactly(
            "campaigns/summer.yaml: name: must be 1-32 characters a-z, 0-9 and '-', starting with"
                + " a letter or digit (it becomes part of Asterisk channel ids), was Summer",
            "campaigns/summer.yaml: pacing.ring_timeout: must be ≥ 15s in profile strict"
                + " (unanswered calls ring at least 15 s), was 10s",
            "campaigns/summer.yaml: pacing.max_abandon_rate: must be ≤ 0.03 in profile strict,"
                + " was 0.05",
            "campaigns/summer.yaml: line_check: a line check is either off or a full compliant"
                + " call in profile strict (ping runs only in profile lab), was ping");
    assertThat(e).hasMessage(String.join("\n", e.problems()));
  }

  @Test
  void amdIsOffUnlessEnabledAndAMachineHearsTheMessageInStrictAndIsHungUpOnInTheLab()
      throws CampaignFileException {
    assertThat(CampaignFiles.parse(STRICT, FILE).dialPolicy().machineDetection()).isEmpty();
    assertThat(
            CampaignFiles.parse(STRICT + "amd: {enabled: false}\n", FILE)
                .dialPolicy()
                .machineDetection())
        .isEmpty();
    assertThat(
            CampaignFiles.parse(STRICT + "amd: {enabled: true, false_positives: 0.15}\n", FILE)
                .dialPolicy()
                .machineDetection())
        .contains(new DialPolicy.MachineDetection(DialPolicy.OnMachine.DROP_MESSAGE, 0.15));
    assertThat(
            CampaignFiles.parse(LAB + "amd: {enabled: true}\n", FILE)
                .dialPolicy()
                .machineDetection())
        .contains(new DialPolicy.MachineDetection(DialPolicy.OnMachine.HANG_UP));
  }

  @Test
  void amdSettingsAreCheckedWithTheirPlaceAndTheFix() {
    assertThat(problems(STRICT + "amd: {enabled: true, on_machine: hang_up}\n"))
        .containsExactly(
            FILE
                + ": amd.on_machine: must be drop_message in profile strict: a person AMD takes for"
                + " a machine must hear who called and a callback number, not silence (hang_up is"
                + " lab only), was hang_up");
    assertThat(problems(LAB + "amd: {enabled: true, on_machine: drop_message}\n"))
        .containsExactly(
            FILE
                + ": amd.on_machine: drop_message needs the campaign's drop_message (e.g."
                + " drop_message: {sound: custom/drop-de}), or use on_machine: hang_up, was"
                + " drop_message");
    assertThat(problems(LAB + "amd: {enabled: true, on_machine: beep}\n"))
        .containsExactly(
            FILE + ": amd.on_machine: must be drop_message or hang_up (lab only), was beep");
    assertThat(problems(LAB + "amd: {enabled: yes please}\n"))
        .containsExactly(FILE + ": amd.enabled: must be true or false, was yes please");
    assertThat(problems(LAB + "amd: {on_machine: hang_up}\n"))
        .containsExactly(
            FILE
                + ": amd.enabled: required: true to listen for answering machines before"
                + " connecting an agent");
    assertThat(problems(STRICT + "amd: {enabled: true}\n"))
        .containsExactly(
            FILE
                + ": amd.false_positives: required: in profile strict, the share of calls AMD"
                + " classes as machines that were people (e.g. 0.15), counted as abandoned in the"
                + " abandon rate");
    assertThat(problems(LAB + "amd: {enabled: true, false_positives: 2}\n"))
        .containsExactly(
            FILE + ": amd.false_positives: must be a share from 0 to 1, e.g. 0.15, was 2");
    assertThat(problems(LAB + "amd: {enabeld: true}\n"))
        .contains(FILE + ": amd.enabeld: unknown key; did you mean enabled?");
  }

  static List<String> problems(String yaml) {
    return problemsOf(() -> CampaignFiles.parse(yaml, FILE));
  }

  static List<String> problemsOf(ThrowableAssert.ThrowingCallable read) {
    CampaignFileException e = catchThrowableOfType(CampaignFileException.class, read);
    assertThat(e).as("expected a CampaignFileException").isNotNull();
    return e.problems();
  }
}
