package org.pingdialer.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentPool;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.DtmfCommands;
import org.pingdialer.call.AgentSeat;

/**
 * Writes down what a desk and its agents' pool tell, in order, one line each: {@code seated agent1
 * in pd-agent-agent1}, {@code agent1 READY} (each change of an agent's status), {@code work done
 * agent1}, {@code left agent1}, {@code keyed agent1 File[...]}; and keeps the seats. For tests of
 * the desk, not of dialing. Watch a desk's pool with {@link #watch}. Thread-safe.
 */
public final class RecordingDialer implements AgentDesk.Dialer, AgentPool.Listener {
  private final List<AgentSeat> seats = new CopyOnWriteArrayList<>();
  private final List<String> told = new CopyOnWriteArrayList<>();

  /** Records what {@code desk}'s agents do; call before agents log in. */
  public RecordingDialer watch(AgentDesk desk) {
    desk.pool().watch(this);
    return this;
  }

  /** Every seat the desk handed over, in order. */
  public List<AgentSeat> seats() {
    return seats;
  }

  /** What was told, one line per event, in order. */
  public List<String> told() {
    return told;
  }

  @Override
  public void seated(AgentSeat seat) {
    seats.add(seat);
    told.add("seated " + seat.agentId() + " in " + seat.bridgeId());
  }

  @Override
  public void changed(String agentId, AgentState before, AgentState after) {
    if (before.status() != after.status()) {
      told.add(agentId + " " + after.status());
    }
  }

  @Override
  public void workDone(String agentId, Duration talk, Duration wrapUp) {
    told.add("work done " + agentId);
  }

  @Override
  public void left(AgentSeat seat) {
    told.add("left " + seat.agentId());
  }

  @Override
  public void agentKeyed(String agentId, DtmfCommands.Command command) {
    told.add("keyed " + agentId + " " + command);
  }
}
