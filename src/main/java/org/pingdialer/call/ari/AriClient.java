package org.pingdialer.call.ari;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ARI operations a dialer needs. Every method is a blocking REST call: call it from a command
 * executor, never from the WebSocket reader or a campaign loop. Methods throw {@link AriException}
 * for an ARI error status and {@link java.io.UncheckedIOException} for broken I/O. Thread-safe.
 */
public interface AriClient {

  /** The Stasis app this client works for. */
  String application();

  // --- channels -------------------------------------------------------------------------------

  /**
   * {@code POST /channels/create}: builds the channel, which enters our app at once (StasisStart in
   * state Down) without calling anyone. Use an id we minted: a retry of the same id gets {@link
   * AriException.Kind#CONFLICT} while the first channel lives. Asterisk's description of the new
   * channel is not decoded: every caller knows the channel by the id it chose, and its events say
   * the rest (decoding it was a visible share of the engine's request CPU).
   */
  void createChannel(ChannelSpec spec);

  /**
   * {@code POST /channels/{id}/dial}: calls the created channel. Returns when Asterisk accepted the
   * request, not when the far end did. {@code ringTimeout} zero means ring until the far end gives
   * up (Asterisk's default); the dialer always passes one.
   */
  void dial(String channelId, Duration ringTimeout);

  /** {@code DELETE /channels/{id}} with a reason such as {@code normal}, {@code no_answer}. */
  void hangup(String channelId, String reason);

  void answer(String channelId);

  /** Leaves Stasis and continues in the dialplan (e.g. the AMD round trip). */
  void continueInDialplan(String channelId, String context, String extension, int priority);

  Optional<AriChannel> channel(String channelId);

  List<AriChannel> channels();

  /** The value of a channel variable or dialplan function, empty when it is not set. */
  Optional<String> variable(String channelId, String name);

  void setVariable(String channelId, String name, String value);

  /** Plays media URIs ({@code sound:}, {@code tone:}, ...) in order, to this channel only. */
  AriPlayback playOnChannel(String channelId, String playbackId, List<String> media);

  /** Starts the PBX's music on hold of {@code mohClass} on the channel (until {@link #stopMoh}). */
  void startMoh(String channelId, String mohClass);

  /** Stops the channel's music on hold; nothing happens when none plays. */
  void stopMoh(String channelId);

  /**
   * Records what the channel's caller says into the PBX's recordings as {@code name.wav}, for at
   * most {@code maxLength}, ending early on '#'. A recording of that name is replaced.
   */
  void record(String channelId, String name, Duration maxLength);

  // --- bridges --------------------------------------------------------------------------------

  /**
   * Creates a bridge with our id; {@code type} such as {@code mixing} or {@code
   * mixing,dtmf_events}.
   */
  AriBridge createBridge(String bridgeId, String type, String name);

  /**
   * Adds a channel to a bridge (moving it out of any other Stasis bridge). Connected-line updates
   * are inhibited so the agent's phone is not re-INVITEd for every customer.
   */
  void addToBridge(String bridgeId, String channelId);

  void removeFromBridge(String bridgeId, String channelId);

  /** Destroys the bridge; Stasis channels in it stay in the app (they are not hung up). */
  void destroyBridge(String bridgeId);

  Optional<AriBridge> bridge(String bridgeId);

  List<AriBridge> bridges();

  AriPlayback playOnBridge(String bridgeId, String playbackId, List<String> media);

  /** Stops a playback; a playback that already finished is not an error. */
  void stopPlayback(String playbackId);

  /** A playback still queued or playing; empty once it is done (Asterisk forgets it then). */
  Optional<AriPlayback> playback(String playbackId);

  // --- application and server -----------------------------------------------------------------

  /**
   * Replaces our app's event filter with an allow-list of event types. The filter lives on the app
   * object, which Asterisk drops when no socket and no subscription is left: set it on every
   * connect.
   */
  void allowOnlyEvents(Set<String> eventTypes);

  /** Subscribes our app to {@code channel:ID}, {@code bridge:ID} or {@code endpoint:PJSIP/x}. */
  void subscribe(String eventSource);

  /** Ids of the channels and bridges our app currently holds. */
  ApplicationState applicationState();

  AsteriskInfo asteriskInfo();

  /**
   * The state of an endpoint ({@code online}, {@code offline}, {@code unknown}), e.g. {@code
   * PJSIP}/{@code carrier}; empty when no such endpoint exists.
   */
  Optional<String> endpointState(String technology, String resource);

  /** Every event type the running Asterisk documents in {@code /api-docs/events.json}. */
  Set<String> documentedEventTypes();

  /**
   * Our app as {@code GET /applications/{app}} shows it: the channels, bridges and endpoints it is
   * subscribed to, and its event filter.
   */
  record ApplicationState(
      String name,
      List<String> channelIds,
      List<String> bridgeIds,
      List<String> endpointIds,
      List<EventType> eventsAllowed) {
    public ApplicationState {
      endpointIds = endpointIds == null ? List.of() : List.copyOf(endpointIds);
      channelIds = channelIds == null ? List.of() : List.copyOf(channelIds);
      bridgeIds = bridgeIds == null ? List.of() : List.copyOf(bridgeIds);
      eventsAllowed = eventsAllowed == null ? List.of() : List.copyOf(eventsAllowed);
    }

    /** One entry of an event filter. */
    public record EventType(String type) {}
  }

  /**
   * What {@link #createChannel} sends.
   *
   * @param endpoint {@code Tech/resource}, e.g. {@code PJSIP/4930999100001@carrier}
   * @param channelId our id; must not be a prefix of another live channel's id (Asterisk 22 rejects
   *     it), so use fixed-width ids
   * @param formats e.g. {@code ulaw}; without a codec Asterisk transcodes every bridged frame
   * @param appArgs Stasis arguments, may be empty
   * @param variables channel variables (or functions such as {@code CONNECTEDLINE(num,i)})
   */
  record ChannelSpec(
      String endpoint,
      String channelId,
      String formats,
      List<String> appArgs,
      Map<String, String> variables) {
    public ChannelSpec {
      appArgs = appArgs == null ? List.of() : List.copyOf(appArgs);
      variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    public static ChannelSpec of(String endpoint, String channelId) {
      return new ChannelSpec(endpoint, channelId, "ulaw", List.of(), Map.of());
    }
  }
}
