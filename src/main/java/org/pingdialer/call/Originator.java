package org.pingdialer.call;

import java.io.UncheckedIOException;
import org.pingdialer.call.ari.AriClient;
import org.pingdialer.call.ari.AriException;

/**
 * Creates a call's channel with our minted id, safe to retry: when a request fails on the way
 * (timeout, reset) we cannot know whether Asterisk made the channel, so we send the same id again;
 * a 409 on a retry means the first request went through. No retry can make a second call.
 */
final class Originator {
  static final int MAX_TRIES = 3;

  private Originator() {}

  /** Creates the channel; throws the last failure when every try failed. */
  static void create(AriClient ari, AriClient.ChannelSpec spec) {
    UncheckedIOException lastIo = null;
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      try {
        ari.createChannel(spec);
        return;
      } catch (UncheckedIOException e) {
        lastIo = e;
      } catch (AriException e) {
        if (e.kind() == AriException.Kind.CONFLICT && lastIo != null) {
          return; // our earlier, unanswered request created it
        }
        throw e;
      }
    }
    throw lastIo;
  }
}
