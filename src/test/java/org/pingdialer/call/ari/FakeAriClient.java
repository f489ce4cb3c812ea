package org.pingdialer.call.ari;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory ARI server for unit tests: channels and bridges with Asterisk's id rules (409 for a
 * live duplicate, 404 for unknown ids), and failure injection for the network in between. It sends
 * no events. Thread-safe (synchronized).
 */
public final class FakeAriClient implements AriClient {
  private final Map<String, AriChannel> channels = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> variables = new HashMap<>();
  private final Map<String, List<String>> bridges = new LinkedHashMap<>();
  private final List<String> requests = new ArrayList<>();
  private final AtomicInteger createsThatLoseTheirResponse = new AtomicInteger();
  private final AtomicInteger createsThatNeverArrive = new AtomicInteger();

  /** The next {@code n} creates make the channel but the response is lost (a timeout). */
  public void loseResponsesOfNextCreates(int n) {
    createsThatLoseTheirResponse.set(n);
  }

  /** The next {@code n} creates fail before reaching Asterisk (connection refused). */
  public void dropNextCreates(int n) {
    createsThatNeverArrive.set(n);
  }

  private volatile int createStatus;

  /** Every later create is answered with this HTTP status (e.g. 500 "Allocation failed"). */
  public void answerCreatesWith(int status) {
    createStatus = status;
  }

  private volatile int dialStatus;

  /** Every later dial is answered with this HTTP status (e.g. 503 from an overloaded PBX). */
  public void answerDialsWith(int status) {
    dialStatus = status;
  }

  /** Every request made, as {@code METHOD target}. */
  public synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public String application() {
    return "fake";
  }

  @Override
  public synchronized void createChannel(ChannelSpec spec) {
    requests.add("create " + spec.channelId());
    if (createsThatNeverArrive.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new UncheckedIOException(new IOException("connection refused"));
    }
    if (createStatus != 0) {
      throw new AriException(createStatus, "POST /ari/channels/create", "Allocation failed");
    }
    if (channels.containsKey(spec.channelId())) {
      throw new AriException(
          409, "POST /ari/channels/create", "Channel with given unique ID already exists");
    }
    var channel =
        new AriChannel(
            spec.channelId(),
            spec.endpoint(),
            ChannelState.DOWN,
            null,
            null,
            null,
            Instant.EPOCH,
            null);
    channels.put(spec.channelId(), channel);
    if (createsThatLoseTheirResponse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new UncheckedIOException(new IOException("timeout"));
    }
  }

  @Override
  public synchronized void dial(String channelId, Duration ringTimeout) {
    requests.add("dial " + channelId);
    requireChannel(channelId);
    if (dialStatus != 0) {
      throw new AriException(dialStatus, "POST /ari/channels/" + channelId + "/dial", "failed");
    }
  }

  @Override
  public synchronized void hangup(String channelId, String reason) {
    requests.add("hangup " + channelId);
    requireChannel(channelId);
    channels.remove(channelId);
    bridges.values().forEach(members -> members.remove(channelId));
  }

  /** Sets a channel's state, as Asterisk would after a ring or an answer. */
  public synchronized void setState(String channelId, ChannelState state) {
    requireChannel(channelId);
    AriChannel c = channels.get(channelId);
    channels.put(
        channelId,
        new AriChannel(
            c.id(),
            c.name(),
            state,
            c.caller(),
            c.connected(),
            c.dialplan(),
            c.creationtime(),
            c.channelvars()));
  }

  @Override
  public synchronized void answer(String channelId) {
    requireChannel(channelId);
  }

  @Override
  public synchronized void continueInDialplan(
      String channelId, String context, String extension, int priority) {
    requests.add("continue " + channelId + " " + context + "," + extension + "," + priority);
    requireChannel(channelId);
  }

  private volatile boolean channelQueriesFail;

  /** While set, asking for a channel fails on the way (as with a timeout) and is recorded. */
  public void failChannelQueries(boolean fail) {
    channelQueriesFail = fail;
  }

  @Override
  public synchronized Optional<AriChannel> channel(String channelId) {
    if (channelQueriesFail) {
      requests.add("get " + channelId); // only the failed ones: other tests count requests
      throw new java.io.UncheckedIOException(new java.io.IOException("timeout"));
    }
    return Optional.ofNullable(channels.get(channelId));
  }

  @Override
  public synchronized List<AriChannel> channels() {
    return List.copyOf(channels.values());
  }

  @Override
  public synchronized Optional<String> variable(String channelId, String name) {
    requireChannel(channelId);
    return Optional.ofNullable(variables.getOrDefault(channelId, Map.of()).get(name));
  }

