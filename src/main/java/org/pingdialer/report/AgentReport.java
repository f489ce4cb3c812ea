package org.pingdialer.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pingdialer.inbound.InboundCallStore;

/**
 * Every agent's work across the campaigns and inbound queues of a controller since a time: calls
 * put through to the agent, talk, wrap-up (outbound: from the call's end to its filing) and
 * dispositions, in all and per campaign or queue. The campaign report's agent table is one
 * campaign's share of it.
 *
 * @param agents sorted by agent id
 */
public record AgentReport(Instant since, List<Agent> agents) {
  public AgentReport {
    agents = List.copyOf(agents);
  }

  /** What the agent did for one campaign ({@code inbound} false) or one queue. */
  public record Part(
      String name,
      boolean inbound,
      long calls,
      Duration talk,
      Duration wrap,
      Map<String, Long> dispositions) {}

  /** One agent's sums over its parts. */
  public record Agent(
      String agent,
      long calls,
      Duration talk,
      Duration wrap,
      Map<String, Long> dispositions,
      List<Part> parts) {
    public Agent {
      parts = List.copyOf(parts);
    }
  }

  /**
   * The report from each campaign's agent lines ({@link CampaignReports#agents}) and the inbound
   * calls that reached an agent.
   *
   * @param outbound each campaign's agent lines, by campaign name
   */
  static AgentReport of(
      Instant since,
      Map<String, List<CampaignReport.AgentLine>> outbound,
      List<InboundCallStore.Row> inbound) {
    Map<String, List<Part>> parts = new TreeMap<>();
    outbound.forEach(
        (campaign, lines) -> {
          for (CampaignReport.AgentLine line : lines) {
            parts
                .computeIfAbsent(line.agent(), a -> new ArrayList<>())
                .add(
                    new Part(
                        campaign,
                        false,
                        line.calls(),
                        line.talk(),
                        line.wrap(),
                        line.dispositions()));
          }
        });
    // Inbound: one part per agent and queue.
    Map<String, Map<String, Part>> byQueue = new TreeMap<>();
    for (InboundCallStore.Row call : inbound) {
      if (call.agentId().isEmpty() || call.answeredAt().isEmpty()) {
        continue;
      }
      Duration talk =
          call.endedAt()
              .filter(end -> end.isAfter(call.answeredAt().get()))
              .map(end -> Duration.between(call.answeredAt().get(), end))
              .orElse(Duration.ZERO);
      Map<String, Long> codes = new TreeMap<>();
      call.disposition().ifPresent(code -> codes.put(code, 1L));
      byQueue
          .computeIfAbsent(call.agentId().get(), a -> new TreeMap<>())
          .merge(
              call.queue(),
              new Part(call.queue(), true, 1, talk, Duration.ZERO, codes),
              AgentReport::add);
    }
    byQueue.forEach(
        (agent, queues) ->
            parts.computeIfAbsent(agent, a -> new ArrayList<>()).addAll(queues.values()));
    List<Agent> agents = new ArrayList<>();
    parts.forEach(
        (agent, own) -> {
          own.sort((a, b) -> a.name().compareTo(b.name()));
          Part total = own.stream().reduce(AgentReport::add).orElseThrow();
          agents.add(
              new Agent(
                  agent, total.calls(), total.talk(), total.wrap(), total.dispositions(), own));
        });
    return new AgentReport(since, agents);
  }

  private static Part add(Part a, Part b) {
    Map<String, Long> codes = new TreeMap<>(a.dispositions());
    b.dispositions().forEach((code, n) -> codes.merge(code, n, Long::sum));
    return new Part(
        a.name(),
        a.inbound(),
        a.calls() + b.calls(),
        a.talk().plus(b.talk()),
        a.wrap().plus(b.wrap()),
        Collections.unmodifiableMap(codes));
  }
}
