package org.pingdialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.Attempt;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.Evidence;
import org.pingdialer.call.InMemoryAttemptStore;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lead.InMemoryLeadStore;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabStack;

/**
 * Issue 17, strict: a customer answered by a controller that died hears the campaign's drop message
 * from the PBX ({@code [dead-run]} in extensions.conf), never silence, when the next run starts;
 * then the call ends by itself.
 */
@LabStack
class DeadRunCleanupIT {
  @Test
  void aDeadRunsAnsweredCustomerHearsTheDropMessageThenTheCallEnds(AsteriskStack stack)
      throws Exception {
    Campaign strict =
        CampaignFiles.parse(
            """
            name: it-deadrun
            lists: [l]
            trunk: carrier
            default_region: DE
            caller_id: "+49 30 12345678"
            calling_windows:
              mon-fri: [09:00-12:00, 13:00-20:00]
            attempt_caps:
              per_24h: 3
              lifetime: 10
            retry:
              abandoned: {after: 72h, max: 1}
            pacing:
              mode: progressive
              ring_timeout: 15s
            line_check: off
            drop_message:
              sound: vm-nobodyavail
              deadline: 2s
            agent_group: a
            """,
            "strict.yaml",
            CampaignFiles.SIMULATED_TRUNKS);
    var attempts = new InMemoryAttemptStore();
    try (var ari = AriSession.open(stack)) {
      // The dead run's call: placed, answered (a person who rings 2 s and stays 30 s), left alone.
      Attempt attempt =
          attempts.place(strict.name(), "4930999111060", Attempt.Kind.CALL, Instant.now());
      String id = attempt.key().channelId();
      ari.client()
          .createChannel(
              AriClient.ChannelSpec.of(
                  AsteriskStack.dialString(attempt.number(), AsteriskStack.TRUNK), id));
      ari.recorder().awaitEvent(AriEvent.StasisStart.class, id, AriSession.WAIT);
      ari.client().dial(id, Duration.ofSeconds(20));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> ari.client().channel(id).map(c -> c.state() == ChannelState.UP).orElse(false));

      var report =
          DeadRunCleanup.clear(
              ari.client(), strict, attempts, new InMemoryLeadStore(), Instant.now());

      assertThat(report.dropMessages()).isEqualTo(1);
      assertThat(report.channels()).isZero();
      // Out of Stasis, playing the message in [dead-run]...
      AriChannel playing =
          await()
              .atMost(Duration.ofSeconds(5))
              .until(
                  () -> ari.client().channel(id).orElseThrow(),
                  c ->
                      c.dialplan() != null
                          && "dead-run".equals(c.dialplan().context())
                          && "Playback".equals(c.dialplan().appName()));
      assertThat(playing.dialplan().appData()).isEqualTo("vm-nobodyavail");
      // ...then hung up by the PBX, long before the callee would have left (after 30 s). Out of
      // Stasis, its end is no event of ours: Asterisk is asked.
      await().atMost(Duration.ofSeconds(15)).until(() -> ari.client().channel(id).isEmpty());
      var stored = attempts.find(attempt.key()).orElseThrow().result().orElseThrow();
      assertThat(stored.outcome()).isEqualTo(DialOutcome.LOST);
      assertThat(stored.evidence())
          .extracting(Evidence::detail)
          .isEqualTo(List.of("answered: sent to the drop message"));
    }
  }
}
