package org.pingdialer.agent;

import java.util.Objects;

/**
 * An agent's softphone account on the PBX.
 *
 * @param password what the phone registers with (SIP digest)
 * @param pin what the agent types (RFC 4733 DTMF) after dialing the login extension 9000; the
 *     dialplan reads it from the endpoint variable {@code AGENT_PIN}
 */
public record AgentAccount(String id, String password, String pin) {
  public AgentAccount {
    if (!id.matches("[a-z][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException(
          "agent id '" + id + "' must be lower-case letters, digits, '-' or '_' (max 32)");
    }
    Objects.requireNonNull(pin, () -> "PIN of agent '" + id + "'");
    if (!pin.matches("[0-9]{4,8}")) {
      throw new IllegalArgumentException(
          "PIN of agent '" + id + "' must be 4 to 8 digits (typed on the phone's keypad)");
    }
  }

  @Override
  public String toString() {
    // Never print secrets.
    return "AgentAccount[" + id + "]";
  }
}
