package org.pingdialer.call.ami;

/** Where and as whom the controller logs in to the Asterisk Manager Interface. */
public record AmiEndpoint(String host, int port, String user, String secret) {
  @Override
  public String toString() {
    return "AmiEndpoint[" + host + ":" + port + ", user=" + user + "]";
  }
}
