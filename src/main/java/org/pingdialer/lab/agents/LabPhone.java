package org.pingdialer.lab.agents;

import java.util.concurrent.CompletableFuture;

/**
 * What a lab agent does with its phone: one call at a time, placed, keyed on and hung up. {@link
 * BaresipPhone} is the real one; tests of a lab agent's behaviour use a fake.
 */
public interface LabPhone extends AutoCloseable {
  /** Places a call; the future completes when the phone has accepted the request. */
  CompletableFuture<Void> dial(String uri);

  /**
   * Types {@code digits} ({@code 0-9 * #}) as RFC 4733 telephone-events on the current call, paced
   * so the far end sees each; a later call types after the earlier one's digits. The future
   * completes when the last digit is sent.
   */
  CompletableFuture<Void> sendDigits(String digits);

  /** Hangs up the current call, if any. */
  CompletableFuture<Void> hangup();

  /** Answers the call ringing in (see {@link Listener#ringing}). */
  CompletableFuture<Void> answer();

  /** Adds a listener of the phone's calls. */
  void listen(Listener listener);

  /** Hangs up, unregisters and stops the phone. */
  @Override
  void close();

  /**
   * Told what happens to the phone's call. Called on the phone's event thread, one at a time, in
   * order; must not block (hand work over). A call is established at most once and closed exactly
   * once.
   */
  interface Listener {
    /** A call rings in: the desk calls the agent back after a PBX restart. */
    default void ringing() {}

    /** The far end answered (or the phone answered a call ringing in). */
    void established();

    /** The call ended; {@code reason} as the phone says it (e.g. "Connection reset by peer"). */
    void closed(String reason);
  }
}
