package org.pingdialer.lab.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.Disposition;
import org.pingdialer.agent.DtmfCommands;
import org.pingdialer.call.ari.AriEventStream;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.lab.stack.StackSettings;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.EventRecorder;
import org.pingdialer.testing.LabStack;
import org.pingdialer.testing.RecordingDialer;

/**
 * Lab agents on real baresip phones log in at real Asterisk: the right PIN seats them in their
 * bridge, a wrong one never does, and digits keyed on the phone reach the desk as commands.
 */
@LabStack
class BaresipIT {
  private static final Path LOGS = Path.of("target/baresip");
  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  private final StackSettings settings;
  private final OkHttpAriClient ari;
  private final RecordingDialer dialer = new RecordingDialer();
  private AgentDesk desk;
  private AriEventStream stream;

  private final Path pbxLogs;

  BaresipIT(AsteriskStack stack) {
    this.pbxLogs = stack.pbxDir().resolve("log");
    this.settings = stack.settings().orElseThrow();
    this.ari = new OkHttpAriClient(stack.ari());
  }

  @BeforeEach
  void startDesk() {
    desk = new AgentDesk(ari, dialer, InstantSource.system(), ZONE, Duration.ofSeconds(5));
    dialer.watch(desk);
    var recorder = new EventRecorder();
    stream =
        new AriEventStream(
            ari,
            Set.of(),
            InstantSource.system(),
            AriEventStream.Listener.all(List.of(desk, recorder)));
    stream.start();
    recorder.await(EventRecorder.Connected.class, c -> true, AriSession.WAIT);
  }

  @AfterEach
  void stopDesk() {
    stream.close();
    desk.close();
  }

  private LabAgent labAgent(AgentAccount account, BaresipPhone phone) {
    var agent =
        new LabAgent(
            account,
            phone,
            phone.uriOf(LabAgents.LOGIN_EXTENSION),
            LabAgent.Desk.of(desk),
            LabAgent.Behaviour.defaults(),
            new SplittableRandom(1),
            InstantSource.system(),
            ZONE);
    desk.observe(agent);
    return agent;
  }

  private AgentState.Status status(String agentId) throws Exception {
    AgentState state = desk.states().get(5, TimeUnit.SECONDS).get(agentId);
    return state == null ? AgentState.Status.LOGGED_OUT : state.status();
  }

  @Test
  void aLabAgentWithItsPinIsSeatedInItsBridgeAndClosingItLogsItOut() throws Exception {
    AgentAccount account = settings.agents().getFirst();
    String bridge = AgentDesk.bridgeOf(account.id());
    long begin = System.nanoTime();
    BaresipPhone phone = BaresipPhone.start(account, settings.ports().pbxSip(), LOGS, true);
    ProcessHandle process = phone.process();
    try (var agent = labAgent(account, phone)) {
      phone.awaitRegistered(Duration.ofSeconds(10));
      long registered = System.nanoTime();
      agent.login().get(20, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> status(account.id()) == AgentState.Status.READY);
      System.out.printf(
          "baresip registered %d ms after start, agent seated %d ms after start%n",
          Duration.ofNanos(registered - begin).toMillis(),
          Duration.ofNanos(System.nanoTime() - begin).toMillis());
      assertThat(dialer.told().stream().filter(line -> line.startsWith("seated ")))
          .containsExactly("seated " + account.id() + " in " + bridge);
      List<String> inBridge = ari.bridge(bridge).orElseThrow().channels();
      assertThat(inBridge).hasSize(1);
      assertThat(ari.channel(inBridge.getFirst()).orElseThrow().name())
          .startsWith("PJSIP/" + account.id() + "-");
    }
    await()
        .atMost(AriSession.WAIT)
        .until(() -> status(account.id()) == AgentState.Status.LOGGED_OUT);
    await().atMost(AriSession.WAIT).until(() -> ari.bridge(bridge).isEmpty());
    assertThat(process.isAlive()).as("baresip pid %d is gone", process.pid()).isFalse();
  }

