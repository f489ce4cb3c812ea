package org.pingdialer.campaign.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads simulator scenario files (YAML, see {@code bench/scenarios/blended.yaml}) the way campaign
 * files are read: every problem names its dotted path and all are reported together.
 */
public final class ScenarioFiles {
  private static final List<String> KEYS =
      List.of("agents", "hours", "warm_up", "seed", "campaigns", "inbound");
  private static final List<String> CAMPAIGN_KEYS =
      List.of("name", "priority", "weight", "mode", "max_abandon", "ratio", "members", "callees");
  private static final List<String> CALLEE_KEYS =
      List.of(
          "live_rate",
          "machine_rate",
          "ring_min",
          "ring_max",
          "no_answer_after",
          "talk_mean",
          "talk_sigma",
          "wrap");
  private static final List<String> INBOUND_KEYS =
      List.of(
          "name",
          "calls_per_hour",
          "talk_mean",
          "talk_sigma",
          "wrap",
          "patience",
          "answered_within",
          "service_level",
          "reserve",
          "members");
  private static final List<String> MODES =
      List.of("progressive", "power", "vicidial", "predictive");
  private static final Pattern RANGE = Pattern.compile("(\\d+)\\s*-\\s*(\\d+)");
  private static final int MOST_AGENTS = 1000;

  private ScenarioFiles() {}

