package org.pingdialer.call.ari;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * A channel's state as ARI reports it ({@code ast_state2str}). Mapped leniently: the server sends
 * {@code Rsrvd} where its Swagger says {@code Rsrved}, and unknown values arrive as {@code "Unknown
 * (N)"}; anything we do not know becomes {@link #UNKNOWN} instead of failing the whole event.
 */
public enum ChannelState {
  DOWN,
  RESERVED,
  OFF_HOOK,
  DIALING,
  RING,
  RINGING,
  UP,
  BUSY,
  DIALING_OFFHOOK,
  PRE_RING,
  MUTE,
  UNKNOWN;

  @JsonCreator
  public static ChannelState fromAri(String value) {
    if (value == null) {
      return UNKNOWN;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "down" -> DOWN;
      case "rsrvd", "rsrved", "reserved" -> RESERVED;
      case "offhook" -> OFF_HOOK;
      case "dialing" -> DIALING;
      case "ring" -> RING;
      case "ringing" -> RINGING;
      case "up" -> UP;
      case "busy" -> BUSY;
      case "dialing offhook" -> DIALING_OFFHOOK;
      case "pre-ring" -> PRE_RING;
      case "mute" -> MUTE;
      default -> UNKNOWN;
    };
  }
}
