package org.pingdialer.campaign.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.pingdialer.call.DialOutcome;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.DialPolicy.Profile;
import org.pingdialer.campaign.spec.Campaign.AttemptCaps;
import org.pingdialer.campaign.spec.Campaign.CallingWindows;
import org.pingdialer.campaign.spec.Campaign.DropMessage;
import org.pingdialer.campaign.spec.Campaign.LineCheck;
import org.pingdialer.campaign.spec.Campaign.Pacing;
import org.pingdialer.campaign.spec.Campaign.RetryRule;
import org.pingdialer.lead.PhoneNumber;
import org.pingdialer.lead.PhoneNumbers;

/**
 * Converts the YAML tree of one campaign file into a {@link Campaign}, checking the rules of its
 * compliance profile (shared/docs/domain.md) as each value is read. Limits are rejected, never
 * clamped; every problem is collected. One instance reads one file.
 */
final class CampaignReader {
  static final double STRICT_MAX_ABANDON_RATE = 0.03;
  static final double DEFAULT_ABANDON_TARGET = 0.02;
  static final int STRICT_MAX_PER_24H = 3;

  // Ofcom writes the rule as 72 hours, not 3 days; so do we.
  @SuppressWarnings("CanonicalDuration")
  static final Duration STRICT_REDIAL_AFTER_ABANDON = Duration.ofHours(72);

  static final Duration STRICT_REDIAL_AFTER_MACHINE = Duration.ofHours(24);
  static final Duration DEFAULT_RING_TIMEOUT = Duration.ofSeconds(25);

  /** Preview: long enough to read a lead's name and notes, short enough not to stall a team. */
  static final Duration DEFAULT_PREVIEW_TIME = Duration.ofSeconds(15);

  static final Duration MAX_PREVIEW_TIME = Duration.ofMinutes(10);
  static final Duration DEFAULT_WRAP_UP = Duration.ofSeconds(10);

  private static final List<String> KEYS =
      List.of(
          "name",
          "profile",
          "lists",
          "trunk",
          "caller_id",
          "default_region",
          "calling_windows",
          "attempt_caps",
          "retry",
          "pacing",
          "line_check",
          "drop_message",
          "amd",
          "agent_group",
          "agents",
          "priority",
          "weight",
          "wrap_up",
          "dnc_lists",
          "consent_required",
          "pause_codes",
          "on_restart");
  private static final List<String> CAP_KEYS = List.of("per_24h", "lifetime");
  private static final List<String> RETRY_KEYS = List.of("after", "max", "agent_reserved");
  private static final List<String> PACING_KEYS =
      List.of("mode", "ratio", "max_abandon_rate", "max_channels", "ring_timeout", "preview_time");
  private static final List<String> DROP_KEYS = List.of("sound", "deadline");
  private static final List<String> AMD_KEYS = List.of("enabled", "on_machine", "false_positives");

  /** It goes into Asterisk channel ids ({@code pd-<name>-<attempt>}): short and plain. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  /** As {@code agent.AgentAccount} checks it. */
  private static final Pattern AGENT_ID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern SOUND = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*");
  private static final Pattern SOUND_EXTENSION =
      Pattern.compile(".*\\.(wav|gsm|ulaw|alaw|sln\\d*|g722|g729|mp3|ogg)");

  /** Outcomes that say the number is dead or that a person decided; no rule redials them. */
  private static final Map<DialOutcome, String> NEVER_REDIALED =
      Map.of(
          DialOutcome.ANSWERED,
          "an answered call is not redialed by rule; the agent's disposition (callback)"
              + " decides",
          DialOutcome.UNALLOCATED,
          "a number that does not exist is never redialed",
          DialOutcome.INVALID_NUMBER,
          "an invalid number is never redialed",
          DialOutcome.LOST,
          "a call lost to a crash or a PBX restart is dialed again at once and not counted;"
              + " it has no rule");

  private final Problems problems;
  private final Set<String> simulatedTrunks;
  private Profile profile = Profile.STRICT;

