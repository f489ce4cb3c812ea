package org.pingdialer.campaign.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads inbound queue files (YAML, see {@code asterisk-config/queues/lab-support.yaml}) the way
 * campaign files are read: every problem names its dotted path and all are reported together.
 */
public final class QueueFiles {
  private static final List<String> KEYS =
      List.of(
          "name",
          "dids",
          "agents",
          "agent_group",
          "priority",
          "reserve",
          "service_level",
          "announcement",
          "music_on_hold",
          "position_every",
          "max_wait",
          "overflow",
          "callback",
          "voicemail",
          "wrap_up");
  private static final List<String> SERVICE_KEYS = List.of("answered_within", "target");
  private static final List<String> EXPECTED_KEYS = List.of("calls_per_hour", "handle_time");
  private static final List<String> CALLBACK_KEYS = List.of("key", "offer", "list");
  private static final List<String> VOICEMAIL_KEYS = List.of("prompt", "max_length");

  /** A number as the carrier sends it in the request URI: digits only, E.164 length. */
  private static final Pattern DID = Pattern.compile("\\d{3,15}");

  private static final Pattern MOH_CLASS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern KEY = Pattern.compile("[0-9*#]");
  private static final String OVERFLOWS = "hangup, voicemail, callback or queue:<name>";

  private QueueFiles() {}