  /** Issue 17: the PIN an agent types is in neither of the PBX's logs (Read() logged it). */
  @Test
  void theTypedPinIsNotInThePbxLogs() throws Exception {
    AgentAccount account = settings.agents().getLast();
    BaresipPhone phone = BaresipPhone.start(account, settings.ports().pbxSip(), LOGS);
    try (var agent = labAgent(account, phone)) {
      phone.awaitRegistered(Duration.ofSeconds(10));
      agent.login().get(20, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> status(account.id()) == AgentState.Status.READY);
    }
    for (String log : List.of("console.log", "full")) {
      Path file = pbxLogs.resolve(log);
      assertThat(file).exists();
      String text = Files.readString(file);
      assertThat(text).as(log).contains("Asterisk Ready");
      assertThat(text).as(log).doesNotContain("User entered");
      assertThat(text).as(log).doesNotContain("'" + account.pin() + "'");
      assertThat(text).as(log).doesNotContainPattern("DTMF.*'[0-9*#]'");
    }
  }

  @Test
  void aLabAgentWithAWrongPinIsNeverSeatedAndThePbxHangsUp() throws Exception {
    AgentAccount real = settings.agents().get(1);
    String wrongPin = (real.pin().charAt(0) == '9' ? "0" : "9") + real.pin().substring(1);
    var wrong = new AgentAccount(real.id(), real.password(), wrongPin);
    BaresipPhone phone = BaresipPhone.start(wrong, settings.ports().pbxSip(), LOGS);
    List<String> closed = new CopyOnWriteArrayList<>();
    phone.listen(
        new LabPhone.Listener() {
          @Override
          public void established() {}

          @Override
          public void closed(String reason) {
            closed.add(reason);
          }
        });
    try (var agent = labAgent(wrong, phone)) {
      phone.awaitRegistered(Duration.ofSeconds(10));
      long begin = System.nanoTime();
      agent.login().get(20, TimeUnit.SECONDS);
      // Three tries: the typed one, then two that time out after 5 s each, then vm-goodbye.
      await().atMost(Duration.ofSeconds(40)).until(() -> !closed.isEmpty());
      System.out.printf(
          "wrong PIN: PBX hung up %d ms after the login call (%s)%n",
          Duration.ofNanos(System.nanoTime() - begin).toMillis(), closed);
      assertThat(dialer.told()).isEmpty();
      assertThat(status(real.id())).isEqualTo(AgentState.Status.LOGGED_OUT);
      assertThat(ari.bridge(AgentDesk.bridgeOf(real.id()))).isEmpty();
    }
  }

  @Test
  void digitsKeyedOnTheBaresipPhoneReachTheDeskAsCommands() throws Exception {
    AgentAccount account = settings.agents().getFirst();
    BaresipPhone phone = BaresipPhone.start(account, settings.ports().pbxSip(), LOGS);
    try (var agent = labAgent(account, phone)) {
      phone.awaitRegistered(Duration.ofSeconds(10));
      agent.login().get(20, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> status(account.id()) == AgentState.Status.READY);

      phone.sendDigits("*3").get(5, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> dialer.told().stream().anyMatch(line -> line.startsWith("keyed ")));
      assertThat(dialer.told())
          .contains(
              "keyed "
                  + account.id()
                  + " "
                  + new DtmfCommands.Command.File(new Disposition.Sale()));
    }
    await()
        .atMost(AriSession.WAIT)
        .until(() -> status(account.id()) == AgentState.Status.LOGGED_OUT);
  }

  @Test
  void labAgentsLogInTheFirstAccountsAndCloseThemAll() throws Exception {
    int count = settings.agents().size();
    long begin = System.nanoTime();
    try (var agents =
        LabAgents.start(settings, desk, count, LabAgent.Behaviour.defaults(), 7, ZONE, LOGS)) {
      assertThat(agents.agents()).hasSize(count);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  settings.agents().stream()
                      .allMatch(a -> statusQuietly(a.id()) == AgentState.Status.READY));
      System.out.printf(
          "%d lab agents seated %d ms after start%n",
          count, Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }
    await()
        .atMost(AriSession.WAIT)
        .until(
            () ->
                settings.agents().stream()
                    .allMatch(a -> statusQuietly(a.id()) == AgentState.Status.LOGGED_OUT));
  }

  private AgentState.Status statusQuietly(String agentId) {
    try {
      return status(agentId);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
