package org.pingdialer.call.ari;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/**
 * An event from the ARI events WebSocket. Decoded by {@link AriJson} with the explicit subtype list
 * below (Jackson 2.x does not discover sealed subtypes); any other {@code type} becomes {@link
 * Unknown}, so a new Asterisk event never breaks the stream. {@code AriEventTypesTest} keeps the
 * permitted list and {@code @JsonSubTypes} in step, and an IT checks every name against the running
 * Asterisk's {@code events.json}.
 *
 * <p>Optional components are null when Asterisk leaves them out. {@code application} is the Stasis
 * app the event was sent for.
 */
@JsonTypeInfo(
    use = JsonTypeInfo.Id.NAME,
    property = "type",
    visible = true,
    defaultImpl = AriEvent.Unknown.class)
@JsonSubTypes({
  @JsonSubTypes.Type(value = AriEvent.StasisStart.class, name = "StasisStart"),
  @JsonSubTypes.Type(value = AriEvent.StasisEnd.class, name = "StasisEnd"),
  @JsonSubTypes.Type(value = AriEvent.Dial.class, name = "Dial"),
  @JsonSubTypes.Type(value = AriEvent.ChannelStateChange.class, name = "ChannelStateChange"),
  @JsonSubTypes.Type(value = AriEvent.ChannelHangupRequest.class, name = "ChannelHangupRequest"),
  @JsonSubTypes.Type(value = AriEvent.ChannelDestroyed.class, name = "ChannelDestroyed"),
  @JsonSubTypes.Type(value = AriEvent.ChannelVarset.class, name = "ChannelVarset"),
  @JsonSubTypes.Type(value = AriEvent.ChannelDtmfReceived.class, name = "ChannelDtmfReceived"),
  @JsonSubTypes.Type(value = AriEvent.ChannelEnteredBridge.class, name = "ChannelEnteredBridge"),
  @JsonSubTypes.Type(value = AriEvent.ChannelLeftBridge.class, name = "ChannelLeftBridge"),
  @JsonSubTypes.Type(value = AriEvent.BridgeDestroyed.class, name = "BridgeDestroyed"),
  @JsonSubTypes.Type(value = AriEvent.PlaybackStarted.class, name = "PlaybackStarted"),
  @JsonSubTypes.Type(value = AriEvent.PlaybackFinished.class, name = "PlaybackFinished"),
  @JsonSubTypes.Type(value = AriEvent.ChannelTalkingStarted.class, name = "ChannelTalkingStarted"),
  @JsonSubTypes.Type(
      value = AriEvent.ChannelTalkingFinished.class,
      name = "ChannelTalkingFinished"),
  @JsonSubTypes.Type(value = AriEvent.ApplicationReplaced.class, name = "ApplicationReplaced"),
})
public sealed interface AriEvent
    permits AriEvent.OfChannel,
        AriEvent.Dial,
        AriEvent.ChannelVarset,
        AriEvent.BridgeDestroyed,
        AriEvent.PlaybackStarted,
        AriEvent.PlaybackFinished,
        AriEvent.ApplicationReplaced,
        AriEvent.Unknown {

  Instant timestamp();

  String application();

  /**
   * The id of the channel this event is about (the dialed {@code peer} for {@link Dial}), or null
   * for events that concern no single channel. Routers use it with ids we minted.
   */
  String channelId();

  /** Events whose subject is one channel in the {@code channel} field. */
  sealed interface OfChannel extends AriEvent
      permits StasisStart,
          StasisEnd,
          ChannelStateChange,
          ChannelHangupRequest,
          ChannelDestroyed,
          ChannelDtmfReceived,
          ChannelEnteredBridge,
          ChannelLeftBridge,
          ChannelTalkingStarted,
          ChannelTalkingFinished {
    AriChannel channel();

    @Override
    default String channelId() {
      return channel() == null ? null : channel().id();
    }
  }

  /**
   * The channel entered the app. {@code args} are the Stasis arguments (appArgs); {@code
   * replaceChannel} is set when this channel replaced another one in a bridge.
   */
  record StasisStart(
      Instant timestamp,
      String application,
      List<String> args,
      AriChannel channel,
      AriChannel replaceChannel)
      implements OfChannel {
    public StasisStart {
      args = args == null ? List.of() : List.copyOf(args);
    }
  }

  /** The channel left the app (hangup, continue or move). */
  record StasisEnd(Instant timestamp, String application, AriChannel channel)
      implements OfChannel {}

  /**
   * Progress of a dial. {@code dialstatus} is {@code ""} right after the call is sent, then {@code
   * RINGING}, {@code PROGRESS}, {@code ANSWER}...; never classify outcomes from it (see
   * ari-reference 1.5), only the timeline. {@code caller} is absent for ARI-dialed channels.
   */
  record Dial(
      Instant timestamp,
      String application,
      AriChannel peer,
      AriChannel caller,
      String dialstatus,
      String dialstring,
      String forward)
      implements AriEvent {
    @Override
    public String channelId() {
      return peer == null ? null : peer.id();
    }
  }

  /** The channel's state changed; the new state is {@code channel.state()}. */
  record ChannelStateChange(Instant timestamp, String application, AriChannel channel)
      implements OfChannel {}

  /**
   * Someone asked to hang the channel up. When {@code soft} is true, {@code cause} is a soft-hangup
   * bitmask (32 = explicit, e.g. our DELETE), not a Q.850 cause.
   *
   * @param techCause the far end's SIP status (Asterisk 22.7+), when there is one
   */
  record ChannelHangupRequest(
      Instant timestamp,
      String application,
      AriChannel channel,
      Integer cause,
      Integer techCause,
      Boolean soft)
      implements OfChannel {
    /** Whether {@code cause} is a Q.850 cause rather than a soft-hangup bitmask. */
    public boolean hasQ850Cause() {
      return cause != null && !Boolean.TRUE.equals(soft);
    }
  }

  /**
   * The channel is gone: the authoritative final result.
   *
   * @param cause Q.850 cause
   * @param techCause last SIP status for calls that ended abnormally (486, 404, 487...), absent
   *     after normal clearing
   */
  record ChannelDestroyed(
      Instant timestamp,
      String application,
      AriChannel channel,
      int cause,
      String causeTxt,
      Integer techCause)
      implements OfChannel {}

  /** A channel variable was set; {@code channel} is null for global variables. */
  record ChannelVarset(
      Instant timestamp, String application, AriChannel channel, String variable, String value)
      implements AriEvent {
    @Override
    public String channelId() {
      return channel == null ? null : channel.id();
    }
  }

  /** A DTMF digit ended on the channel; {@code durationMs} is how long it was pressed. */
  record ChannelDtmfReceived(
      Instant timestamp, String application, AriChannel channel, String digit, int durationMs)
      implements OfChannel {}

  /** A channel entered a bridge. {@code channel} is optional in ARI's model. */
  record ChannelEnteredBridge(
      Instant timestamp, String application, AriBridge bridge, AriChannel channel)
      implements OfChannel {}

  /** A channel left a bridge. */
  record ChannelLeftBridge(
      Instant timestamp, String application, AriBridge bridge, AriChannel channel)
      implements OfChannel {}

  /** A bridge was destroyed (only sent while the app is subscribed to it). */
  record BridgeDestroyed(Instant timestamp, String application, AriBridge bridge)
      implements AriEvent {
    @Override
    public String channelId() {
      return null;
    }
  }

  /** A playback started. */
  record PlaybackStarted(Instant timestamp, String application, AriPlayback playback)
      implements AriEvent {
    @Override
    public String channelId() {
      return null;
    }
  }

  /** A playback ended: {@code playback.state()} is {@code done} or {@code failed}. */
  record PlaybackFinished(Instant timestamp, String application, AriPlayback playback)
      implements AriEvent {
    @Override
    public String channelId() {
      return null;
    }
  }

  /** TALK_DETECT saw the channel start talking. */
  record ChannelTalkingStarted(Instant timestamp, String application, AriChannel channel)
      implements OfChannel {}

  /** TALK_DETECT saw the channel stop talking; {@code duration} is the talk time in ms. */
  record ChannelTalkingFinished(
      Instant timestamp, String application, AriChannel channel, int duration)
      implements OfChannel {}

  /** Another WebSocket took this app over; this connection gets no more events for it. */
  record ApplicationReplaced(Instant timestamp, String application) implements AriEvent {
    @Override
    public String channelId() {
      return null;
    }
  }

  /** Any event type we do not model. Kept so that nothing is dropped silently. */
  record Unknown(String type, Instant timestamp, String application) implements AriEvent {
    @Override
    public String channelId() {
      return null;
    }
  }
}
