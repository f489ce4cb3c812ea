package org.pingdialer.call;

import java.time.Duration;
import java.time.Instant;

/**
 * When things happened to one call. Times of ARI events are Asterisk's event timestamps (one
 * clock), the others the controller's. Null until it happened.
 */
public record Timeline(
    Instant createdAt,
    Instant inStasisAt,
    Instant ringingAt,
    Instant progressAt,
    Instant answeredAt,
    Instant bridgedAt,
    Instant dropStartedAt,
    Instant endedAt) {

  static Timeline createdAt(Instant at) {
    return new Timeline(at, null, null, null, null, null, null, null);
  }

  Timeline inStasis(Instant at) {
    return new Timeline(
        createdAt, at, ringingAt, progressAt, answeredAt, bridgedAt, dropStartedAt, endedAt);
  }

  Timeline ringing(Instant at) {
    return ringingAt != null
        ? this
        : new Timeline(
            createdAt, inStasisAt, at, progressAt, answeredAt, bridgedAt, dropStartedAt, endedAt);
  }

  Timeline progress(Instant at) {
    return progressAt != null
        ? this
        : new Timeline(
            createdAt, inStasisAt, ringingAt, at, answeredAt, bridgedAt, dropStartedAt, endedAt);
  }

  Timeline answered(Instant at) {
    return new Timeline(
        createdAt, inStasisAt, ringingAt, progressAt, at, bridgedAt, dropStartedAt, endedAt);
  }

  Timeline bridged(Instant at) {
    return new Timeline(
        createdAt, inStasisAt, ringingAt, progressAt, answeredAt, at, dropStartedAt, endedAt);
  }

  Timeline dropStarted(Instant at) {
    return new Timeline(
        createdAt, inStasisAt, ringingAt, progressAt, answeredAt, bridgedAt, at, endedAt);
  }

  Timeline ended(Instant at) {
    return new Timeline(
        createdAt, inStasisAt, ringingAt, progressAt, answeredAt, bridgedAt, dropStartedAt, at);
  }

  /** How long the phone rang (first ringing signal to answer or end); null if it never rang. */
  public Duration ringDuration() {
    if (ringingAt == null) {
      return null;
    }
    Instant stop = answeredAt != null ? answeredAt : endedAt;
    return stop == null ? null : Duration.between(ringingAt, stop);
  }

  /** Answer to "customer in the agent's bridge"; null if not bridged. */
  public Duration answerToBridge() {
    return answeredAt == null || bridgedAt == null ? null : Duration.between(answeredAt, bridgedAt);
  }

  /** Answer to "drop message started"; null if no message played. */
  public Duration answerToDropMessage() {
    return answeredAt == null || dropStartedAt == null
        ? null
        : Duration.between(answeredAt, dropStartedAt);
  }
}
