package org.pingdialer.call;

/**
 * A ready agent as the call engine sees it: a phone channel waiting in its own mixing bridge.
 * Connecting a customer is adding the customer's channel to {@code bridgeId}.
 */
public record AgentSeat(String agentId, String channelId, String bridgeId) {}