  @Override
  public synchronized void setVariable(String channelId, String name, String value) {
    requireChannel(channelId);
    variables.computeIfAbsent(channelId, id -> new HashMap<>()).put(name, value);
  }

  @Override
  public synchronized AriPlayback playOnChannel(
      String channelId, String playbackId, List<String> media) {
    requireChannel(channelId);
    requests.add("play " + channelId);
    var playback = new AriPlayback(playbackId, media.get(0), "channel:" + channelId, "queued");
    playbacks.put(playbackId, playback);
    return playback;
  }

  private final Map<String, AriPlayback> playbacks = new HashMap<>();

  @Override
  public synchronized void startMoh(String channelId, String mohClass) {
    requireChannel(channelId);
    requests.add("moh " + channelId + " " + mohClass);
  }

  @Override
  public synchronized void stopMoh(String channelId) {
    requireChannel(channelId);
    requests.add("moh-stop " + channelId);
  }

  @Override
  public synchronized void record(String channelId, String name, Duration maxLength) {
    requireChannel(channelId);
    requests.add("record " + channelId + " " + name);
  }

  /** The playback ends, as Asterisk would at the end of its media. */
  public synchronized void finishPlayback(String playbackId) {
    playbacks.remove(playbackId);
  }

  @Override
  public synchronized Optional<AriPlayback> playback(String playbackId) {
    return Optional.ofNullable(playbacks.get(playbackId));
  }

  @Override
  public synchronized AriBridge createBridge(String bridgeId, String type, String name) {
    if (bridges.putIfAbsent(bridgeId, new ArrayList<>()) != null) {
      throw new AriException(409, "POST /ari/bridges/" + bridgeId, "Bridge with id exists");
    }
    return new AriBridge(bridgeId, "simple_bridge", type, "stasis", name, List.of());
  }

  @Override
  public synchronized void addToBridge(String bridgeId, String channelId) {
    requests.add("addToBridge " + bridgeId + " " + channelId);
    if (!channels.containsKey(channelId)) {
      throw new AriException(
          400, "POST /ari/bridges/" + bridgeId + "/addChannel", "Channel not found");
    }
    requireBridge(bridgeId).add(channelId);
  }

  @Override
  public synchronized void removeFromBridge(String bridgeId, String channelId) {
    if (!requireBridge(bridgeId).remove(channelId)) {
      throw new AriException(
          422, "POST /ari/bridges/" + bridgeId + "/removeChannel", "Channel not in bridge");
    }
  }

  @Override
  public synchronized void destroyBridge(String bridgeId) {
    requireBridge(bridgeId);
    bridges.remove(bridgeId);
  }

  @Override
  public synchronized Optional<AriBridge> bridge(String bridgeId) {
    return Optional.ofNullable(bridges.get(bridgeId))
        .map(members -> new AriBridge(bridgeId, "simple_bridge", "mixing", "stasis", "", members));
  }

  @Override
  public synchronized List<AriBridge> bridges() {
    return bridges.keySet().stream().map(id -> bridge(id).orElseThrow()).toList();
  }

  @Override
  public synchronized AriPlayback playOnBridge(
      String bridgeId, String playbackId, List<String> media) {
    requireBridge(bridgeId);
    return new AriPlayback(playbackId, media.get(0), "bridge:" + bridgeId, "queued");
  }

  @Override
  public void stopPlayback(String playbackId) {}

  @Override
  public void allowOnlyEvents(Set<String> eventTypes) {}

  @Override
  public void subscribe(String eventSource) {}

  @Override
  public synchronized ApplicationState applicationState() {
    return new ApplicationState(
        "fake",
        List.copyOf(channels.keySet()),
        List.copyOf(bridges.keySet()),
        List.of(),
        List.of());
  }

  @Override
  public AsteriskInfo asteriskInfo() {
    return new AsteriskInfo(
        new AsteriskInfo.SystemInfo("22.10.1-fake", "00:00:00:00:00:00"),
        new AsteriskInfo.StatusInfo(startedAt, startedAt));
  }

  private volatile Instant startedAt = Instant.EPOCH;

  /** Asterisk "restarted": its startup time is now {@code at}. */
  public void restartedAt(Instant at) {
    startedAt = at;
  }

  @Override
  public Optional<String> endpointState(String technology, String resource) {
    return Optional.of("online");
  }

  @Override
  public Set<String> documentedEventTypes() {
    return Set.of();
  }

  private void requireChannel(String channelId) {
    if (!channels.containsKey(channelId)) {
      throw new AriException(404, "/ari/channels/" + channelId, "Channel not found");
    }
  }

  private List<String> requireBridge(String bridgeId) {
    List<String> members = bridges.get(bridgeId);
    if (members == null) {
      throw new AriException(404, "/ari/bridges/" + bridgeId, "Bridge not found");
    }
    return members;
  }
}