  /** Reads {@code file}; problems name it as given. */
  public static InboundQueue load(Path file) throws CampaignFileException {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      Problems problems = new Problems(file.toString());
      problems.add("file", "cannot be read (" + e + ")");
      throw problems.exception();
    }
    return parse(yaml, file.toString());
  }

  /** Reads queue YAML from memory; {@code sourceName} names it in problems. */
  public static InboundQueue parse(String yaml, String sourceName) throws CampaignFileException {
    Problems problems = new Problems(sourceName);
    JsonNode root;
    try {
      root = CampaignFiles.YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      CampaignFiles.syntaxError(e, problems);
      throw problems.exception();
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      problems.add("file", "is empty; start from asterisk-config/queues/lab-support.yaml");
      throw problems.exception();
    }
    Optional<InboundQueue> queue = read(root, problems);
    if (queue.isEmpty() || !problems.isEmpty()) {
      throw problems.exception();
    }
    return queue.get();
  }

  private static Optional<InboundQueue> read(JsonNode root, Problems problems) {
    Optional<YamlMap> opened = YamlMap.open(root, "", problems, KEYS);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap file = opened.get();
    file.require("name", "the queue's name, e.g. support");
    Optional<String> name = file.text("name");
    if (name.isPresent() && !CampaignReader.NAME.matcher(name.get()).matches()) {
      problems.add(
          file.path("name"),
          "must be 1-32 characters a-z, 0-9 and '-', starting with a letter or digit",
          name.get());
    }
    List<String> dids = dids(file);
    Campaign.Share share = CampaignReader.share(file);
    Optional<String> agentGroup = file.text("agent_group");
    if (!file.has("priority")) {
      share = new Campaign.Share(InboundQueue.DEFAULT_PRIORITY, share.weight(), share.agents());
    }
    InboundQueue.ServiceLevel serviceLevel =
        file.map("service_level", SERVICE_KEYS)
            .map(QueueFiles::serviceLevel)
            .orElse(InboundQueue.ServiceLevel.USUAL);
    InboundQueue.Reserve reserve = reserve(file);
    List<String> announcement =
        file.has("announcement")
            ? emptyOrSounds(file, "announcement")
            : List.of("pls-hold-while-try");
    String moh = file.text("music_on_hold").orElse("default");
    if (!MOH_CLASS.matcher(moh).matches()) {
      problems.add(
          file.path("music_on_hold"),
          "must be a music-on-hold class of the PBX's musiconhold.conf, e.g. default",
          moh);
    }
    Duration positionEvery =
        within(file, "position_every", Duration.ofSeconds(30), Duration.ZERO, Duration.ofHours(1));
    Duration maxWait =
        within(file, "max_wait", Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofHours(2));
    Duration wrapUp =
        within(file, "wrap_up", Duration.ofSeconds(10), Duration.ZERO, Duration.ofHours(1));
    Optional<InboundQueue.CallbackOffer> callback =
        file.map("callback", CALLBACK_KEYS).flatMap(QueueFiles::callback);
    InboundQueue.Voicemail voicemail =
        file.map("voicemail", VOICEMAIL_KEYS)
            .map(QueueFiles::voicemail)
            .orElse(InboundQueue.Voicemail.USUAL);
    InboundQueue.Overflow overflow = overflow(file, callback, name);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new InboundQueue(
            name.get(),
            dids,
            share,
            agentGroup,
            reserve,
            serviceLevel,
            announcement,
            moh,
            positionEvery,
            maxWait,
            overflow,
            callback,
            voicemail,
            wrapUp));
  }

  private static List<String> dids(YamlMap file) {
    file.require("dids", "the numbers that ring this queue, e.g. [\"4930888100\"]");
    Optional<JsonNode> node = file.node("dids");
    Set<String> dids = new LinkedHashSet<>();
    if (node.isEmpty()) {
      return List.of();
    }
    if (!node.get().isArray() || node.get().isEmpty()) {
      file.problems()
          .add(
              file.path("dids"),
              "must be a list of numbers in quotes, e.g. [\"4930888100\"]",
              YamlMap.show(node.get()));
      return List.of();
    }
    for (int i = 0; i < node.get().size(); i++) {
      String place = file.path("dids") + "[" + i + "]";
      JsonNode item = node.get().get(i);
      String did = item.isIntegralNumber() ? item.asText() : file.text(item, place).orElse(null);
      if (did == null) {
        continue;
      }
      if (!DID.matcher(did).matches()) {
        file.problems()
            .add(
                place,
                "must be the number as the carrier sends it: 3-15 digits, no '+' or spaces",
                did);
      } else if (!dids.add(did)) {
        file.problems().add(place, "is listed twice", did);
      }
    }
    return List.copyOf(dids);
  }

  private static InboundQueue.ServiceLevel serviceLevel(YamlMap map) {
    Duration within = map.duration("answered_within").orElse(Duration.ofSeconds(20));
    if (within.isZero() || within.compareTo(Duration.ofHours(1)) > 0) {
      map.problems()
          .add(map.path("answered_within"), "must be above 0 and at most 1h", within.toString());
    }
    double target = map.number("target").orElse(0.8);
    if (!(target > 0 && target < 1)) {
      map.problems()
          .add(
              map.path("target"),
              "must be a share above 0 and below 1, e.g. 0.8 for 80 %",
              String.valueOf(target));
      target = 0.8;
    }
    return new InboundQueue.ServiceLevel(within, target);
  }

  /** {@code reserve: 2} (agents) or {@code reserve: {calls_per_hour: 60, handle_time: 3m}}. */
  private static InboundQueue.Reserve reserve(YamlMap file) {
    Optional<JsonNode> node = file.node("reserve");
    if (node.isEmpty()) {
      return InboundQueue.Reserve.Agents.NONE;
    }
    if (node.get().isIntegralNumber() && node.get().asInt() >= 0 && node.get().asInt() <= 1000) {
      return new InboundQueue.Reserve.Agents(node.get().asInt());
    }
    if (node.get().isObject()) {
      Optional<YamlMap> map = file.map("reserve", EXPECTED_KEYS);
      if (map.isEmpty()) {
        return InboundQueue.Reserve.Agents.NONE;
      }
      map.get().require("calls_per_hour", "the calls expected per hour, e.g. 60");
      map.get().require("handle_time", "the mean talk and wrap-up per call, e.g. 3m");
      double rate = map.get().number("calls_per_hour").orElse(0);
      if (!(rate >= 0 && rate <= 100_000)) {
        map.get()
            .problems()
            .add(map.get().path("calls_per_hour"), "must be 0 to 100000", String.valueOf(rate));
        rate = 0;
      }
      Duration handle = map.get().duration("handle_time").orElse(Duration.ZERO);
      return new InboundQueue.Reserve.Expected(rate, handle);
    }
    file.problems()
        .add(
            file.path("reserve"),
            "must be a number of agents (0-1000), or {calls_per_hour: N, handle_time: 3m} to size"
                + " it for the service level (Erlang C)",
            YamlMap.show(node.get()));
    return InboundQueue.Reserve.Agents.NONE;
  }

  /** A list of sound names, which may be empty ({@code []}: nothing is played). */
  private static List<String> emptyOrSounds(YamlMap file, String key) {
    Optional<JsonNode> node = file.node(key);
    if (node.isPresent() && node.get().isArray() && node.get().isEmpty()) {
      return List.of();
    }
    return CampaignReader.sounds(file, key).orElse(List.of());
  }

  private static Duration within(
      YamlMap file, String key, Duration fallback, Duration least, Duration most) {
    Duration value = file.duration(key).orElse(fallback);
    if (value.compareTo(least) < 0 || value.compareTo(most) > 0) {
      file.problems()
          .add(
              file.path(key),
              "must be from " + Durations.format(least) + " to " + Durations.format(most),
              Durations.format(value));
      return fallback;
    }
    return value;
  }

  private static Optional<InboundQueue.CallbackOffer> callback(YamlMap map) {
    map.require("list", "the lead list the callers' numbers go to, e.g. support-callbacks");
    String key = map.text("key").orElse("1");
    if (!KEY.matcher(key).matches()) {
      map.problems().add(map.path("key"), "must be one key: 0-9, * or #", key);
    }
    List<String> offer =
        map.has("offer")
            ? emptyOrSounds(map, "offer")
            : List.of("vm-press", "digits/" + key, "vm-tocallback");
    Optional<String> list = map.text("list");
    if (list.isPresent() && !CampaignReader.NAME.matcher(list.get()).matches()) {
      map.problems()
          .add(map.path("list"), "must be a lead list name: a-z, 0-9 and '-'", list.get());
    }
    return list.map(l -> new InboundQueue.CallbackOffer(key, offer, l));
  }

  private static InboundQueue.Voicemail voicemail(YamlMap map) {
    List<String> prompt =
        map.has("prompt") ? emptyOrSounds(map, "prompt") : InboundQueue.Voicemail.USUAL.prompt();
    Duration most =
        within(
            map,
            "max_length",
            Duration.ofMinutes(2),
            Duration.ofSeconds(5),
            Duration.ofMinutes(30));
    return new InboundQueue.Voicemail(prompt, most);
  }

  private static InboundQueue.Overflow overflow(
      YamlMap file, Optional<InboundQueue.CallbackOffer> callback, Optional<String> name) {
    String text = file.text("overflow").orElse("hangup");
    switch (text) {
      case "hangup" -> {
        return new InboundQueue.Overflow.Hangup();
      }
      case "voicemail" -> {
        return new InboundQueue.Overflow.ToVoicemail();
      }
      case "callback" -> {
        if (callback.isEmpty()) {
          file.problems()
              .add(
                  file.path("overflow"),
                  "callback needs callback: {list: <lead list>} to put the callers' numbers in",
                  text);
          return new InboundQueue.Overflow.Hangup();
        }
        return new InboundQueue.Overflow.ToCallback(callback.get().list());
      }
      default -> {
        if (text.startsWith("queue:")) {
          String other = text.substring("queue:".length()).strip();
          if (!CampaignReader.NAME.matcher(other).matches()) {
            file.problems()
                .add(file.path("overflow"), "queue:<name> needs another queue's name", text);
          } else if (name.isPresent() && name.get().equals(other)) {
            file.problems()
                .add(file.path("overflow"), "cannot overflow into the queue itself", text);
          } else {
            return new InboundQueue.Overflow.ToQueue(other);
          }
          return new InboundQueue.Overflow.Hangup();
        }
        file.problems().add(file.path("overflow"), "must be " + OVERFLOWS, text);
        return new InboundQueue.Overflow.Hangup();
      }
    }
  }
}
