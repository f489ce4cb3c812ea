package org.pingdialer.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.DtmfCommands;
import org.pingdialer.call.AgentSeat;

/**
 * A desk's dialer that writes down what the desk tells it, in order, one line each ({@code seated
 * agent1 in pd-agent-agent1}, {@code hold agent1}, {@code release agent1}, {@code done but held
 * agent1}, {@code removed agent1}, {@code keyed agent1 File[...]}), and keeps the seats it was
 * given: for tests of the desk, not of dialing. Thread-safe.
 */
public final class RecordingDialer implements AgentDesk.Dialer {
  private final List<AgentSeat> seats = new CopyOnWriteArrayList<>();
  private final List<String> told = new CopyOnWriteArrayList<>();

  /** Every seat the desk handed over, in order. */
  public List<AgentSeat> seats() {
    return seats;
  }

  /** What the desk told, one line per call, in order. */
  public List<String> told() {
    return told;
  }

  @Override
  public void addAgent(AgentSeat seat) {
    seats.add(seat);
    told.add("seated " + seat.agentId() + " in " + seat.bridgeId());
  }

  @Override
  public void holdAgent(String agentId) {
    told.add("hold " + agentId);
  }

  @Override
  public void releaseAgent(String agentId) {
    told.add("release " + agentId);
  }

  @Override
  public void doneButHeld(String agentId) {
    told.add("done but held " + agentId);
  }

  @Override
  public void removeAgent(String agentId) {
    told.add("removed " + agentId);
  }

  @Override
  public void agentKeyed(String agentId, DtmfCommands.Command command) {
    told.add("keyed " + agentId + " " + command);
  }
}