  CampaignReader(Problems problems, Set<String> simulatedTrunks) {
    this.problems = problems;
    this.simulatedTrunks = new TreeSet<>(simulatedTrunks);
  }

  /**
   * {@code agents}, {@code priority}, {@code weight}: the campaign's place on an agent pool it
   * shares with other campaigns.
   */
  static Campaign.Share share(YamlMap file) {
    Problems problems = file.problems();
    Set<String> agents = new TreeSet<>();
    Optional<JsonNode> node = file.node("agents");
    if (node.isPresent()) {
      if (!node.get().isArray() || node.get().isEmpty()) {
        problems.add(
            file.path("agents"),
            "must be a list of agent ids, e.g. [agent1, agent2]; leave it out for every agent",
            YamlMap.show(node.get()));
      } else {
        for (int i = 0; i < node.get().size(); i++) {
          String item = file.path("agents") + "[" + i + "]";
          Optional<String> id = file.text(node.get().get(i), item);
          if (id.isPresent() && !AGENT_ID.matcher(id.get()).matches()) {
            problems.add(
                item,
                "must be an agent id: lower-case letters, digits, '-' or '_' (max 32)",
                id.get());
          } else if (id.isPresent() && !agents.add(id.get())) {
            problems.add(item, "is listed twice", id.get());
          }
        }
      }
    }
    int priority = file.positiveInt("priority").orElse(1);
    int weight = file.positiveInt("weight").orElse(1);
    return new Campaign.Share(priority, weight, agents);
  }

