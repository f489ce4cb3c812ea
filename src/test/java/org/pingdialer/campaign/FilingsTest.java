package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadState;
import org.pingdialer.testing.TestLeads;

/** What becomes of a call's lead: filed, waiting for the agent, or the outcome's rule. */
class FilingsTest {
  private static final AttemptKey CALL = new AttemptKey("f", 1);
  private static final Lead LEAD = lead(11);

  private final Filings filings = new Filings();

  @Test
  void aCallNobodyTookGoesToItsOutcomeRule() {
    filings.placed(CALL, LEAD);
    assertThat(filings.ended(CALL, DialOutcome.NO_ANSWER))
        .isEqualTo(Filings.AfterEnd.APPLY_OUTCOME);
    assertThat(filings.ended(CALL, DialOutcome.NO_ANSWER))
        .isEqualTo(Filings.AfterEnd.FILED_ALREADY);
  }

  @Test
  void aConnectedCallWaitsForItsFilingAndALateFilingStillCounts() {
    filings.placed(CALL, LEAD);
    filings.connected("agent1", CALL);
    assertThat(filings.ended(CALL, DialOutcome.ANSWERED)).isEqualTo(Filings.AfterEnd.AWAITS_FILING);
    assertThat(filings.awaitingFiling()).isOne();
    assertThat(filings.agentOf(CALL)).contains("agent1");
    assertThat(filings.owedBy("agent1")).contains(new Filings.Owed(CALL, LEAD));

    filings.filed(CALL);
    assertThat(filings.awaitingFiling()).isZero();
    assertThat(filings.unfiled("agent1")).isEmpty(); // nothing owed: no redial
  }

  @Test
  void aCallFiledWhileUpMovedItsLeadOnAlready() {
    filings.placed(CALL, LEAD);
    filings.connected("agent1", CALL);
    filings.filed(CALL);
    assertThat(filings.ended(CALL, DialOutcome.ANSWERED)).isEqualTo(Filings.AfterEnd.FILED_ALREADY);
  }

  @Test
  void anUnfiledCallIsOwedNoMoreOnceItsAgentIsDoneAndItsLeadGoesBack() {
    filings.placed(CALL, LEAD);
    filings.connected("agent1", CALL);
    filings.ended(CALL, DialOutcome.ANSWERED);
    assertThat(filings.unfiled("agent1")).contains(LEAD);
    assertThat(filings.unfiled("agent1")).isEmpty();
    assertThat(filings.awaitingFiling()).isZero();
  }

  @Test
  void aCallThePbxCutWhileWithTheAgentIsNotWaitedFor() {
    filings.placed(CALL, LEAD);
    filings.connected("agent1", CALL);
    assertThat(filings.ended(CALL, DialOutcome.LOST)).isEqualTo(Filings.AfterEnd.APPLY_OUTCOME);
    assertThat(filings.unfiled("agent1")).isEmpty();
  }

  @Test
  void aCallOfSomeoneElsesIsNotOwed() {
    filings.connected("agent1", new AttemptKey("f", 9)); // a strict line check, not the loop's
    assertThat(filings.owedBy("agent1")).isEmpty();
    filings.adopted(CALL, LEAD, "agent2");
    assertThat(filings.owedBy("agent2")).contains(new Filings.Owed(CALL, LEAD));
  }

  private static Lead lead(long id) {
    return TestLeads.lead(id, LeadState.DIALING, Instant.parse("2026-12-07T10:00:00Z"), 1, "f");
  }
}
