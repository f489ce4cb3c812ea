package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentState;
import org.pingdialer.lab.agents.DispositionMix;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.TalkTime;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadEvent;
import org.pingdialer.lead.LeadState;
import org.pingdialer.store.Database;
import org.pingdialer.testing.LabCampaigns;
import org.pingdialer.testing.LabRuns;
import org.pingdialer.testing.LabStack;

/**
 * A preview campaign with one lab agent on a real phone: the agent is reserved and sees a lead
 * before any call is placed; a skipped lead comes back an hour later; the agent's "dial" places the
 * call and the callee is connected to that agent; a lead the agent does nothing about is dialed by
 * itself when the preview time is up, not before.
 */
@LabStack
class PreviewCampaignIT {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void theAgentSeesTheLeadFirstThenSkipsDialsOrLetsTheTimerDial(AsteriskStack stack)
      throws Exception {
    var campaign =
        LabCampaigns.parse(
            """
            lists: [bought]
            pacing:
              mode: preview
              preview_time: 6s
              ring_timeout: 10s
            line_check: off
            wrap_up: 2s
            """);
    Clock clock = Clock.systemUTC();
    try (Database database = LabRuns.database("h2-preview-")) {
      var run =
          CampaignRun.start(
              campaign,
              new CampaignRun.Settings(
                  stack.ari(), Optional.of(stack.ami()), database, "it-preview", BERLIN, 2),
              clock,
              Duration.ofSeconds(10));
      try (run) {
        // People who answer after 2 s of ringing and stay 10 s.
        LabCampaigns.importNumbers(
            run.leads(),
            "bought",
            "+493099911102" + "0",
            "+493099911102" + "1",
            "+493099911102" + "2");
        try (var agents =
            LabRuns.agents(
                stack,
                run,
                1,
                LabAgent.Behaviour.defaults()
                    .withTalk(TalkTime.fixed(Duration.ofSeconds(3)))
                    .withMix(DispositionMix.of(100, 0, 0)),
                7)) {
          String agent = agents.agents().getFirst().id();

          // 1. Reserved, the first lead on screen, no call placed.
          Lead beforePause = awaitPreview(run, agent, Optional.empty());
          assertThat(run.desk().states().get(5, TimeUnit.SECONDS).get(agent).status())
              .isEqualTo(AgentState.Status.RESERVED);
          assertThat(run.loop().stats().get(5, TimeUnit.SECONDS).placed()).isZero();

          // 1b. Paused while previewing: the lead leaves the screen undialed; resumed, the agent
          // is shown a lead again (the pause once left it reserved for the lead it gave back, and
          // it never got another).
          assertThat(
                  run.desk()
                      .pause(agent, AgentState.PauseReason.byAgent("break"))
                      .get(5, TimeUnit.SECONDS)
                      .status())
              .isEqualTo(AgentState.Status.PAUSED);
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> run.desk().preview(agent).get(5, TimeUnit.SECONDS).isEmpty());
          assertThat(run.leads().find(beforePause.id()).orElseThrow().attempts()).isZero();
          assertThat(run.desk().resume(agent).get(5, TimeUnit.SECONDS).status())
              .isEqualTo(AgentState.Status.READY);
          Lead first = awaitPreview(run, agent, Optional.empty());
          assertThat(run.loop().stats().get(5, TimeUnit.SECONDS).readyAgents()).isZero();
          assertThat(run.loop().stats().get(5, TimeUnit.SECONDS).placed()).isZero();

          // 2. Skipped: it waits an hour, the agent sees the next lead; still no call.
          Instant skippedAt = Instant.now();
          assertThat(run.desk().skipPreview(agent).get(5, TimeUnit.SECONDS)).isTrue();
          Lead second = awaitPreview(run, agent, Optional.of(first.id()));
          Lead skipped = run.leads().find(first.id()).orElseThrow();
          assertThat(skipped.state()).isEqualTo(LeadState.WAITING);
          assertThat(skipped.waitReason()).contains(LeadEvent.WaitReason.RELEASED);
          assertThat(skipped.dueAt().orElseThrow())
              .isAfter(skippedAt.plus(CampaignLoop.SKIPPED_COMES_BACK).minusSeconds(5));
          assertThat(run.loop().stats().get(5, TimeUnit.SECONDS).placed()).isZero();

          // 3. Dialed by the agent: one call, placed with the agent reserved, connected to it.
          assertThat(run.desk().dialPreview(agent).get(5, TimeUnit.SECONDS)).isTrue();
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      run.desk().states().get(5, TimeUnit.SECONDS).get(agent).status()
                          == AgentState.Status.ON_CALL);
          CampaignLoop.Stats afterDial = run.loop().stats().get(5, TimeUnit.SECONDS);
          assertThat(afterDial.placed()).isEqualTo(1);
          assertThat(afterDial.placedWithAgent()).isEqualTo(1);
          assertThat(run.leads().find(second.id()).orElseThrow().attempts()).isEqualTo(1);

          // 4. The lab agent talks, files and is ready: the third lead is shown and dialed by
          // itself once the preview time is up, not before.
          Lead third = awaitPreview(run, agent, Optional.of(second.id()));
          Instant shown = Instant.now();
          assertThat(third.id()).isNotIn(first.id(), second.id());
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> run.loop().stats().get(5, TimeUnit.SECONDS).placed() == 2);
          Duration waited = Duration.between(shown, Instant.now());
          System.out.printf(
              "preview: the third lead was dialed %d ms after it was shown%n", waited.toMillis());
          assertThat(waited).isGreaterThan(Duration.ofSeconds(4));
          assertThat(run.leads().find(third.id()).orElseThrow().attempts()).isEqualTo(1);
          assertThat(run.leads().find(first.id()).orElseThrow().attempts()).isZero();
        }
      }
    }
  }

  /** Waits until the agent sees a lead other than {@code not}, and returns it. */
  private static Lead awaitPreview(CampaignRun run, String agent, Optional<Long> not) {
    return await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> run.desk().preview(agent).get(5, TimeUnit.SECONDS),
            lead -> lead.isPresent() && !not.equals(Optional.of(lead.get().id())))
        .orElseThrow();
  }
}
