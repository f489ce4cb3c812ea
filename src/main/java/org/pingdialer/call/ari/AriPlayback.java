package org.pingdialer.call.ari;

/**
 * ARI's Playback object.
 *
 * @param state one of {@code queued|playing|continuing|done|failed}
 * @param targetUri {@code channel:<id>} or {@code bridge:<id>}
 */
public record AriPlayback(String id, String mediaUri, String targetUri, String state) {}
