package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.ari.AriChannel;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriEvent;
import org.pingdialer.call.ari.ChannelState;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.testing.ManualScheduler;
import org.pingdialer.testing.RecordingDialer;

/**
 * The desk's timers on a scheduler whose time the test moves: a 10 s wrap-up ends at 10 s exactly,
 * not a millisecond earlier, and the agent's talk and wrap-up times are exact. No real waits.
 */
class AgentDeskTimersTest {
  private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");
  private static final Duration WRAP_UP = Duration.ofSeconds(10);

  private final ManualScheduler time = new ManualScheduler(T);
  private final FakeAriClient ari = new FakeAriClient();
  private final RecordingDialer dialer = new RecordingDialer();
  private final AgentDesk desk =
      new AgentDesk(ari, dialer, time.clock(), ZoneId.of("Europe/Berlin"), WRAP_UP, time, time);

  {
    dialer.watch(desk);
  }

  private final AttemptKey call = new AttemptKey("c1", 1);

  /** The agent's seat; the pool is touched on the test's thread, the scheduler's. */
  private AgentSeat seat() {
    return dialer.seats().getFirst();
  }

  private long readyLines() {
    return dialer.told().stream().filter("agent1 READY"::equals).count();
  }

  private void loginAndTalk(Duration talk) {
    ari.createChannel(AriClient.ChannelSpec.of("PJSIP/agent1", "phone-1"));
    desk.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of(AgentDesk.LOGIN, "agent1"), phone(), null));
    time.runPending();
    assertThat(dialer.seats()).hasSize(1);
    desk.pool().reserve(seat(), call);
    desk.pool().connected(seat(), call);
    time.advance(talk);
    desk.pool().released(seat(), call);
    time.runPending();
  }

  private static AriChannel phone() {
    return new AriChannel("phone-1", "PJSIP/agent1-1", ChannelState.UP, null, null, null, T, null);
  }

  private <V> V now(CompletableFuture<V> asked) {
    time.runPending();
    return asked.getNow(null);
  }

  private AgentState.Status status() {
    return now(desk.states()).get("agent1").status();
  }

  @Test
  void aWrapUpEndsWhenItsTimeIsUpNotBeforeAndTheTimesAreExact() {
    loginAndTalk(Duration.ofSeconds(90));
    assertThat(status()).isEqualTo(AgentState.Status.WRAP_UP);

    time.advance(WRAP_UP.minusMillis(1));
    assertThat(status()).isEqualTo(AgentState.Status.WRAP_UP);
    assertThat(dialer.told()).doesNotContain("work done agent1");

    time.advance(Duration.ofMillis(1));
    assertThat(status()).isEqualTo(AgentState.Status.READY);
    assertThat(dialer.told()).endsWith("agent1 READY", "work done agent1");
    AgentStats.Snapshot stats = now(desk.stats("agent1")).orElseThrow();
    assertThat(stats.talk()).isEqualTo(Duration.ofSeconds(90));
    assertThat(stats.wrap()).isEqualTo(WRAP_UP);
    assertThat(stats.calls()).isEqualTo(1);
    assertThat(time.timersWaiting()).isZero();
  }

  @Test
  void readyOnThePhoneEndsTheWrapUpAtOnceAndItsTimerNeverFires() {
    loginAndTalk(Duration.ofSeconds(30));
    time.advance(Duration.ofSeconds(4));

    desk.onEvent(new AriEvent.ChannelDtmfReceived(T, "pingdialer", phone(), "*", 80));
    desk.onEvent(new AriEvent.ChannelDtmfReceived(T, "pingdialer", phone(), "*", 80));
    time.runPending();

    assertThat(status()).isEqualTo(AgentState.Status.READY);
    assertThat(now(desk.stats("agent1")).orElseThrow().wrap()).isEqualTo(Duration.ofSeconds(4));
    time.advance(WRAP_UP);
    assertThat(dialer.told().stream().filter("work done agent1"::equals)).hasSize(1);
  }

  @Test
  void aPauseAskedForDuringTheCallStartsWhenTheWrapUpEnds() {
    ari.createChannel(AriClient.ChannelSpec.of("PJSIP/agent1", "phone-1"));
    desk.onEvent(
        new AriEvent.StasisStart(
            T, "pingdialer", List.of(AgentDesk.LOGIN, "agent1"), phone(), null));
    time.runPending();
    desk.pool().reserve(seat(), call);
    desk.pool().connected(seat(), call);
    var paused = desk.pause("agent1", AgentState.PauseReason.byAgent("lunch"));
    assertThat(now(paused).status()).isEqualTo(AgentState.Status.ON_CALL);
    time.advance(Duration.ofSeconds(20));
    desk.pool().released(seat(), call);
    time.runPending();

    time.advance(WRAP_UP.minusSeconds(1));
    assertThat(status()).isEqualTo(AgentState.Status.WRAP_UP);
    time.advance(Duration.ofSeconds(1));
    assertThat(status()).isEqualTo(AgentState.Status.PAUSED);
    assertThat(dialer.told()).endsWith("agent1 PAUSED", "work done agent1");
    assertThat(readyLines()).isOne(); // the login's only
  }
}
