package org.pingdialer.lab.agents;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGeneratorFactory;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.concurrent.Loops;
import org.pingdialer.host.HostPrograms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SIP phone for an agent account: one headless baresip 1.0.0 process with a config dir of
 * its own, registered at the PBX and driven over ctrl_tcp. It sends a 440 Hz tone (ausine) so the
 * customer hears the agent, plays nothing (no audio player module is loaded, so baresip opens no
 * sound device) and types DTMF as RFC 4733 telephone-events.
 *
 * <p>The account is created over ctrl_tcp ({@code uanew}) once the connection is up, not read from
 * the accounts file: ctrl_tcp drops events while no client is connected, and the first
 * registration's REGISTER_OK would otherwise race our connect.
 *
 * <p>Threads: ctrl_tcp's reader thread tells the listeners; digits are paced on the phone's own
 * scheduler ({@code baresip-<agent>}). {@link #close} also runs on JVM shutdown for phones still
 * open, so no baresip outlives the JVM.
 */
public final class BaresipPhone implements LabPhone {
  private static final Logger log = LoggerFactory.getLogger(BaresipPhone.class);

  /**
   * Gap between two digits. Asterisk's Read() takes each telephone-event as one key; baresip sends
   * a digit's start and end back to back, so the gap is what keeps two equal digits apart.
   */
  static final Duration DIGIT_GAP = Duration.ofMillis(200);

  private static final Duration COMMAND_WAIT = Duration.ofSeconds(5);

  /** Phones not yet closed, killed by the shutdown hook. */
  private static final Set<BaresipPhone> OPEN = ConcurrentHashMap.newKeySet();

  /**
   * How long the shutdown hook lets the application close its phones itself (hanging up, so the PBX
   * sees a BYE) before it kills the ones still open. Shutdown hooks run at the same time: the
   * demo's own hook needs this long to stop dialing, let calls end and log agents out.
   */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(45);

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("baresip-shutdown")
                .unstarted(
                    () -> {
                      long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
                      while (!OPEN.isEmpty() && System.nanoTime() < deadline) {
                        try {
                          Thread.sleep(100);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                          break;
                        }
                      }
                      OPEN.forEach(phone -> kill(phone.process));
                    }));
  }

  private static final AtomicLong SERIAL = new AtomicLong();

  /**
   * baresip runs under this watchdog (dash), which kills it when the controller's JVM is gone: a
   * {@code kill -9} of the controller runs no shutdown hook, and an orphaned phone would stay
   * registered and logged in as an agent of nobody (issue 17 found 6 after three kills). {@code $1}
   * is the JVM's pid, the rest baresip's command line; the exit status is baresip's. The watcher
   * looks once a second; baresip's own quit ends the watchdog at once.
   */
  static final String WATCHDOG =
      "jvm=$1; shift; \"$@\" & phone=$!;"
          + " ( while kill -0 \"$jvm\" 2>/dev/null; do sleep 1; done; kill -9 \"$phone\" 2>/dev/null )"
          + " & watcher=$!;"
          + " wait \"$phone\"; status=$?; kill \"$watcher\" 2>/dev/null; exit $status";

  /** Kills baresip and its watchdog: the watchdog alone would leave baresip to the JVM's end. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private final String agentId;
  private final String aor;
  private final Process process;
  private final BaresipPorts ports;
  private final Path logFile;
  private final CtrlTcp ctrl;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> registered = new CompletableFuture<>();
  private final ScheduledExecutorService keys;

  // Written on the ctrl reader thread, read by anyone.
  private volatile String lastRegisterFailure = "none";
  private volatile boolean inCall;

  /** When the digit queue is free again (System.nanoTime); touched only on {@code keys}. */
  private long digitsFreeAt;

  private BaresipPhone(
      String agentId,
      String aor,
      Process process,
      BaresipPorts ports,
      Path logFile,
      CtrlTcp.Factory ctrlFactory)
      throws IOException {
    this.agentId = agentId;
    this.aor = aor;
    this.process = process;
    this.ports = ports;
    this.logFile = logFile;
    this.keys = Loops.ownerThread("baresip-" + agentId);
    this.ctrl = ctrlFactory.connect(this::onEvent);
  }

  /**
   * Starts the phone of {@code account} and registers it at the PBX on 127.0.0.1:{@code pbxSip}.
   * Returns once ctrl_tcp is connected and the account is created; registration follows (see {@link
   * #awaitRegistered}).
   *
   * @param logDir where the phone's config dir and its log ({@code <agent>-<n>.log}, stdout and
   *     stderr of baresip) go
   */
  public static BaresipPhone start(AgentAccount account, int pbxSip, Path logDir) {
    return start(account, pbxSip, logDir, false);
  }

  /**
   * Like {@link #start(org.pingdialer.agent.AgentAccount, int, Path)}; with {@code sipTrace}
   * baresip also logs every SIP message it sends and receives (qualify OPTIONS every 15 s
   * included).
   */
  public static BaresipPhone start(
      AgentAccount account, int pbxSip, Path logDir, boolean sipTrace) {
    return start(account, pbxSip, logDir, sipTrace, Optional.empty());
  }

  /**
   * Like {@link #start(org.pingdialer.agent.AgentAccount, int, Path, boolean)}; with a {@code
   * voice} the phone sends that (talk and pauses, from a WAV file written into its config dir,
   * played by baresip's {@code aufile} module from the start of each call) instead of the 440 Hz
   * tone.
   */
  public static BaresipPhone start(
      AgentAccount account, int pbxSip, Path logDir, boolean sipTrace, Optional<AgentVoice> voice) {
    String name = account.id() + "-" + SERIAL.incrementAndGet();
    BaresipPorts ports = BaresipPorts.pick();
    Process process = null;
    try {
      Path dir = Files.createDirectories(logDir.resolve(name));
      Optional<Path> voiceFile = Optional.empty();
      if (voice.isPresent()) {
        Path file = dir.resolve("voice.wav").toAbsolutePath();
        // Seeded by the account: the same agent always sounds the same.
        voice
            .get()
            .writeWav(
                file,
                RandomGeneratorFactory.of("L64X128MixRandom").create(account.id().hashCode()));
        voiceFile = Optional.of(file);
      }
      Files.writeString(dir.resolve("config"), config(ports, voiceFile), StandardCharsets.US_ASCII);
      Files.writeString(
          dir.resolve("accounts"),
          "# The account is created over ctrl_tcp (uanew): see BaresipPhone.\n",
          StandardCharsets.US_ASCII);
      Path logFile = logDir.resolve(name + ".log").toAbsolutePath();
      process =
          HostPrograms.listed()
              .start(
                  new ProcessBuilder(
                          watched(
                              sipTrace
                                  ? List.of("baresip", "-s", "-f", dir.toAbsolutePath().toString())
                                  : List.of("baresip", "-f", dir.toAbsolutePath().toString())))
                      .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                      .redirectErrorStream(true)
                      .redirectOutput(logFile.toFile()));
      Process started = process;
      String aor = "sip:" + account.id() + "@127.0.0.1:" + pbxSip;
      var phone =
          new BaresipPhone(
              account.id(),
              aor,
              process,
              ports,
              logFile,
              events -> connectWhenUp(name, started, ports.ctrl(), events, logFile));
      OPEN.add(phone);
      var unused = process.onExit().thenRun(phone::exited);
      phone.createAccount(account);
      log.info(
          "baresip {} started (pid {}, sip {}, ctrl {}, log {})",
          name,
          process.pid(),
          ports.sip(),
          ports.ctrl(),
          logFile);
      return phone;
    } catch (IOException | RuntimeException e) {
      if (process != null) {
        kill(process);
      }
      ports.release();
      throw e instanceof IOException io
          ? new UncheckedIOException("starting baresip for agent " + account.id(), io)
          : (RuntimeException) e;
    }
  }

  /** {@code command} under the {@link #WATCHDOG} of this JVM. */
  static List<String> watched(List<String> command) {
    var line = new ArrayList<String>();
    line.addAll(
        List.of(
            "sh",
            "-c",
            WATCHDOG,
            "baresip-watchdog",
            String.valueOf(ProcessHandle.current().pid())));
    line.addAll(command);
    return line;
  }

  /** The URI of an extension on the PBX this phone registers at. */
  public String uriOf(String extension) {
    return "sip:" + extension + aor.substring(aor.indexOf('@'));
  }

  private static CtrlTcp connectWhenUp(
      String name, Process process, int port, Consumer<Map<String, Object>> events, Path logFile)
      throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return CtrlTcp.connect(name, port, events);
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException(
              "baresip "
                  + name
                  + " never opened ctrl_tcp on 127.0.0.1:"
                  + port
                  + (process.isAlive() ? "" : " (it exited)")
                  + "; see "
                  + logFile,
              notYet);
        }
        try {
          Thread.sleep(50); // baresip starts in ~100 ms; polling its port is all we can do
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for baresip " + name, e);
        }
      }
    }
  }

  /** baresip 1.0.0 config keys; everything on loopback, no sound card, no video. */
  static String config(BaresipPorts ports) {
    return config(ports, Optional.empty());
  }

  /** With a voice file, baresip's aufile module plays it (8 kHz mono, as written) in each call. */
  static String config(BaresipPorts ports, Optional<Path> voiceFile) {
    return String.join(
        "\n",
        "# Generated by BaresipPhone for one lab agent.",
        "poll_method\tepoll",
        "sip_listen\t127.0.0.1:" + ports.sip(),
        // "lo" is refused ("could not get IPv4 address"); the address works.
        "net_interface\t127.0.0.1",
        "call_local_timeout\t120",
        "call_max_calls\t1",
        // ausine only runs at 48 kHz stereo; baresip resamples to the codec's 8 kHz mono. The
        // voice file is 8 kHz mono already.
        voiceFile.map(f -> "audio_source\taufile," + f).orElse("audio_source\tausine,440"),
        voiceFile.isPresent() ? "ausrc_srate\t8000" : "ausrc_srate\t48000",
        voiceFile.isPresent() ? "ausrc_channels\t1" : "ausrc_channels\t2",
        // No player module is loaded: baresip then starts no player at all (received audio is
        // dropped), which needs no sound card.
        "audio_player\tnone,none",
        "audio_alert\tnone,none",
        "audio_buffer\t40",
        "rtp_ports\t" + ports.rtpFirst() + "-" + ports.rtpLast(),
        "rtcp_mux\tno",
        "jitter_buffer_delay\t1-5",
        "rtp_stats\tno",
        "module_path\t/usr/lib/baresip/modules",
        "module\tg711.so",
        voiceFile.isPresent() ? "module\taufile.so" : "module\tausine.so",
        "module_app\tmenu.so",
        "module_app\tctrl_tcp.so",
        // menu prints a call status line ten times a second unless told not to.
        "statmode_default\toff",
        "ringback_disabled\tyes",
        "ctrl_tcp_listen\t127.0.0.1:" + ports.ctrl(),
        "");
  }

  private void createAccount(AgentAccount account) {
    // regint 60: Asterisk's minimum; answermode manual: the lab agent answers a call ringing in
    // (the desk's call back after a PBX restart) itself, when it is not in a call.
    String line =
        "<"
            + aor
            + ">;auth_pass="
            + account.password()
            + ";regint=60;audio_codecs=pcmu;answermode=manual";
    CtrlTcp.Response response = await(ctrl.command("uanew", line), "uanew");
    if (!response.ok()) {
      // The data echoes the account line with its password: not logged.
      throw new IllegalStateException(
          "baresip " + agentId + " refused its account (uanew); see " + logFile);
    }
  }

  /**
   * Waits until the PBX accepted the phone's registration.
   *
   * @throws IllegalStateException naming the last failure and the log when it did not in time
   */
  public void awaitRegistered(Duration timeout) {
    try {
      registered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(
          "baresip of agent "
              + agentId
              + " did not register as "
              + aor
              + " within "
              + timeout
              + " (last failure: "
              + lastRegisterFailure
              + "); see "
              + logFile,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + agentId + " to register", e);
    }
  }

  @Override
  public CompletableFuture<Void> dial(String uri) {
    return ok(ctrl.command("dial", uri), "dial " + uri);
  }

  @Override
  public CompletableFuture<Void> sendDigits(String digits) {
    if (!digits.matches("[0-9*#]*")) {
      throw new IllegalArgumentException(
          "digits '" + digits + "' for agent " + agentId + ": only 0-9, * and # are keys");
    }
    var done = new CompletableFuture<Void>();
    keys.execute(
        () -> {
          long now = System.nanoTime();
          long at = Math.max(now, digitsFreeAt);
          CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
          for (int i = 0; i < digits.length(); i++) {
            char digit = digits.charAt(i);
            var sent = new CompletableFuture<Void>();
            var unused =
                keys.schedule(
                    () ->
                        forward(
                            ok(ctrl.command("sndcode", String.valueOf(digit)), "sndcode " + digit),
                            sent),
                    at - now,
                    TimeUnit.NANOSECONDS);
            last = last.thenCombine(sent, (a, b) -> null);
            at += DIGIT_GAP.toNanos();
          }
          digitsFreeAt = at;
          forward(last, done);
        });
    return done;
  }

  private static <T> void forward(CompletableFuture<T> from, CompletableFuture<T> to) {
    var unused =
        from.whenComplete(
            (value, failure) -> {
              if (failure == null) {
                to.complete(value);
              } else {
                to.completeExceptionally(failure);
              }
            });
  }

  @Override
  public CompletableFuture<Void> hangup() {
    return ok(ctrl.command("hangup", ""), "hangup");
  }

  @Override
  public CompletableFuture<Void> answer() {
    return ok(ctrl.command("accept", ""), "accept");
  }

  @Override
  public void listen(Listener listener) {
    listeners.add(listener);
  }

  /** The baresip process, e.g. to check none is left. */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Where baresip's output goes. */
  public Path logFile() {
    return logFile;
  }

  private CompletableFuture<Void> ok(CompletableFuture<CtrlTcp.Response> command, String what) {
    return command.thenApply(
        response -> {
          if (!response.ok()) {
            throw new IllegalStateException(
                "baresip of agent " + agentId + " refused '" + what + "': " + response.data());
          }
          return null;
        });
  }

  private CtrlTcp.Response await(CompletableFuture<CtrlTcp.Response> command, String what) {
    try {
      return command.get(COMMAND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(
          "baresip of agent " + agentId + ": no answer to '" + what + "'; see " + logFile, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during '" + what + "'", e);
    }
  }

  /** On the ctrl reader thread. */
  private void onEvent(Map<String, Object> event) {
    String type = String.valueOf(event.get("type"));
    String param = String.valueOf(event.getOrDefault("param", ""));
    switch (type) {
      case "REGISTER_OK" -> registered.complete(null);
      case "REGISTER_FAIL" -> {
        lastRegisterFailure = param;
        log.warn("baresip of agent {}: registration failed: {}", agentId, param);
      }
      case "CALL_INCOMING" -> listeners.forEach(Listener::ringing);
      case "CALL_ESTABLISHED" -> {
        inCall = true;
        listeners.forEach(Listener::established);
      }
      case "CALL_CLOSED" -> {
        inCall = false;
        listeners.forEach(l -> l.closed(param));
      }
      default -> log.debug("baresip of agent {}: {} {}", agentId, type, param);
    }
  }

  private void exited() {
    registered.completeExceptionally(
        new IllegalStateException(
            "baresip of agent " + agentId + " exited (" + process.exitValue() + ")"));
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        if (inCall) {
          quietly(ctrl.command("hangup", ""));
        }
        // Deleting the user agent unregisters it; quit then waits for that transaction.
        quietly(ctrl.command("uadel", aor));
        quietly(ctrl.command("quit", ""));
        long begin = System.nanoTime();
        if (process.waitFor(3, TimeUnit.SECONDS)) {
          log.info(
              "baresip of agent {} quit in {} ms",
              agentId,
              Duration.ofNanos(System.nanoTime() - begin).toMillis());
        } else {
          // On SIGTERM baresip 1.0.0 waits for its SIP transactions and may not exit: kill it.
          log.warn("baresip of agent {} did not quit within 3 s: killing it", agentId);
          kill(process);
          process.waitFor(3, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
    } finally {
      ctrl.close();
      keys.shutdownNow();
      ports.release();
      OPEN.remove(this);
    }
  }

  private void quietly(CompletableFuture<CtrlTcp.Response> command) {
    try {
      command.get(2, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      log.debug("baresip of agent {} while closing: {}", agentId, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
