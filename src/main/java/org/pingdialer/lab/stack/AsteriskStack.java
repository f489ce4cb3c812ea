package org.pingdialer.lab.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.call.ami.AmiEndpoint;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.call.ari.OkHttpAriClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialer PBX plus the simulated public network (the {@code pstn} Asterisk behind the trunk),
 * started with the best runtime this host has: a Docker engine if one answers, else the Debian
 * rootfs in a chroot. Or an external PBX given by URL and credentials, which this class only waits
 * for. Used by the integration tests and the CLI.
 *
 * <p>Not thread-safe: one owner starts, uses and closes it.
 */
public final class AsteriskStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AsteriskStack.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** The trunk to the simulated network whose far end sends Q.850 Reason headers. */
  public static final String TRUNK = "carrier";

  /** The same network through a trunk whose far end sends bare SIP codes (no Reason header). */
  public static final String TRUNK_WITHOUT_REASON = "carrier-noreason";

  /** Which runtime to use; {@code AUTO} prefers Docker when its engine answers. */
  public enum RuntimeChoice {
    AUTO,
    DOCKER,
    ROOTFS
  }

  private final Optional<AsteriskRuntime> runtime;
  private final Path pbxDir;
  private final Path pstnDir;
  private final AriEndpoint ari;
  private final AmiEndpoint ami;
  private final StackSettings settings;

  private AsteriskStack(
      Optional<AsteriskRuntime> runtime,
      Path pbxDir,
      Path pstnDir,
      AriEndpoint ari,
      AmiEndpoint ami,
      StackSettings settings) {
    this.runtime = runtime;
    this.pbxDir = pbxDir;
    this.pstnDir = pstnDir;
    this.ari = ari;
    this.ami = ami;
    this.settings = settings;
  }

  /**
   * Renders {@code asterisk-config/} with {@code settings} into {@code workDir/{pbx,pstn}}, starts
   * both instances (the network first, so the PBX finds its trunk up) and waits until ARI answers
   * and the trunk is online.
   */
  public static AsteriskStack start(
      Path projectDir, Path workDir, StackSettings settings, RuntimeChoice choice) {
    AsteriskRuntime runtime = chooseRuntime(projectDir, choice);
    var stack = local(runtime, workDir, settings);
    render(projectDir, "pbx", stack.pbxDir, settings);
    render(projectDir, "pstn", stack.pstnDir, settings);
    Instant begin = Instant.now();
    try {
      runtime.start("pstn", stack.pstnDir);
      runtime.start("pbx", stack.pbxDir);
      stack.awaitReady();
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    log.info(
        "Asterisk stack up with {} runtime in {} ms: ARI {}, AMI 127.0.0.1:{}",
        runtime.name(),
        Duration.between(begin, Instant.now()).toMillis(),
        stack.ari.baseUrl(),
        stack.ami.port());
    return stack;
  }

  /**
   * A stack started earlier (by another process) from {@code settings} in {@code workDir}; nothing
   * is started. Use it to check on, reload or stop that stack.
   */
  public static AsteriskStack attach(
      Path projectDir, Path workDir, StackSettings settings, String runtimeName) {
    AsteriskRuntime runtime =
        runtimeName.equals("docker")
            ? new DockerRuntime(projectDir)
            : new RootfsRuntime(projectDir);
    return local(runtime, workDir, settings);
  }

  /** A stack of ours on this machine: its endpoints follow from the settings. */
  private static AsteriskStack local(
      AsteriskRuntime runtime, Path workDir, StackSettings settings) {
    var ports = settings.ports();
    return new AsteriskStack(
        Optional.of(runtime),
        workDir.resolve("pbx"),
        workDir.resolve("pstn"),
        new AriEndpoint(
            URI.create("http://127.0.0.1:" + ports.pbxHttp() + "/ari"),
            settings.ariUser(),
            settings.ariPassword(),
            settings.ariApp()),
        new AmiEndpoint("127.0.0.1", ports.pbxAmi(), settings.amiUser(), settings.amiSecret()),
        settings);
  }

  /**
   * Renders the templates again (after a telephony engineer edited {@code asterisk-config/}) into
   * the running instances' config directories. Asterisk picks the files up on its next reload.
   */
  public void rerender(Path projectDir) {
    if (settings == null) {
      throw new IllegalStateException("an external stack's configuration is not ours to render");
    }
    render(projectDir, "pbx", pbxDir, settings);
    render(projectDir, "pstn", pstnDir, settings);
  }

  /** A stack on fresh free ports with fresh credentials, in {@code workDir}. */
  public static AsteriskStack startLab(Path projectDir, Path workDir, int agents) {
    return startLab(projectDir, workDir, agents, RuntimeChoice.AUTO);
  }

  public static AsteriskStack startLab(
      Path projectDir, Path workDir, int agents, RuntimeChoice choice) {
    return start(projectDir, workDir, StackSettings.lab(PortAllocator.freeBlock(), agents), choice);
  }

  /**
   * An Asterisk someone else runs (with the {@code asterisk-config/} templates, its simulated
   * network behind trunk {@value #TRUNK}). Nothing is started or stopped; this waits until ARI
   * answers.
   */
  public static AsteriskStack external(AriEndpoint ari, AmiEndpoint ami) {
    var stack = new AsteriskStack(Optional.empty(), null, null, ari, ami, null);
    stack.awaitReady();
    return stack;
  }

  public AriEndpoint ari() {
    return ari;
  }

  public AmiEndpoint ami() {
    return ami;
  }

  /** The settings this stack was rendered with; empty for an external stack. */
  public Optional<StackSettings> settings() {
    return Optional.ofNullable(settings);
  }

  /** {@code docker}, {@code rootfs} or {@code external}. */
  public String runtimeName() {
    return runtime.map(AsteriskRuntime::name).orElse("external");
  }

  /** The PBX's instance directory (configs, logs under {@code log/}); null when external. */
  public Path pbxDir() {
    return pbxDir;
  }

  public Path pstnDir() {
    return pstnDir;
  }

  /** The ARI endpoint string that dials {@code number} through {@code trunk}. */
  public static String dialString(String number, String trunk) {
    return "PJSIP/" + number + "@" + trunk;
  }

  /** Stops and starts the PBX (not the network), then waits until it is ready again. */
  public void restartPbx() {
    AsteriskRuntime owned =
        runtime.orElseThrow(
            () -> new IllegalStateException("cannot restart an external Asterisk from here"));
    owned.stop("pbx", pbxDir);
    owned.start("pbx", pbxDir);
    awaitReady();
  }

  /**
   * Freezes the PBX for {@code time} (SIGSTOP, or {@code docker pause}), then thaws it: a hung or
   * overloaded PBX that answers nothing, ARI or SIP, and then carries on where it stopped.
   */
  public void freezePbx(Duration time) throws InterruptedException {
    AsteriskRuntime owned =
        runtime.orElseThrow(
            () -> new IllegalStateException("cannot freeze an external Asterisk from here"));
    owned.freeze("pbx", pbxDir, true);
    try {
      Thread.sleep(time.toMillis());
    } finally {
      owned.freeze("pbx", pbxDir, false);
    }
  }

  /**
   * Runs an Asterisk CLI command on the simulated network (which has no AMI), e.g. {@code dialplan
   * reload} after editing its number plan.
   */
  public String networkCli(String command) {
    return runtime
        .orElseThrow(() -> new IllegalStateException("the external stack's network is not ours"))
        .cli("pstn", pstnDir, command);
  }

  /** Whether both instances' processes are alive (always true for an external stack). */
  public boolean isRunning() {
    return runtime
        .map(r -> r.isRunning("pbx", pbxDir) && r.isRunning("pstn", pstnDir))
        .orElse(true);
  }

  @Override
  public void close() {
    runtime.ifPresent(
        r -> {
          RuntimeException first = null;
          for (var instance : Map.of("pbx", pbxDir, "pstn", pstnDir).entrySet()) {
            try {
              r.stop(instance.getKey(), instance.getValue());
            } catch (RuntimeException e) {
              if (first == null) {
                first = e;
              } else {
                first.addSuppressed(e);
              }
            }
          }
          if (first != null) {
            throw first;
          }
        });
  }

  private void awaitReady() {
    var client = new OkHttpAriClient(ari);
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    RuntimeException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        client.asteriskInfo();
        // The trunk counts as up once the PBX's qualify of the network answered.
        if (runtime.isEmpty()
            || client.endpointState("PJSIP", TRUNK).map("online"::equals).orElse(false)) {
          return;
        }
        last = new IllegalStateException("trunk '" + TRUNK + "' is not online yet");
      } catch (RuntimeException notYet) {
        last = notYet;
      }
      pause();
    }
    throw new IllegalStateException(
        "Asterisk at "
            + ari.baseUrl()
            + " not ready within "
            + READY_TIMEOUT.toSeconds()
            + " s"
            + (pbxDir == null ? "" : "; see " + pbxDir.resolve("log"))
            + ": "
            + last.getMessage(),
        last);
  }

  private static void pause() {
    // Start-up only: Asterisk offers no "ready" event for an outside process to wait on.
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Asterisk", e);
    }
  }

  private static void render(Path projectDir, String role, Path instanceDir, StackSettings s) {
    Map<String, String> extra =
        role.equals("pbx")
            ? Map.of("pjsip-agents.conf", ConfigRenderer.agentsFile(s.agents()))
            : Map.of();
    ConfigRenderer.renderDirectory(
        projectDir.resolve("asterisk-config").resolve(role),
        instanceDir.resolve("etc"),
        s.placeholders(),
        extra);
    try {
      Files.write(
          instanceDir.resolve("ports"),
          role.equals("pbx") ? s.ports().pbxListening() : s.ports().pstnListening());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AsteriskRuntime chooseRuntime(Path projectDir, RuntimeChoice choice) {
    return switch (choice) {
      case DOCKER -> new DockerRuntime(projectDir);
      case ROOTFS -> new RootfsRuntime(projectDir);
      case AUTO ->
          switch (runtimeFromEnvironment(System.getenv(RUNTIME_VARIABLE))) {
            case DOCKER -> new DockerRuntime(projectDir);
            case ROOTFS -> new RootfsRuntime(projectDir);
            case AUTO ->
                DockerRuntime.engineAnswers()
                    ? new DockerRuntime(projectDir)
                    : new RootfsRuntime(projectDir);
          };
    };
  }

  /**
   * The variable that fixes what {@code AUTO} means: {@code docker} or {@code rootfs}. The Docker
   * half of CI sets {@code docker}, so a test fails rather than fall back to the rootfs when the
   * engine is gone.
   */
  public static final String RUNTIME_VARIABLE = "PINGDIALER_RUNTIME";

  static RuntimeChoice runtimeFromEnvironment(String value) {
    if (value == null || value.isBlank()) {
      return RuntimeChoice.AUTO;
    }
    try {
      return RuntimeChoice.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          RUNTIME_VARIABLE + " must be docker, rootfs or auto, was '" + value + "'", e);
    }
  }
}
