package org.pingdialer.campaign.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The agent groups a controller knows (a YAML file: group name to agent ids, see {@code
 * asterisk-config/agent-groups.yaml}). A campaign or queue that lists no {@code agents} is worked
 * by the members of its {@code agent_group}; a group the file does not define is every agent, as
 * before there were groups.
 */
public record AgentGroups(Map<String, Set<String>> members) {
  /** No group defined: every campaign is worked by every agent unless it lists its agents. */
  public static final AgentGroups NONE = new AgentGroups(Map.of());

  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern AGENT_ID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  public AgentGroups {
    Map<String, Set<String>> copy = new TreeMap<>();
    members.forEach((group, agents) -> copy.put(group, Set.copyOf(agents)));
    members = Map.copyOf(copy);
  }

  /**
   * The share a campaign (or queue) works the pool with: its own agent list when it has one, else
   * its group's members when the group is defined, else every agent.
   */
  public Campaign.Share resolve(Campaign.Share share, Optional<String> group) {
    if (!share.agents().isEmpty() || group.isEmpty() || !members.containsKey(group.get())) {
      return share;
    }
    return new Campaign.Share(share.priority(), share.weight(), members.get(group.get()));
  }

  /** Whether the file defines {@code group}. */
  public boolean defines(String group) {
    return members.containsKey(group);
  }

  /** Reads a groups file; every problem names its place, all come together. */
  public static AgentGroups load(Path file) throws CampaignFileException {
    Problems problems = new Problems(file.toString());
    JsonNode root;
    try {
      root = CampaignFiles.YAML.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      CampaignFiles.syntaxError(e, problems);
      throw problems.exception();
    } catch (IOException e) {
      problems.add("file", "cannot be read (" + e + ")");
      throw problems.exception();
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return NONE;
    }
    if (!root.isObject()) {
      problems.add("file", "must map group names to lists of agent ids, e.g. sales: [agent1]");
      throw problems.exception();
    }
    Map<String, Set<String>> members = new TreeMap<>();
    root.properties()
        .forEach(
            entry -> {
              String group = entry.getKey();
              if (!GROUP.matcher(group).matches()) {
                problems.add(group, "must be a group name: letters, digits, '.', '-', '_'");
                return;
              }
              JsonNode list = entry.getValue();
              if (!list.isArray() || list.isEmpty()) {
                problems.add(
                    group,
                    "must be a list of agent ids, e.g. [agent1, agent2]",
                    YamlMap.show(list));
                return;
              }
              Set<String> agents = new TreeSet<>();
              for (int i = 0; i < list.size(); i++) {
                String id = list.get(i).asText();
                if (!list.get(i).isTextual() || !AGENT_ID.matcher(id).matches()) {
                  problems.add(
                      group + "[" + i + "]",
                      "must be an agent id: lower-case letters, digits, '-' or '_' (max 32)",
                      YamlMap.show(list.get(i)));
                } else if (!agents.add(id)) {
                  problems.add(group + "[" + i + "]", "is listed twice", id);
                }
              }
              members.put(group, agents);
            });
    if (!problems.isEmpty()) {
      throw problems.exception();
    }
    return new AgentGroups(members);
  }
}
