package org.pingdialer.testing;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.call.AgentSeat;
import org.pingdialer.call.AttemptStore;
import org.pingdialer.call.CallEngine;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.concurrent.Loops;

/**
 * A call engine and its agents on one owner thread, as a campaign run wires them, for tests and
 * benches that drive the engine without a campaign loop. The pool is touched on its owner thread
 * only: {@link #seat} and {@link #readyInLine} hand over and wait.
 */
public final class EngineWithAgents implements AutoCloseable {
  public final ScheduledExecutorService owner;
  public final AgentPool agents;
  public final CallEngine engine;

  private EngineWithAgents(ScheduledExecutorService owner, AgentPool agents, CallEngine engine) {
    this.owner = owner;
    this.agents = agents;
    this.engine = engine;
  }

  /**
   * An engine whose agents take no wrap-up: ready again as soon as a call lets them go, as an
   * engine without a desk had them.
   */
  public static EngineWithAgents start(
      String campaign, String trunk, AriClient ari, AttemptStore store, DialPolicy policy) {
    ScheduledExecutorService owner = Loops.ownerThread("floor-" + campaign);
    var agents = new AgentPool(owner, InstantSource.system(), Duration.ZERO);
    var engine =
        new CallEngine(
            campaign,
            trunk,
            ari,
            store,
            policy,
            InstantSource.system(),
            agents,
            CallEngine.Threads.around(owner, campaign));
    return new EngineWithAgents(owner, agents, engine);
  }

  /** The agent's phone sits in its bridge: it takes calls. */
  public void seat(AgentSeat seat) {
    onOwner(
        () -> {
          agents.seat(seat);
          return null;
        });
  }

  /** The ready agents, who waited longest first (who the next answered call gets). */
  public List<String> readyInLine() {
    return onOwner(agents::readyInLine);
  }

  private <V> V onOwner(Callable<V> work) {
    try {
      return owner.submit(work).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the engine's owner thread did not answer", e);
    }
  }

  @Override
  public void close() {
    engine.close();
    owner.shutdownNow();
  }
}
