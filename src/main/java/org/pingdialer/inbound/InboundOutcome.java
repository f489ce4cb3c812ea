package org.pingdialer.inbound;

/** How an inbound call ended; stored with it and counted per queue. */
public enum InboundOutcome {
  /** An agent took it. */
  ANSWERED,
  /** The caller hung up while waiting (in the announcement, on hold, or being put through). */
  ABANDONED,
  /** It waited the queue's max wait and left a message. */
  VOICEMAIL,
  /** The caller asked to be called back (a key, or the queue's overflow): a lead was added. */
  CALLBACK,
  /** It waited the queue's max wait and was told all agents are busy, then hung up. */
  OVERFLOWED,
  /** The controller stopped while it waited: told all agents are busy, then hung up. */
  CLOSED,
  /** Its controller died and the caller was gone when the next run started. */
  LOST
}
