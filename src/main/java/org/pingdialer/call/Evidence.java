package org.pingdialer.call;

import java.time.Instant;

/**
 * One thing Asterisk (or the controller) reported about an attempt: the event type, when, and the
 * detail that matters for it (Dial status, cause, new state...). Stored with every attempt so that
 * an outcome can always be explained.
 */
public record Evidence(String event, Instant at, String detail) {}
