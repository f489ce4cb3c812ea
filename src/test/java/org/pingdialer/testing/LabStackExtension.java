package org.pingdialer.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.pingdialer.call.ami.AmiEndpoint;
import org.pingdialer.call.ari.AriEndpoint;
import org.pingdialer.lab.stack.AsteriskStack;

/**
 * Provides {@link AsteriskStack}s to integration tests. The shared stack lives in the root context
 * and is closed when the run ends; stacks live under {@code target/it-stacks/}, so both Asterisk
 * logs stay there after a failure. Set {@code PINGDIALER_ARI_URL} (plus {@code _USER}, {@code
 * _PASSWORD}, {@code _APP} and {@code PINGDIALER_AMI_*}) to test an external stack instead.
 */
final class LabStackExtension implements ParameterResolver {
  private static final AtomicInteger STACKS = new AtomicInteger();

  /** Tells the stacks of concurrent or earlier test runs apart in target/it-stacks. */
  private static final String RUN = "pid" + ProcessHandle.current().pid();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AsteriskStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Optional<LabStack> asked = context.getTestClass().map(c -> c.getAnnotation(LabStack.class));
    boolean own = asked.map(LabStack::own).orElse(false);
    int agents = asked.map(LabStack::agents).orElse(2);
    ExtensionContext owner = own ? classContext(context) : context.getRoot();
    Holder holder =
        owner
            .getStore(ExtensionContext.Namespace.create(LabStackExtension.class))
            // An own stack has a key of its own: stores are looked up through their parents, so
            // "stack" would find the shared stack of the root once an earlier class started it.
            .getOrComputeIfAbsent(
                own ? "own-stack" : "stack",
                key -> new Holder(startStack(own, agents)),
                Holder.class);
    return holder.stack;
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private static AsteriskStack startStack(boolean own, int agents) {
    String external = System.getenv("PINGDIALER_ARI_URL");
    if (external != null && !own) {
      return AsteriskStack.external(
          new AriEndpoint(
              URI.create(external),
              System.getenv("PINGDIALER_ARI_USER"),
              System.getenv("PINGDIALER_ARI_PASSWORD"),
              System.getenv().getOrDefault("PINGDIALER_ARI_APP", "pingdialer")),
          new AmiEndpoint(
              System.getenv().getOrDefault("PINGDIALER_AMI_HOST", "127.0.0.1"),
              Integer.parseInt(System.getenv().getOrDefault("PINGDIALER_AMI_PORT", "5038")),
              System.getenv("PINGDIALER_AMI_USER"),
              System.getenv("PINGDIALER_AMI_SECRET")));
    }
    Path work =
        projectDir().resolve("target/it-stacks").resolve(RUN + "-" + STACKS.incrementAndGet());
    return AsteriskStack.startLab(projectDir(), work, agents);
  }

  static Path projectDir() {
    return Path.of(System.getProperty("pingdialer.projectDir", ".")).toAbsolutePath();
  }

  /** Closes the stack when its context ends (JUnit closes AutoCloseable store values). */
  private record Holder(AsteriskStack stack) implements AutoCloseable {
    @Override
    public void close() {
      stack.close();
    }
  }
}
