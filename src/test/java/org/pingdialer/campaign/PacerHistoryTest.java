package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.pacing.Pacer;
import org.pingdialer.pacing.PredictivePacer;

/** What a predictive pacer learns from the attempts table when the dialing loop starts. */
class PacerHistoryTest {
  private static final Instant T = Instant.parse("2026-11-29T09:00:00Z");

  /** A pacer that only writes down what it is told. */
  private static final class Told implements Pacer {
    final List<String> lines = new ArrayList<>();

    @Override
    public int callsToPlace(State state) {
      return 0;
    }

    @Override
    public void answered(Duration ring, Instant at) {
      lines.add("answered " + ring.toMillis() + " ms at " + at.getEpochSecond() % 10_000);
    }

    @Override
    public void unanswered(Instant at) {
      lines.add("unanswered at " + at.getEpochSecond() % 10_000);
    }

    @Override
    public void abandoned(Instant at) {
      lines.add("abandoned");
    }

    @Override
    public void talked(Duration talk, Instant at) {
      lines.add("talked " + talk.toSeconds() + " s at " + at.getEpochSecond() % 10_000);
    }
  }

  private static AttemptStore.Ended call(int second, DialOutcome outcome, Long ringMillis) {
    return new AttemptStore.Ended(
        T.plusSeconds(second),
        outcome,
        Attempt.Kind.CALL,
        ringMillis != null,
        Optional.ofNullable(ringMillis).map(Duration::ofMillis),
        Optional.empty());
  }

  private static AttemptStore.Ended bridged(int second, long ringMillis, int talkSeconds) {
    return new AttemptStore.Ended(
        T.plusSeconds(second),
        DialOutcome.ANSWERED,
        Attempt.Kind.CALL,
        true,
        Optional.of(Duration.ofMillis(ringMillis)),
        Optional.of(Duration.ofSeconds(talkSeconds)));
  }

  @Test
  void callsAnAgentTookTeachTheTalkTime() {
    var told = new Told();
    CampaignLoop.learnFromHistory(
        told, List.of(bridged(1, 3_000, 95), call(2, DialOutcome.NO_ANSWER, null)));
    assertThat(told.lines)
        .containsExactly(
            "answered 3000 ms at " + (T.getEpochSecond() + 1) % 10_000,
            "talked 95 s at " + (T.getEpochSecond() + 1) % 10_000,
            "unanswered at " + (T.getEpochSecond() + 2) % 10_000);
  }

  /** The real pacer: history with long calls makes it expect its busy agents back later. */
  @Test
  void aPredictivePacerTaughtLongTalksPlacesFewerCallsForBusyAgents() {
    List<AttemptStore.Ended> shortCalls = new ArrayList<>();
    List<AttemptStore.Ended> longCalls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      shortCalls.add(bridged(i, 4_000, 20));
      longCalls.add(bridged(i, 4_000, 600));
    }
    var taughtShort = predictive();
    var taughtLong = predictive();
    CampaignLoop.learnFromHistory(taughtShort, shortCalls);
    CampaignLoop.learnFromHistory(taughtLong, longCalls);
    // Ten agents, all on calls for 18 s: short talkers are about to be back (their calls took 20 s
    // and rang 4 s), long ones are not.
    List<Pacer.Busy> busy = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      busy.add(Pacer.Busy.talking(Duration.ofSeconds(18)));
    }
    var state = new Pacer.State(T, 0, busy, 0, 1000, 3);
    int forShort = taughtShort.callsToPlace(state);
    int forLong = taughtLong.callsToPlace(state);
    assertThat(forShort)
        .as("short talks, long talks: %d, %d", forShort, forLong)
        .isGreaterThan(forLong);
  }

  private static PredictivePacer predictive() {
    // No wrap-up: a busy agent is back as its call ends.
    return new PredictivePacer(0.02, 0.2, Duration.ofMinutes(2), Duration.ZERO);
  }

  @Test
  void callsTeachTheLiveRateAndRingTimesLineChecksAndAbandonsDoNot() {
    var told = new Told();
    CampaignLoop.learnFromHistory(
        told,
        List.of(
            call(1, DialOutcome.ANSWERED, 4_200L),
            new AttemptStore.Ended(
                T.plusSeconds(2),
                DialOutcome.ANSWERED,
                Attempt.Kind.LINE_CHECK,
                true,
                Optional.of(Duration.ofSeconds(3)),
                Optional.empty()),
            call(3, DialOutcome.ABANDONED, 7_000L),
            call(4, DialOutcome.MACHINE, 2_000L),
            call(5, DialOutcome.BUSY, null),
            call(6, DialOutcome.ANSWERED, null)));

    assertThat(told.lines)
        .containsExactly(
            "answered 4200 ms at " + (T.getEpochSecond() + 1) % 10_000,
            "answered 7000 ms at " + (T.getEpochSecond() + 3) % 10_000,
            "unanswered at " + (T.getEpochSecond() + 4) % 10_000,
            "unanswered at " + (T.getEpochSecond() + 5) % 10_000,
            "answered 0 ms at " + (T.getEpochSecond() + 6) % 10_000);
  }

  @Test
  void onlyTheLastCallsAreTold() {
    List<AttemptStore.Ended> month = new ArrayList<>();
    for (int i = 0; i < CampaignLoop.PACER_HISTORY + 100; i++) {
      // The first 100 were all answered, the last PACER_HISTORY none.
      month.add(call(i, i < 100 ? DialOutcome.ANSWERED : DialOutcome.NO_ANSWER, 5_000L));
    }
    var told = new Told();
    CampaignLoop.learnFromHistory(told, month);
    assertThat(told.lines).hasSize(CampaignLoop.PACER_HISTORY).allMatch(l -> l.startsWith("un"));
    assertThat(told.lines.getFirst())
        .isEqualTo("unanswered at " + (T.getEpochSecond() + 100) % 10_000);
  }
}