  /** Reads {@code file}; problems name it as given. */
  public static Scenario load(Path file) throws CampaignFileException {
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

  /** Reads scenario YAML from memory; {@code sourceName} names it in problems. */
  public static Scenario parse(String yaml, String sourceName) throws CampaignFileException {
    Problems problems = new Problems(sourceName);
    JsonNode root;
    try {
      root = CampaignFiles.YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      CampaignFiles.syntaxError(e, problems);
      throw problems.exception();
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      problems.add("file", "is empty; start from bench/scenarios/blended.yaml");
      throw problems.exception();
    }
    Optional<Scenario> scenario = read(root, problems);
    if (scenario.isEmpty() || !problems.isEmpty()) {
      throw problems.exception();
    }
    return scenario.get();
  }

  private static Optional<Scenario> read(JsonNode root, Problems problems) {
    Optional<YamlMap> opened = YamlMap.open(root, "", problems, KEYS);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap file = opened.get();
    file.require("agents", "how many agents the pool has, e.g. 20");
    int agents = file.positiveInt("agents").orElse(0);
    if (agents > MOST_AGENTS) {
      problems.add("agents", "must be at most " + MOST_AGENTS, String.valueOf(agents));
      agents = 0;
    }
    double hours = file.number("hours").orElse(8);
    if (!(hours > 0 && hours <= 720)) {
      problems.add("hours", "must be above 0 and at most 720", String.valueOf(hours));
    }
    Duration warmUp = file.duration("warm_up").orElse(Duration.ofHours(1));
    long seed = 1;
    if (file.has("seed")) {
      JsonNode value = file.node("seed").orElseThrow();
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        seed = value.asLong();
      } else {
        problems.add("seed", "must be a whole number", YamlMap.show(value));
      }
    }
    List<Scenario.Outbound> campaigns = new ArrayList<>();
    List<Scenario.Inbound> queues = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlMap item : list(file, "campaigns", CAMPAIGN_KEYS)) {
      campaign(item, agents, names).ifPresent(campaigns::add);
    }
    for (YamlMap item : list(file, "inbound", INBOUND_KEYS)) {
      inbound(item, agents, names).ifPresent(queues::add);
    }
    if (campaigns.isEmpty() && queues.isEmpty() && problems.isEmpty()) {
      problems.add("campaigns", "required: at least one campaign or inbound queue");
    }
    return Optional.of(new Scenario(agents, hours, warmUp, seed, campaigns, queues));
  }

  /** The mappings of a list under {@code key}, each opened with {@code keys}. */
  private static List<YamlMap> list(YamlMap file, String key, List<String> keys) {
    List<YamlMap> items = new ArrayList<>();
    Optional<JsonNode> node = file.node(key);
    if (node.isEmpty()) {
      return items;
    }
    if (!node.get().isArray()) {
      file.problems().add(key, "must be a list of mappings (- name: …)", YamlMap.show(node.get()));
      return items;
    }
    for (int i = 0; i < node.get().size(); i++) {
      YamlMap.open(node.get().get(i), key + "[" + i + "]", file.problems(), keys)
          .ifPresent(items::add);
    }
    return items;
  }

  private static Optional<String> name(YamlMap item, Set<String> names) {
    item.require("name", "a name for the reports");
    Optional<String> name = item.text("name");
    if (name.isPresent() && !names.add(name.get())) {
      item.problems()
          .add(item.path("name"), "is used twice; each campaign and queue needs its own name");
    }
    return name;
  }

  private static Optional<Scenario.Outbound> campaign(YamlMap item, int agents, Set<String> names) {
    Optional<String> name = name(item, names);
    int priority = item.positiveInt("priority").orElse(1);
    int weight = item.positiveInt("weight").orElse(1);
    String mode = item.text("mode").orElse("predictive");
    if (!MODES.contains(mode)) {
      item.problems().add(item.path("mode"), "must be one of " + String.join(", ", MODES), mode);
    }
    double maxAbandon = item.number("max_abandon").orElse(0.03);
    if (!(maxAbandon > 0 && maxAbandon < 1)) {
      item.problems()
          .add(
              item.path("max_abandon"),
              "must be above 0 and below 1, e.g. 0.03",
              String.valueOf(maxAbandon));
    }
    double ratio = item.number("ratio").orElse(2.0);
    if (!(ratio >= 1 && ratio <= 3)) {
      item.problems().add(item.path("ratio"), "must be from 1.0 to 3.0", String.valueOf(ratio));
    }
    Scenario.Callees callees =
        item.map("callees", CALLEE_KEYS).map(ScenarioFiles::callees).orElse(standardCallees());
    Set<Integer> members = members(item, agents);
    return name.map(
        n -> new Scenario.Outbound(n, priority, weight, mode, maxAbandon, ratio, callees, members));
  }

  /** The simulator's standard population: 20 % live after 3–15 s, 10 % machines, 120 s talk. */
  public static Scenario.Callees standardCallees() {
    return new Scenario.Callees(
        0.20,
        0.10,
        Duration.ofSeconds(3),
        Duration.ofSeconds(15),
        Duration.ofSeconds(20),
        Duration.ofMinutes(2),
        0.8,
        Duration.ofSeconds(10));
  }

  private static Scenario.Callees callees(YamlMap map) {
    Scenario.Callees standard = standardCallees();
    double live = share(map, "live_rate", standard.liveRate());
    double machine = share(map, "machine_rate", standard.machineRate());
    if (live + machine > 1) {
      map.problems()
          .add(map.path("machine_rate"), "live_rate and machine_rate add up to more than 1");
    }
    Duration ringMin = map.duration("ring_min").orElse(standard.ringMin());
    Duration ringMax = map.duration("ring_max").orElse(standard.ringMax());
    if (ringMin.compareTo(ringMax) > 0) {
      map.problems().add(map.path("ring_min"), "must not be longer than ring_max");
    }
    return new Scenario.Callees(
        live,
        machine,
        ringMin,
        ringMax,
        positive(map, "no_answer_after", standard.noAnswerAfter()),
        positive(map, "talk_mean", standard.talkMean()),
        sigma(map, standard.talkSigma()),
        map.duration("wrap").orElse(standard.wrap()));
  }

  private static Optional<Scenario.Inbound> inbound(YamlMap item, int agents, Set<String> names) {
    Optional<String> name = name(item, names);
    item.require("calls_per_hour", "how many callers arrive an hour, e.g. 60");
    double callsPerHour = item.number("calls_per_hour").orElse(1);
    if (!(callsPerHour > 0)) {
      item.problems()
          .add(item.path("calls_per_hour"), "must be above 0", String.valueOf(callsPerHour));
    }
    double serviceLevel = item.number("service_level").orElse(0.8);
    if (!(serviceLevel > 0 && serviceLevel < 1)) {
      item.problems()
          .add(
              item.path("service_level"),
              "must be above 0 and below 1, e.g. 0.8 for 80 %",
              String.valueOf(serviceLevel));
    }
    OptionalInt reserve = OptionalInt.of(0);
    Optional<JsonNode> reserveNode = item.node("reserve");
    if (reserveNode.isPresent() && reserveNode.get().asText().equals("auto")) {
      reserve = OptionalInt.empty();
    } else if (reserveNode.isPresent()) {
      JsonNode v = reserveNode.get();
      if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 0) {
        reserve = OptionalInt.of(v.asInt());
      } else {
        item.problems()
            .add(
                item.path("reserve"),
                "must be auto (Erlang C) or a whole number of agents, 0 or more",
                YamlMap.show(v));
      }
    }
    Duration talkMean = positive(item, "talk_mean", Duration.ofMinutes(3));
    double sigma = sigma(item, 0.6);
    Duration wrap = item.duration("wrap").orElse(Duration.ofSeconds(10));
    Duration patience = positive(item, "patience", Duration.ofMinutes(1));
    Duration within = item.duration("answered_within").orElse(Duration.ofSeconds(20));
    Set<Integer> members = members(item, agents);
    OptionalInt kept = reserve;
    return name.map(
        n ->
            new Scenario.Inbound(
                n,
                callsPerHour,
                talkMean,
                sigma,
                wrap,
                patience,
                within,
                serviceLevel,
                kept,
                members));
  }

  private static double share(YamlMap map, String key, double otherwise) {
    double value = map.number(key).orElse(otherwise);
    if (!(value >= 0 && value <= 1)) {
      map.problems().add(map.path(key), "must be from 0 to 1", String.valueOf(value));
      return otherwise;
    }
    return value;
  }

  private static double sigma(YamlMap map, double otherwise) {
    double value = map.number("talk_sigma").orElse(otherwise);
    if (!(value >= 0 && value <= 3)) {
      map.problems()
          .add(map.path("talk_sigma"), "must be from 0 to 3, e.g. 0.8", String.valueOf(value));
      return otherwise;
    }
    return value;
  }

  private static Duration positive(YamlMap map, String key, Duration otherwise) {
    Duration value = map.duration(key).orElse(otherwise);
    if (value.isZero() || value.isNegative()) {
      map.problems().add(map.path(key), "must be longer than 0", value.toString());
      return otherwise;
    }
    return value;
  }

  /**
   * The agents named by {@code members}: {@code all} (the default), a number, a range {@code 1-10},
   * or a list of numbers and ranges; numbered from 1 in the file, from 0 in the result.
   */
  private static Set<Integer> members(YamlMap item, int agents) {
    Set<Integer> all = new TreeSet<>();
    for (int i = 0; i < agents; i++) {
      all.add(i);
    }
    Optional<JsonNode> node = item.node("members");
    if (node.isEmpty() || node.get().asText().equals("all")) {
      return all;
    }
    List<JsonNode> parts = new ArrayList<>();
    if (node.get().isArray()) {
      node.get().forEach(parts::add);
    } else {
      parts.add(node.get());
    }
    Set<Integer> members = new TreeSet<>();
    String place = item.path("members");
    for (JsonNode part : parts) {
      String text = part.asText().strip();
      Matcher range = RANGE.matcher(text);
      int from;
      int to;
      if (part.isIntegralNumber()) {
        from = part.asInt();
        to = from;
      } else if (range.matches()) {
        from = Integer.parseInt(range.group(1));
        to = Integer.parseInt(range.group(2));
      } else {
        item.problems()
            .add(
                place,
                "must be all, an agent's number, a range such as 1-10, or a list of them",
                YamlMap.show(part));
        continue;
      }
      if (from < 1 || to > agents || from > to) {
        item.problems()
            .add(place, "agents are numbered 1 to " + agents + " here", YamlMap.show(part));
        continue;
      }
      for (int agent = from; agent <= to; agent++) {
        members.add(agent - 1);
      }
    }
    if (members.isEmpty() && agents > 0) {
      item.problems().add(place, "names no agent", YamlMap.show(node.get()));
    }
    return members;
  }
}
