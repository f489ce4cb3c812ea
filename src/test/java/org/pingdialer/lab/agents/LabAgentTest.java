package org.pingdialer.lab.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.Disposition;

/** A lab agent's behaviour on calls, against a fake phone and a fake desk. */
class LabAgentTest {
  private static final AgentAccount ACCOUNT = new AgentAccount("agent1", "secret", "123456");
  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  /** 2026-03-02 10:00 in Berlin. */
  private static final InstantSource CLOCK =
      InstantSource.fixed(Instant.parse("2026-03-02T09:00:00Z"));

  private static final Duration TALK = Duration.ofMillis(100);

  private static final LabAgent.Behaviour SALES =
      LabAgent.Behaviour.defaults()
          .withTalk(TalkTime.fixed(TALK))
          .withMix(DispositionMix.of(0, 0, 1));

  /** What was done, in order, by phone and desk alike. */
  private final BlockingQueue<String> actions = new LinkedBlockingQueue<>();

  private final FakePhone phone = new FakePhone();
  private LabAgent agent;

  private final class FakePhone implements LabPhone {
    final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> dial(String uri) {
      actions.add("dial " + uri);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> sendDigits(String digits) {
      actions.add("keys " + digits);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> hangup() {
      actions.add("hangup");
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> answer() {
      actions.add("answer");
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void listen(Listener listener) {
      listeners.add(listener);
    }

    @Override
    public void close() {
      actions.add("phone closed");
    }
  }

  private final LabAgent.Desk desk =
      new LabAgent.Desk() {
        @Override
        public CompletableFuture<Boolean> endCall(String agentId) {
          actions.add("desk endCall " + agentId);
          return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> file(String agentId, Disposition disposition) {
          actions.add("desk file " + agentId + " " + disposition);
          return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> ready(String agentId) {
          actions.add("desk ready " + agentId);
          return CompletableFuture.completedFuture(true);
        }
      };

  private LabAgent agent(LabAgent.Behaviour behaviour) {
    agent =
        new LabAgent(
            ACCOUNT,
            phone,
            "sip:9000@127.0.0.1:5060",
            desk,
            behaviour,
            new SplittableRandom(1),
            CLOCK,
            ZONE);
    return agent;
  }

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
  }

  private String nextAction() throws InterruptedException {
    String action = actions.poll(2, TimeUnit.SECONDS);
    assertThat(action).as("an action within 2 s").isNotNull();
    return action;
  }

  private void assertNoMoreActions(Duration within) throws InterruptedException {
    assertThat(actions.poll(within.toMillis(), TimeUnit.MILLISECONDS)).isNull();
  }

  private static AgentState state(AgentState.Status status) {
    return new AgentState(status, Optional.empty(), Optional.empty());
  }

  private void desk(AgentState.Status before, AgentState.Status after) {
    agent.changed(ACCOUNT.id(), state(before), state(after));
  }

  @Test
  void loginDialsTheLoginExtensionAndTypesThePinAfterThePrompt() throws Exception {
    var agent = agent(SALES);
    CompletableFuture<Void> login = agent.login();
    assertThat(nextAction()).isEqualTo("dial sip:9000@127.0.0.1:5060");
    assertNoMoreActions(Duration.ofMillis(200));
    long answered = System.nanoTime();
    phone.listeners.forEach(LabPhone.Listener::established);
    assertThat(nextAction()).isEqualTo("keys 123456");
    assertThat(Duration.ofNanos(System.nanoTime() - answered))
        .isGreaterThanOrEqualTo(SALES.promptWait());
    login.get(1, TimeUnit.SECONDS);
  }

  @Test
  void aLoginCallThatEndsBeforeThePinFailsTheLogin() throws Exception {
    var agent = agent(SALES);
    CompletableFuture<Void> login = agent.login();
    assertThat(nextAction()).startsWith("dial ");
    phone.listeners.forEach(l -> l.closed("403 Forbidden"));
    assertThatThrownBy(() -> login.get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("403 Forbidden");
  }

  /**
   * After the PBX cut its call, a logged-out agent answers its ringing phone (the desk's call back)
   * and does not log in again by itself; a phone ringing during a call is left to ring.
   */
  @Test
  void aLoggedOutAgentAnswersTheDesksCallBackInsteadOfLoggingInAgain() throws Exception {
    var agent = agent(SALES.withRelogin(Duration.ofMillis(300)));
    CompletableFuture<Void> login = agent.login();
    assertThat(nextAction()).startsWith("dial ");
    phone.listeners.forEach(LabPhone.Listener::established);
    assertThat(nextAction()).startsWith("keys ");
    login.get(1, TimeUnit.SECONDS);
    phone.listeners.forEach(LabPhone.Listener::ringing); // in a call: not answered
    assertNoMoreActions(Duration.ofMillis(100));

    phone.listeners.forEach(l -> l.closed("the PBX restarts"));
    phone.listeners.forEach(LabPhone.Listener::ringing);
    assertThat(nextAction()).isEqualTo("answer");
    phone.listeners.forEach(LabPhone.Listener::established);
    // The login again (due 300 ms after the cut) is not tried: the call back seats the agent.
    assertNoMoreActions(Duration.ofMillis(600));
  }

  @Test
  void onACallTheAgentTalksThenEndsTheCallAndFilesByKeys() throws Exception {
    agent(SALES);
    desk(AgentState.Status.RESERVED, AgentState.Status.ON_CALL);
    long connected = System.nanoTime();
    assertThat(nextAction()).isEqualTo("keys *0");
    assertThat(Duration.ofNanos(System.nanoTime() - connected)).isGreaterThanOrEqualTo(TALK);
    desk(AgentState.Status.ON_CALL, AgentState.Status.WRAP_UP);
    assertThat(nextAction()).isEqualTo("keys *3**");
    desk(AgentState.Status.WRAP_UP, AgentState.Status.READY);
    assertNoMoreActions(TALK.multipliedBy(2));
  }

  @Test
  void viaTheDeskTheAgentEndsFilesAndReadiesThroughTheApi() throws Exception {
    agent(SALES.withVia(LabAgent.Via.DESK));
    desk(AgentState.Status.RESERVED, AgentState.Status.ON_CALL);
    assertThat(nextAction()).isEqualTo("desk endCall agent1");
    desk(AgentState.Status.ON_CALL, AgentState.Status.WRAP_UP);
    assertThat(nextAction()).isEqualTo("desk file agent1 " + new Disposition.Sale());
    assertThat(nextAction()).isEqualTo("desk ready agent1");
    assertNoMoreActions(TALK.multipliedBy(2));
  }

  @Test
  void whenTheCustomerHangsUpFirstTheAgentFilesAtOnceAndNeverEndsTheCall() throws Exception {
    agent(SALES.withWrapUpEnd(LabAgent.WrapUpEnd.EXPIRE));
    desk(AgentState.Status.RESERVED, AgentState.Status.ON_CALL);
    desk(AgentState.Status.ON_CALL, AgentState.Status.WRAP_UP);
    assertThat(nextAction()).isEqualTo("keys *3");
    assertNoMoreActions(TALK.multipliedBy(3));
  }

  @Test
  void aCallbackIsKeyedForTheAgentsLocalTimeAhead() throws Exception {
    agent(SALES.withMix(DispositionMix.of(0, 1, 0)).withWrapUpEnd(LabAgent.WrapUpEnd.EXPIRE));
    desk(AgentState.Status.RESERVED, AgentState.Status.ON_CALL);
    desk(AgentState.Status.ON_CALL, AgentState.Status.WRAP_UP);
    // 10:00 Berlin + 2 h
    assertThat(nextAction()).isEqualTo("keys *21200#");
  }

  @Test
  void stateChangesOfOtherAgentsAreIgnored() throws Exception {
    agent(SALES);
    agent.changed("agent2", state(AgentState.Status.RESERVED), state(AgentState.Status.ON_CALL));
    assertNoMoreActions(TALK.multipliedBy(3));
  }
}