  /** Empty when any problem was found; the problems are then in {@link Problems}. */
  Optional<Campaign> read(JsonNode root) {
    Optional<YamlMap> opened = YamlMap.open(root, "", problems, KEYS);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap file = opened.get();
    // The profile decides every other rule, so it is read first wherever it is in the file.
    profile = profile(file);
    Optional<String> name = name(file);
    Optional<List<String>> lists = names(file, "lists", true);
    Optional<List<String>> dncLists = names(file, "dnc_lists", false);
    // Germany: advertising calls need prior express consent, so strict dials only leads with a
    // consent time unless the file says otherwise (e.g. calls to existing customers).
    boolean consentRequired = file.bool("consent_required").orElse(profile == Profile.STRICT);
    Optional<String> trunk = trunk(file);
    Optional<String> region = region(file);
    Optional<PhoneNumber> callerId = callerId(file, region);
    file.require("calling_windows", "when leads may be called, e.g. mon-fri: 09:00-20:00");
    Optional<CallingWindows> windows =
        file.node("calling_windows")
            .flatMap(
                node ->
                    new CallingWindowsReader(problems, profile)
                        .read(node, file.path("calling_windows")));
    AttemptCaps caps = attemptCaps(file);
    Map<DialOutcome, RetryRule> retry = retry(file);
    Optional<Pacing> pacing = pacing(file);
    Optional<LineCheck> lineCheck = lineCheck(file);
    Optional<DropMessage> dropMessage = dropMessage(file);
    Optional<DialPolicy.MachineDetection> machineDetection =
        machineDetection(file, dropMessage.isPresent());
    file.require("agent_group", "the agents who take this campaign's calls");
    Optional<String> agentGroup = file.text("agent_group");
    agentGroup.ifPresent(group -> endpointLike(group, file.path("agent_group"), "an agent group"));
    Campaign.Share share = share(file);
    Duration wrapUp = file.duration("wrap_up").orElse(DEFAULT_WRAP_UP);
    List<String> pauseCodes = pauseCodes(file);
    Campaign.OnRestart onRestart = onRestart(file);

    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Campaign(
            name.orElseThrow(),
            lists.orElseThrow(),
            profile,
            trunk.orElseThrow(),
            callerId,
            region.orElseThrow(),
            windows.orElseThrow(),
            caps,
            retry,
            pacing.orElseThrow(),
            lineCheck.orElseThrow(),
            dropMessage,
            machineDetection,
            agentGroup.orElseThrow(),
            share,
            wrapUp,
            dncLists.orElse(List.of()),
            consentRequired,
            pauseCodes,
            onRestart));
  }

  private Campaign.OnRestart onRestart(YamlMap file) {
    Optional<String> value = file.text("on_restart");
    if (value.isEmpty()) {
      return Campaign.OnRestart.ADOPT;
    }
    return switch (value.get()) {
      case "adopt" -> Campaign.OnRestart.ADOPT;
      case "end" -> Campaign.OnRestart.END;
      default -> {
        problems.add(
            file.path("on_restart"),
            "must be adopt (the new run follows an agent's call to its end) or end (the call"
                + " ends: strict plays the drop message)",
            value.get());
        yield Campaign.OnRestart.ADOPT;
      }
    };
  }

  /** The reasons agents may pause with: short codes, e.g. [break, lunch, training]. */
  private List<String> pauseCodes(YamlMap file) {
    Optional<JsonNode> node = file.node("pause_codes");
    if (node.isEmpty()) {
      return List.of(Campaign.DEFAULT_PAUSE);
    }
    String place = file.path("pause_codes");
    if (!node.get().isArray() || node.get().isEmpty()) {
      problems.add(
          place,
          "must be a list of pause codes, e.g. [break, lunch, training]",
          YamlMap.show(node.get()));
      return List.of();
    }
    Set<String> codes = new LinkedHashSet<>();
    for (int i = 0; i < node.get().size(); i++) {
      String item = place + "[" + i + "]";
      Optional<String> code = file.text(node.get().get(i), item);
      if (code.isEmpty()) {
        continue;
      }
      if (!PAUSE_CODE.matcher(code.get()).matches()) {
        problems.add(item, "must be 1-32 of a-z, 0-9, '-' and '_', e.g. lunch", code.get());
      } else if (code.get().equals("phone-unreachable")) {
        problems.add(
            item, "is the system's own pause (the phone is unreachable); pick another", code.get());
      } else if (!codes.add(code.get())) {
        problems.add(item, "is listed twice", code.get());
      }
    }
    return List.copyOf(codes);
  }

  private static final Pattern PAUSE_CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  private Profile profile(YamlMap file) {
    Optional<String> text = file.text("profile");
    if (text.isEmpty()) {
      return Profile.STRICT;
    }
    return switch (text.get()) {
      case "strict" -> Profile.STRICT;
      case "lab" -> Profile.LAB;
      default -> {
        problems.add(
            file.path("profile"),
            "must be strict (any real trunk) or lab (the simulated network only)",
            text.get());
        yield Profile.STRICT; // check the rest against the stricter rules
      }
    };
  }

  private Optional<String> name(YamlMap file) {
    file.require("name", "the campaign id, e.g. summer-2026");
    return file.text("name")
        .filter(
            name -> {
              if (NAME.matcher(name).matches()) {
                return true;
              }
              problems.add(
                  file.path("name"),
                  "must be 1-32 characters a-z, 0-9 and '-', starting with a letter or digit"
                      + " (it becomes part of Asterisk channel ids)",
                  name);
              return false;
            });
  }

  /** A list of names: the lead lists ({@code lists}, required) or the DNC lists. */
  private Optional<List<String>> names(YamlMap file, String key, boolean required) {
    String example = required ? "[summer-2026]" : "[summer-dnc]";
    String what = required ? "lead list" : "DNC list";
    if (required) {
      file.require(key, "the lead lists this campaign dials, e.g. " + example);
    }
    Optional<JsonNode> node = file.node(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    String place = file.path(key);
    if (!node.get().isArray() || (required && node.get().isEmpty())) {
      problems.add(
          place,
          required
              ? "must be a list of at least one lead list name, e.g. " + example
              : "must be a list of " + what + " names, e.g. " + example,
          YamlMap.show(node.get()));
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    boolean valid = true;
    for (int i = 0; i < node.get().size(); i++) {
      String item = place + "[" + i + "]";
      Optional<String> list = file.text(node.get().get(i), item);
      if (list.isEmpty()) {
        valid = false;
      } else if (!names.add(list.get())) {
        problems.add(item, "is listed twice", list.get());
        valid = false;
      }
    }
    return valid ? Optional.of(List.copyOf(names)) : Optional.empty();
  }

  private Optional<String> trunk(YamlMap file) {
    file.require("trunk", "the PJSIP endpoint calls leave through, e.g. carrier");
    String place = file.path("trunk");
    return file.text("trunk")
        .filter(trunk -> endpointLike(trunk, place, "a PJSIP endpoint name such as carrier"))
        .filter(
            trunk -> {
              if (profile == Profile.LAB && !simulatedTrunks.contains(trunk)) {
                problems.add(
                    place,
                    "profile lab runs only on the simulated network ("
                        + String.join(", ", simulatedTrunks)
                        + ")",
                    trunk);
                return false;
              }
              return true;
            });
  }

  private boolean endpointLike(String value, String place, String what) {
    if (ENDPOINT.matcher(value).matches()) {
      return true;
    }
    problems.add(place, "must be " + what + " (letters, digits, '_', '.', '-')", value);
    return false;
  }

  private Optional<String> region(YamlMap file) {
    file.require("default_region", "the region of numbers written without +, e.g. DE");
    return file.text("default_region")
        .flatMap(
            region -> {
              try {
                new PhoneNumbers(region);
                return Optional.of(region.toUpperCase(Locale.ROOT));
              } catch (IllegalArgumentException e) {
                problems.add(
                    file.path("default_region"),
                    "not a region code such as DE, AT, GB or US",
                    region);
                return Optional.empty();
              }
            });
  }

  private Optional<PhoneNumber> callerId(YamlMap file, Optional<String> region) {
    String place = file.path("caller_id");
    Optional<JsonNode> node = file.node("caller_id");
    if (node.isEmpty()) {
      if (profile == Profile.STRICT) {
        problems.add(place, "required in profile strict: no dialing without a valid caller ID");
      }
      return Optional.empty();
    }
    if (node.get().isNumber()) {
      // Unquoted, YAML reads +4930... as an integer (and 030... as octal): the + and zeros go.
      problems.add(
          place,
          "write the number in quotes so YAML keeps the + and leading zeros,"
              + " e.g. caller_id: \"+49 30 1234567\"",
          node.get().asText());
      return Optional.empty();
    }
    Optional<String> text = file.text("caller_id");
    if (text.isEmpty() || region.isEmpty()) {
      return Optional.empty(); // the region's own problem is already reported
    }
    return switch (new PhoneNumbers(region.get()).parse(text.get())) {
      case PhoneNumbers.Parsed.Valid valid -> Optional.of(valid.number());
      case PhoneNumbers.Parsed.Rejected rejected -> {
        problems.add(place, "not usable as caller ID: " + rejected.reason(), text.get());
        yield Optional.empty();
      }
    };
  }

  private AttemptCaps attemptCaps(YamlMap file) {
    if (!file.has("attempt_caps") && profile == Profile.STRICT) {
      problems.add(
          file.path("attempt_caps"),
          "required in profile strict: set per_24h (at most "
              + STRICT_MAX_PER_24H
              + ") and lifetime");
      return new AttemptCaps(OptionalInt.empty(), OptionalInt.empty());
    }
    Optional<YamlMap> caps = file.map("attempt_caps", CAP_KEYS);
    if (caps.isEmpty()) {
      return new AttemptCaps(OptionalInt.empty(), OptionalInt.empty());
    }
    YamlMap map = caps.get();
    if (profile == Profile.STRICT) {
      for (String key : CAP_KEYS) {
        if (!map.has(key)) {
          problems.add(map.path(key), "required in profile strict");
        }
      }
    }
    OptionalInt per24h = map.positiveInt("per_24h");
    OptionalInt lifetime = map.positiveInt("lifetime");
    if (profile == Profile.STRICT && per24h.isPresent() && per24h.getAsInt() > STRICT_MAX_PER_24H) {
      problems.add(
          map.path("per_24h"),
          "must be ≤ " + STRICT_MAX_PER_24H + " in profile strict",
          String.valueOf(per24h.getAsInt()));
    }
    if (per24h.isPresent() && lifetime.isPresent() && lifetime.getAsInt() < per24h.getAsInt()) {
      problems.add(
          map.path("lifetime"),
          "must be ≥ per_24h (" + per24h.getAsInt() + ")",
          String.valueOf(lifetime.getAsInt()));
    }
    return new AttemptCaps(per24h, lifetime);
  }

  private Map<DialOutcome, RetryRule> retry(YamlMap file) {
    Map<DialOutcome, RetryRule> rules = new EnumMap<>(DialOutcome.class);
    Optional<JsonNode> node = file.node("retry");
    if (node.isEmpty()) {
      return rules;
    }
    String place = file.path("retry");
    if (!node.get().isObject()) {
      problems.add(
          place,
          "must be a mapping of outcomes to rules, e.g. busy: {after: 10m, max: 3}",
          YamlMap.show(node.get()));
      return rules;
    }
    List<String> redialable = new ArrayList<>();
    for (DialOutcome outcome : DialOutcome.values()) {
      if (!NEVER_REDIALED.containsKey(outcome)) {
        redialable.add(outcome.name().toLowerCase(Locale.ROOT));
      }
    }
    for (var entry : node.get().properties()) {
      String key = entry.getKey();
      String rulePlace = place + "." + key;
      Optional<DialOutcome> outcome = outcome(key);
      if (outcome.isEmpty()) {
        problems.add(rulePlace, unknownOutcome(key, redialable));
        continue;
      }
      if (NEVER_REDIALED.containsKey(outcome.get())) {
        problems.add(rulePlace, NEVER_REDIALED.get(outcome.get()));
        continue;
      }
      YamlMap.open(entry.getValue(), rulePlace, problems, RETRY_KEYS)
          .flatMap(rule -> retryRule(outcome.get(), rule))
          .ifPresent(rule -> rules.put(outcome.get(), rule));
    }
    return rules;
  }

  private static Optional<DialOutcome> outcome(String key) {
    for (DialOutcome outcome : DialOutcome.values()) {
      if (outcome.name().toLowerCase(Locale.ROOT).equals(key)) {
        return Optional.of(outcome);
      }
    }
    return Optional.empty();
  }

  private static String unknownOutcome(String key, List<String> redialable) {
    return YamlMap.closest(key, redialable)
        .map(near -> "unknown outcome; did you mean " + near + "?")
        .orElse("unknown outcome; the outcomes are " + String.join(", ", redialable));
  }

  private Optional<RetryRule> retryRule(DialOutcome outcome, YamlMap rule) {
    rule.require("after", "how long to wait before the redial, e.g. after: 10m");
    rule.require("max", "how many redials after this outcome, e.g. max: 3");
    Optional<Duration> after = rule.duration("after");
    OptionalInt max = rule.positiveInt("max");
    boolean agentReserved = rule.bool("agent_reserved").orElse(false);
    if (after.isPresent() && (after.get().isZero() || after.get().isNegative())) {
      problems.add(rule.path("after"), "must be longer than 0s", Durations.format(after.get()));
      return Optional.empty();
    }
    if (after.isPresent() && profile == Profile.STRICT && !agentReserved) {
      Duration floor =
          switch (outcome) {
            case ABANDONED -> STRICT_REDIAL_AFTER_ABANDON;
            case MACHINE -> STRICT_REDIAL_AFTER_MACHINE;
            default -> Duration.ZERO;
          };
      if (after.get().compareTo(floor) < 0) {
        problems.add(
            rule.path("after"),
            "must be ≥ "
                + Durations.format(floor)
                + " in profile strict unless agent_reserved: true",
            rule.node("after").map(YamlMap::show).orElseThrow());
        return Optional.empty();
      }
    }
    if (after.isEmpty() || max.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RetryRule(after.get(), max.getAsInt(), agentReserved));
  }

  private Optional<Pacing> pacing(YamlMap file) {
    file.require("pacing", "at least the mode, e.g. pacing: {mode: progressive}");
    Optional<YamlMap> opened = file.map("pacing", PACING_KEYS);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap pacing = opened.get();
    Duration ringTimeout = ringTimeout(pacing);
    pacing.require("mode", "preview, progressive, power or predictive");
    Optional<String> mode = pacing.text("mode");
    if (mode.isEmpty()) {
      return Optional.empty();
    }
    List<String> modeKeys =
        switch (mode.get()) {
          case "power" -> List.of("ratio", "max_channels");
          case "predictive" -> List.of("max_abandon_rate", "max_channels");
          case "preview" -> List.of("preview_time");
          default -> List.of();
        };
    for (String key : List.of("ratio", "max_abandon_rate", "max_channels", "preview_time")) {
      if (pacing.has(key) && !modeKeys.contains(key)) {
        String onlyIn =
            switch (key) {
              case "ratio" -> "power";
              case "preview_time" -> "preview";
              case "max_channels" -> "predictive or power";
              default -> "predictive";
            };
        problems.add(pacing.path(key), "applies only to mode " + onlyIn, mode.get());
      }
    }
    return switch (mode.get()) {
      case "preview" -> preview(pacing, ringTimeout);
      case "progressive" -> Optional.of(new Pacing.Progressive(ringTimeout));
      case "power" -> power(pacing, ringTimeout);
      case "predictive" -> predictive(pacing, ringTimeout);
      default -> {
        problems.add(
            pacing.path("mode"), "must be preview, progressive, power or predictive", mode.get());
        yield Optional.empty();
      }
    };
  }

  private Duration ringTimeout(YamlMap pacing) {
    Duration ringTimeout = pacing.duration("ring_timeout").orElse(DEFAULT_RING_TIMEOUT);
    String was = pacing.node("ring_timeout").map(YamlMap::show).orElse("");
    if (ringTimeout.isZero()) {
      problems.add(pacing.path("ring_timeout"), "must be longer than 0s", was);
    } else if (profile == Profile.STRICT && ringTimeout.compareTo(DialPolicy.MIN_RING_TIME) < 0) {
      problems.add(
          pacing.path("ring_timeout"),
          "must be ≥ "
              + Durations.format(DialPolicy.MIN_RING_TIME)
              + " in profile strict (unanswered calls ring at least 15 s)",
          was);
    }
    return ringTimeout;
  }

  private Optional<Pacing> preview(YamlMap pacing, Duration ringTimeout) {
    Duration previewTime = pacing.duration("preview_time").orElse(DEFAULT_PREVIEW_TIME);
    if (previewTime.compareTo(Duration.ofSeconds(1)) < 0
        || previewTime.compareTo(MAX_PREVIEW_TIME) > 0) {
      problems.add(
          pacing.path("preview_time"),
          "must be between 1s and "
              + Durations.format(MAX_PREVIEW_TIME)
              + " (how long the agent sees the lead before the call is placed by itself)",
          pacing.node("preview_time").map(YamlMap::show).orElseThrow());
      return Optional.empty();
    }
    return Optional.of(new Pacing.Preview(ringTimeout, previewTime));
  }

  private Optional<Pacing> power(YamlMap pacing, Duration ringTimeout) {
    pacing.require("ratio", "calls per ready agent, 1.0 to 3.0");
    OptionalDouble ratio = pacing.number("ratio");
    if (ratio.isEmpty()) {
      return Optional.empty();
    }
    if (ratio.getAsDouble() < 1.0 || ratio.getAsDouble() > 3.0) {
      problems.add(
          pacing.path("ratio"),
          "must be between 1.0 and 3.0 calls per ready agent",
          pacing.node("ratio").map(YamlMap::show).orElseThrow());
      return Optional.empty();
    }
    OptionalInt maxChannels =
        pacing.has("max_channels") ? pacing.positiveInt("max_channels") : OptionalInt.empty();
    if (pacing.has("max_channels") && maxChannels.isEmpty()) {
      return Optional.empty(); // positiveInt said why
    }
    return Optional.of(new Pacing.Power(ratio.getAsDouble(), ringTimeout, maxChannels));
  }

  private Optional<Pacing> predictive(YamlMap pacing, Duration ringTimeout) {
    pacing.require("max_channels", "the most calls in flight at once, e.g. 30");
    OptionalInt maxChannels = pacing.positiveInt("max_channels");
    OptionalDouble rate = pacing.number("max_abandon_rate");
    double maxAbandonRate = rate.orElse(DEFAULT_ABANDON_TARGET);
    String place = pacing.path("max_abandon_rate");
    String was = pacing.node("max_abandon_rate").map(YamlMap::show).orElse("");
    boolean valid = rate.isPresent() || !pacing.has("max_abandon_rate");
    if (rate.isPresent() && (maxAbandonRate <= 0 || maxAbandonRate >= 1)) {
      problems.add(
          place,
          "must be a fraction above 0 and below 1, e.g. 0.02 for 2 %"
              + " (for no abandoned calls at all use mode progressive)",
          was);
      valid = false;
    } else if (profile == Profile.STRICT && maxAbandonRate > STRICT_MAX_ABANDON_RATE) {
      problems.add(place, "must be ≤ " + STRICT_MAX_ABANDON_RATE + " in profile strict", was);
      valid = false;
    }
    if (!valid || maxChannels.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Pacing.Predictive(maxAbandonRate, maxChannels.getAsInt(), ringTimeout));
  }

  private Optional<LineCheck> lineCheck(YamlMap file) {
    Optional<JsonNode> node = file.node("line_check");
    if (node.isEmpty()) {
      return Optional.of(LineCheck.OFF);
    }
    String place = file.path("line_check");
    // YAML 1.1 reads an unquoted off as the boolean false.
    if (node.get().isBoolean() && !node.get().asBoolean()) {
      return Optional.of(LineCheck.OFF);
    }
    String text = YamlMap.show(node.get());
    return switch (text) {
      case "off" -> Optional.of(LineCheck.OFF);
      case "full" -> Optional.of(LineCheck.FULL);
      case "ping" -> {
        if (profile == Profile.STRICT) {
          problems.add(
              place,
              "a line check is either off or a full compliant call in profile strict"
                  + " (ping runs only in profile lab)",
              text);
          yield Optional.empty();
        }
        yield Optional.of(LineCheck.PING);
      }
      default -> {
        problems.add(place, "must be off, full or ping (lab only)", text);
        yield Optional.empty();
      }
    };
  }

  private Optional<DropMessage> dropMessage(YamlMap file) {
    if (!file.has("drop_message")) {
      if (profile == Profile.STRICT) {
        problems.add(
            file.path("drop_message"),
            "required in profile strict: an answered callee with no agent free must hear who"
                + " called and a callback number, e.g. drop_message: {sound: custom/drop-de}");
      }
      return Optional.empty();
    }
    Optional<YamlMap> opened = file.map("drop_message", DROP_KEYS);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap drop = opened.get();
    drop.require("sound", "the Asterisk sound to play, e.g. sound: custom/drop-de");
    Optional<List<String>> sounds = sounds(drop);
    Duration deadline = drop.duration("deadline").orElse(DialPolicy.MAX_DROP_DEADLINE);
    String was = drop.node("deadline").map(YamlMap::show).orElse("");
    if (deadline.isZero()) {
      problems.add(drop.path("deadline"), "must be longer than 0s", was);
    } else if (profile == Profile.STRICT && deadline.compareTo(DialPolicy.MAX_DROP_DEADLINE) > 0) {
      problems.add(
          drop.path("deadline"),
          "must be ≤ " + Durations.format(DialPolicy.MAX_DROP_DEADLINE) + " in profile strict",
          was);
    }
    return sounds.map(list -> new DropMessage(list, deadline));
  }

  /**
   * {@code amd: {enabled: true, on_machine: drop_message}}: answering-machine detection. Off when
   * absent. A machine gets the drop message (strict: always, so a person AMD takes for a machine
   * hears who called) or is hung up on (lab only; the lab's default).
   */
  private Optional<DialPolicy.MachineDetection> machineDetection(
      YamlMap file, boolean hasDropMessage) {
    if (!file.has("amd")) {
      return Optional.empty();
    }
    Optional<YamlMap> opened = file.map("amd", AMD_KEYS);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap amd = opened.get();
    amd.require("enabled", "true to listen for answering machines before connecting an agent");
    boolean enabled = amd.bool("enabled").orElse(false);
    Optional<JsonNode> onMachine = amd.node("on_machine");
    DialPolicy.OnMachine treatment =
        profile == Profile.STRICT
            ? DialPolicy.OnMachine.DROP_MESSAGE
            : DialPolicy.OnMachine.HANG_UP;
    if (onMachine.isPresent()) {
      String text = YamlMap.show(onMachine.get());
      switch (text) {
        case "drop_message" -> treatment = DialPolicy.OnMachine.DROP_MESSAGE;
        case "hang_up" -> {
          if (profile == Profile.STRICT) {
            problems.add(
                amd.path("on_machine"),
                "must be drop_message in profile strict: a person AMD takes for a machine must"
                    + " hear who called and a callback number, not silence (hang_up is lab only)",
                text);
            return Optional.empty();
          }
          treatment = DialPolicy.OnMachine.HANG_UP;
        }
        default -> {
          problems.add(amd.path("on_machine"), "must be drop_message or hang_up (lab only)", text);
          return Optional.empty();
        }
      }
    }
    if (treatment == DialPolicy.OnMachine.DROP_MESSAGE && !hasDropMessage) {
      // In strict the missing drop_message is reported on its own already.
      if (profile != Profile.STRICT) {
        problems.add(
            amd.path("on_machine"),
            "drop_message needs the campaign's drop_message (e.g. drop_message: {sound:"
                + " custom/drop-de}), or use on_machine: hang_up",
            "drop_message");
      }
      return Optional.empty();
    }
    // The UK formula counts people AMD took for machines as abandoned: strict needs the estimate.
    if (profile == Profile.STRICT && enabled && !amd.has("false_positives")) {
      amd.require(
          "false_positives",
          "in profile strict, the share of calls AMD classes as machines that were people (e.g."
              + " 0.15), counted as abandoned in the abandon rate");
      return Optional.empty();
    }
    OptionalDouble share = amd.number("false_positives");
    if (share.isPresent() && !(share.getAsDouble() >= 0 && share.getAsDouble() <= 1)) {
      problems.add(
          amd.path("false_positives"),
          "must be a share from 0 to 1, e.g. 0.15",
          amd.node("false_positives").map(YamlMap::show).orElse(""));
      return Optional.empty();
    }
    return enabled
        ? Optional.of(new DialPolicy.MachineDetection(treatment, share.orElse(0)))
        : Optional.empty();
  }

  private Optional<List<String>> sounds(YamlMap drop) {
    return sounds(drop, "sound");
  }

  /**
   * The sound names under {@code key} (one name or a list of them), played as {@code sound:<name>};
   * empty when the key is missing or a name is wrong (the problem is noted).
   */
  static Optional<List<String>> sounds(YamlMap drop, String key) {
    Problems problems = drop.problems();
    Optional<JsonNode> node = drop.node(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    String place = drop.path(key);
    List<JsonNode> items = new ArrayList<>();
    if (node.get().isArray()) {
      node.get().forEach(items::add);
    } else {
      items.add(node.get());
    }
    if (items.isEmpty()) {
      problems.add(place, "must name at least one sound", "[]");
      return Optional.empty();
    }
    List<String> sounds = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String itemPlace = node.get().isArray() ? place + "[" + i + "]" : place;
      Optional<String> sound = drop.text(items.get(i), itemPlace);
      if (sound.isEmpty()) {
        continue;
      }
      if (SOUND_EXTENSION.matcher(sound.get()).matches()) {
        problems.add(
            itemPlace,
            "write the sound name without the file extension; Asterisk picks the format",
            sound.get());
      } else if (!SOUND.matcher(sound.get()).matches() || sound.get().contains("..")) {
        problems.add(
            itemPlace,
            "must be an Asterisk sound name such as custom/drop-de (played as sound:<name>)",
            sound.get());
      } else {
        sounds.add(sound.get());
      }
    }
    return sounds.size() == items.size() ? Optional.of(sounds) : Optional.empty();
  }
}
