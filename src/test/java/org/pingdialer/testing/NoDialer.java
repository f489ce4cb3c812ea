package org.pingdialer.testing;

import org.pingdialer.agent.AgentDesk;
import org.pingdialer.call.AgentSeat;

/** A desk's dialer that dials nothing: for tests of the desk's API, not of dialing. */
public final class NoDialer implements AgentDesk.Dialer {
  @Override
  public void addAgent(AgentSeat seat) {}

  @Override
  public void holdAgent(String agentId) {}

  @Override
  public void releaseAgent(String agentId) {}
}
