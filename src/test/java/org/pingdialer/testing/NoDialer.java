package org.pingdialer.testing;

import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.DtmfCommands;

/** A desk's dialer that does nothing with agents' keys: for tests of the desk's API. */
public final class NoDialer implements AgentDesk.Dialer {
  @Override
  public void agentKeyed(String agentId, DtmfCommands.Command command) {}
}
