package org.pingdialer.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.CallState;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Timeline;

class DashboardRowsTest {
  private static final Instant T = Instant.parse("2026-11-29T00:00:00Z");
  private static final Attempt ATTEMPT =
      new Attempt(new AttemptKey("demo", 7), "4930999103001", Attempt.Kind.CALL);

  private static Instant at(long millis) {
    return T.plusMillis(millis);
  }

  @Test
  void aBridgedCallNamesItsAgentHidesTheNumberAndListsItsStepsInOrder() {
    var timeline = new Timeline(at(0), at(40), at(120), null, at(3100), at(3150), null, null);
    var row =
        Dashboard.CallRow.of(
            new CallState.Bridged(
                ATTEMPT, timeline, new AgentSeat("agent1", "phone-1", "pd-agent-agent1")));

    assertThat(row.id()).isEqualTo("pd-demo-000000000007");
    assertThat(row.number()).isEqualTo("…3001");
    assertThat(row.state()).isEqualTo("bridged");
    assertThat(row.agent()).isEqualTo("agent1");
    assertThat(row.outcome()).isNull();
    assertThat(row.steps())
        .extracting(Dashboard.Step::name)
        .containsExactly("created", "in stasis", "ringing", "answered", "bridged");
    assertThat(row.steps().getLast().at()).isEqualTo(at(3150).toEpochMilli());
  }

  @Test
  void anAbandonedCallShowsItsDropMessageAndOutcomeAndNoAgent() {
    var timeline = new Timeline(at(0), at(30), at(100), null, at(2000), null, at(2300), at(9000));
    var row =
        Dashboard.CallRow.of(
            new CallState.Ended(ATTEMPT, timeline, DialOutcome.ABANDONED, 16, null));

    assertThat(row.outcome()).isEqualTo("abandoned");
    assertThat(row.agent()).isNull();
    assertThat(row.steps())
        .extracting(Dashboard.Step::name)
        .containsSubsequence("answered", "drop message", "ended");
  }

  @Test
  void shortNumbersAreShownAsTheyAre() {
    assertThat(Dashboard.CallRow.masked("112")).isEqualTo("112");
    assertThat(Dashboard.CallRow.masked("4930999103001")).isEqualTo("…3001");
  }
}
