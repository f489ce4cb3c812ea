package org.pingdialer.lab.agents;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGeneratorFactory;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.lab.stack.StackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first N agent accounts of a stack as lab agents on baresip phones: started, registered and
 * logged in together, closed together. Agent i draws from a random generator seeded with {@code
 * seed + i}, so a run with the same seed and the same calls behaves the same.
 */
public final class LabAgents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabAgents.class);

  /** The login extension of the lab PBX (extensions.conf, [agents-in]). */
  public static final String LOGIN_EXTENSION = "9000";

  private static final Duration REGISTER_WAIT = Duration.ofSeconds(10);
  private static final Duration LOGIN_WAIT = Duration.ofSeconds(20);

  private final List<LabAgent> agents;

  private LabAgents(List<LabAgent> agents) {
    this.agents = List.copyOf(agents);
  }

  /**
   * Starts {@code count} lab agents for the first accounts of {@code settings}, registers their
   * phones, observes {@code desk} for them and logs them in. Returns once every agent has typed its
   * PIN (the desk seats them a moment later).
   *
   * @param logDir where each phone's config dir and log go
   * @throws IllegalArgumentException when the stack has fewer agent accounts than {@code count}
   */
  public static LabAgents start(
      StackSettings settings,
      AgentDesk desk,
      int count,
      LabAgent.Behaviour behaviour,
      long seed,
      ZoneId zone,
      Path logDir) {
    return start(
        settings.agents(), settings.ports().pbxSip(), desk, count, behaviour, seed, zone, logDir);
  }

  /**
   * As above, for a PBX given by its SIP port and agent accounts (a Docker stack, a PBX elsewhere).
   */
  public static LabAgents start(
      List<AgentAccount> accounts,
      int pbxSipPort,
      AgentDesk desk,
      int count,
      LabAgent.Behaviour behaviour,
      long seed,
      ZoneId zone,
      Path logDir) {
    if (count < 0 || count > accounts.size()) {
      throw new IllegalArgumentException(
          "lab agents: asked for "
              + count
              + " but the stack has "
              + accounts.size()
              + " agent accounts; start the stack with more agents");
    }
    var started = new ArrayList<LabAgent>();
    try {
      var phones = new ArrayList<BaresipPhone>();
      for (var account : accounts.subList(0, count)) {
        BaresipPhone phone =
            BaresipPhone.start(account, pbxSipPort, logDir, false, behaviour.voice());
        phones.add(phone);
        var agent =
            new LabAgent(
                account,
                phone,
                phone.uriOf(LOGIN_EXTENSION),
                LabAgent.Desk.of(desk),
                behaviour,
                RandomGeneratorFactory.of("L64X128MixRandom").create(seed + started.size()),
                InstantSource.system(),
                zone);
        started.add(agent);
        desk.observe(agent);
      }
      phones.forEach(phone -> phone.awaitRegistered(REGISTER_WAIT));
      var logins = started.stream().map(LabAgent::login).toList();
      CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new))
          .get(LOGIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("{} lab agents logged in", count);
      return new LabAgents(started);
    } catch (ExecutionException | TimeoutException e) {
      closeAll(started);
      throw new IllegalStateException("lab agents did not log in within " + LOGIN_WAIT, e);
    } catch (InterruptedException e) {
      closeAll(started);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while logging lab agents in", e);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  public List<LabAgent> agents() {
    return agents;
  }

  /** Logs every agent out by closing its phone. */
  @Override
  public void close() {
    closeAll(agents);
  }

  private static void closeAll(List<LabAgent> agents) {
    for (LabAgent agent : agents) {
      try {
        agent.close();
      } catch (RuntimeException e) {
        log.warn("closing lab agent {}", agent.id(), e);
      }
    }
  }
}
