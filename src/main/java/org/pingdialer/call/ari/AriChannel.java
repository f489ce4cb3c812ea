package org.pingdialer.call.ari;

import java.time.Instant;
import java.util.Map;

/**
 * ARI's Channel object, reduced to what the dialer reads. Optional components are null when
 * Asterisk leaves them out.
 *
 * @param channelvars only the variables marked {@code report_events} (22.10+) or listed in ari.conf
 *     {@code channelvars}; usually null
 */
public record AriChannel(
    String id,
    String name,
    ChannelState state,
    CallerId caller,
    CallerId connected,
    DialplanLocation dialplan,
    Instant creationtime,
    Map<String, String> channelvars) {

  /** Caller or connected-line identity, as ARI sends it. */
  public record CallerId(String name, String number) {}

  /** Where in the dialplan the channel is (context, extension, priority, application). */
  public record DialplanLocation(
      String context, String exten, long priority, String appName, String appData) {}
}
