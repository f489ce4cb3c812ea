package org.pingdialer.lead;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;

/**
 * {@link LeadStore} in memory for unit tests: one lock, the same rules as the JDBC store (the
 * shared contract test keeps them in step). Calls to a number in the last 24 h are told to it with
 * {@link #recordCall}.
 */
public final class InMemoryLeadStore implements LeadStore {
  private final Map<Long, Lead> leads = new TreeMap<>();
  private final Map<Long, Map<String, String>> attributes = new HashMap<>();
  private final Map<String, String> listRegions = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> dnc = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final Map<Long, String> claimers = new HashMap<>();
  private long nextId = 1;

  private record Call(String e164, Instant at) {}

  public synchronized void recordCall(String e164, Instant at) {
    calls.add(new Call(e164, at));
  }

  @Override
  public ImportSession beginImport(String list, String defaultRegion, String fileName, Instant at) {
    return new ImportSession() {
      private final List<NewLead> pending = new ArrayList<>();

      @Override
      public void forEachExistingNumber(Consumer<String> e164) {
        List<String> numbers;
        synchronized (InMemoryLeadStore.this) {
          numbers =
              leads.values().stream().filter(l -> l.list().equals(list)).map(Lead::e164).toList();
        }
        numbers.forEach(e164);
      }

      @Override
      public Set<String> onDnc(Collection<String> e164s, Collection<String> dncLists) {
        Set<String> found = new HashSet<>();
        for (String e164 : e164s) {
          if (!dncListsHolding(e164, dncLists).isEmpty()) {
            found.add(e164);
          }
        }
        return found;
      }

      @Override
      public void add(List<NewLead> batch) {
        pending.addAll(batch);
      }

      @Override
      public long commit(ImportCounts counts) {
        synchronized (InMemoryLeadStore.this) {
          listRegions.putIfAbsent(list, defaultRegion);
          for (NewLead lead : pending) {
            long id = nextId++;
            leads.put(
                id,
                new Lead(
                    id,
                    list,
                    lead.line(),
                    lead.number().e164(),
                    lead.number().type(),
                    lead.number().zoneIds(),
                    lead.contact(),
                    LeadState.NEW,
                    at,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    Optional.empty()));
            attributes.put(id, new TreeMap<>(lead.attributes()));
          }
          return id();
        }
      }

      private long id() {
        return nextId;
      }

      @Override
      public void close() {
        pending.clear();
      }
    };
  }

  @Override
  public synchronized Optional<Lead> find(long leadId) {
    return Optional.ofNullable(leads.get(leadId));
  }

  @Override
  public synchronized List<Lead> leadsOf(String list, int limit) {
    return leads.values().stream().filter(l -> l.list().equals(list)).limit(limit).toList();
  }

  @Override
  public synchronized List<Lead> waiting(String list) {
    return leads.values().stream()
        .filter(l -> l.list().equals(list) && l.state() == LeadState.WAITING)
        .sorted(Comparator.comparing((Lead l) -> l.dueAt().orElseThrow()).thenComparing(Lead::id))
        .toList();
  }

  @Override
  public synchronized Map<String, String> attributesOf(long leadId) {
    return Map.copyOf(attributes.getOrDefault(leadId, Map.of()));
  }

  @Override
  public synchronized Map<LeadState, Long> countByState(String list) {
    Map<LeadState, Long> counts = new EnumMap<>(LeadState.class);
    leads.values().stream()
        .filter(l -> l.list().equals(list))
        .forEach(l -> counts.merge(l.state(), 1L, Long::sum));
    return counts;
  }

  @Override
  public synchronized Lead apply(long leadId, LeadEvent event, Instant at) {
    Lead lead = leads.get(leadId);
    if (lead == null) {
      throw new NoSuchElementException("no lead " + leadId);
    }
    Lead next = applied(lead, event, at);
    leads.put(leadId, next);
    return next;
  }

  private Lead applied(Lead lead, LeadEvent event, Instant at) {
    LeadState state = LeadTransitions.next(lead.state(), event);
    Optional<WaitReason> waitReason = Optional.empty();
    Optional<Instant> due = Optional.empty();
    Optional<String> agent = Optional.empty();
    Optional<DoneReason> done = Optional.empty();
    Optional<String> claimedFor = Optional.empty();
    int attempts = lead.attempts();
    claimers.remove(lead.id());
    switch (event) {
      case LeadEvent.Claimed claimed -> {
        claimedFor = Optional.of(claimed.campaign());
        claimers.put(lead.id(), claimed.claimer());
        waitReason = lead.waitReason();
        agent = lead.callbackAgent();
      }
      case LeadEvent.DialStarted dial -> {
        claimedFor = lead.claimedFor();
        waitReason = lead.waitReason();
        agent = lead.callbackAgent();
        attempts++;
      }
      case LeadEvent.CheckStarted check -> attempts++;
      case LeadEvent.Released released -> {
        WaitReason reason =
            lead.waitReason().filter(r -> r.priority() > 0).orElse(WaitReason.RELEASED);
        waitReason = Optional.of(reason);
        due = Optional.of(at);
        agent = reason == WaitReason.RELEASED ? Optional.empty() : lead.callbackAgent();
      }
      case LeadEvent.CallLost lost -> {
        WaitReason reason =
            lead.waitReason().filter(r -> r.priority() > 0).orElse(WaitReason.RELEASED);
        waitReason = Optional.of(reason);
        due = Optional.of(at);
        agent = reason == WaitReason.RELEASED ? Optional.empty() : lead.callbackAgent();
        attempts = Math.max(0, attempts - 1);
      }
      case LeadEvent.Scheduled scheduled -> {
        waitReason = Optional.of(scheduled.reason());
        due = Optional.of(scheduled.due());
        agent = scheduled.agent();
      }
      case LeadEvent.Finished finished -> done = Optional.of(finished.reason());
      case LeadEvent.CheckedLive live -> {}
      case LeadEvent.FoundDead dead -> {}
      case LeadEvent.CheckInconclusive inconclusive ->
          due = Optional.of(at.plus(Duration.ofMinutes(10)));
    }
    return new Lead(
        lead.id(),
        lead.list(),
        lead.line(),
        lead.e164(),
        lead.type(),
        lead.timezones(),
        lead.contact(),
        state,
        at,
        waitReason,
        due,
        agent,
        done,
        attempts,
        claimedFor);
  }

  @Override
  public synchronized List<Lead> claim(ClaimRequest request) {
    return claim(request, false);
  }

  @Override
  public synchronized List<Lead> claimForLineCheck(ClaimRequest request) {
    return claim(request, true);
  }

  private List<Lead> claim(ClaimRequest request, boolean forLineCheck) {
    Instant dayAgo = request.now().minusSeconds(24 * 3600);
    List<Lead> candidates =
        leads.values().stream()
            .filter(l -> request.lists().contains(l.list()))
            .filter(
                l ->
                    forLineCheck
                        ? l.state() == LeadState.NEW
                            && l.dueAt().filter(due -> due.isAfter(request.now())).isEmpty()
                        : l.state() == LeadState.LIVE
                            || (l.state() == LeadState.WAITING
                                && !l.dueAt().orElseThrow().isAfter(request.now()))
                            || (request.includeUnchecked() && l.state() == LeadState.NEW))
            .filter(l -> windowOpen(l.timezones(), request))
            .filter(l -> l.attempts() < request.maxLifetime())
            .filter(
                l ->
                    calls.stream()
                            .filter(c -> c.e164().equals(l.e164()) && c.at().isAfter(dayAgo))
                            .count()
                        < request.maxPer24h())
            .filter(l -> dncListsHolding(l.e164(), request.dncLists()).isEmpty())
            .filter(l -> !request.requireConsent() || l.contact().consentAt().isPresent())
            .filter(
                l ->
                    l.callbackAgent().isEmpty()
                        || request.readyAgents().contains(l.callbackAgent().get()))
            .filter(
                l ->
                    leads.values().stream()
                        .noneMatch(
                            o ->
                                o.e164().equals(l.e164())
                                    && (o.state() == LeadState.CHECKING
                                        || o.state() == LeadState.QUEUED
                                        || o.state() == LeadState.DIALING)))
            .sorted(Comparator.comparingInt(InMemoryLeadStore::priority).reversed())
            .filter(distinctNumbers())
            .limit(request.max())
            .toList();
    List<Lead> claimed = new ArrayList<>();
    for (Lead lead : candidates) {
      LeadEvent event =
          forLineCheck
              ? new LeadEvent.CheckStarted()
              : new LeadEvent.Claimed(request.campaign(), request.claimer());
      Lead next = applied(lead, event, request.now());
      claimers.put(lead.id(), request.claimer());
      leads.put(lead.id(), next);
      claimed.add(next);
    }
    return claimed;
  }

  /** One lead per number in a claim. */
  private static Predicate<Lead> distinctNumbers() {
    Set<String> seen = new HashSet<>();
    return lead -> seen.add(lead.e164());
  }

  private static int priority(Lead lead) {
    return lead.state() == LeadState.WAITING
        ? lead.waitReason().map(WaitReason::priority).orElse(0)
        : 0;
  }

  private static boolean windowOpen(String zones, ClaimRequest request) {
    for (String zone : zones.split(" ")) {
      if (zone.isBlank() || !request.callingWindow().test(request.now().atZone(ZoneId.of(zone)))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public synchronized List<Lead> dialing(String campaign) {
    return leads.values().stream()
        .filter(l -> l.state() == LeadState.DIALING)
        .filter(l -> l.claimedFor().map(campaign::equals).orElse(false))
        .sorted(Comparator.comparingLong(Lead::id))
        .toList();
  }

  @Override
  public synchronized int releaseClaims(String claimer, String why, Instant at) {
    List<Long> held =
        leads.values().stream()
            .filter(
                l ->
                    (l.state() == LeadState.QUEUED || l.state() == LeadState.CHECKING)
                        && claimer.equals(claimers.get(l.id())))
            .map(Lead::id)
            .toList();
    for (long id : held) {
      Lead lead = leads.get(id);
      LeadEvent event =
          lead.state() == LeadState.CHECKING
              ? new LeadEvent.CheckInconclusive()
              : new LeadEvent.Released(why);
      leads.put(id, applied(lead, event, at));
    }
    return held.size();
  }

  @Override
  public synchronized int addDnc(
      String dncList, Collection<String> e164s, String reason, Instant at) {
    Map<String, String> entries = dnc.computeIfAbsent(dncList, k -> new HashMap<>());
    int added = 0;
    for (String e164 : new HashSet<>(e164s)) {
      if (entries.putIfAbsent(e164, reason) == null) {
        added++;
      }
    }
    if (GLOBAL_DNC.equals(dncList)) {
      for (Lead lead : List.copyOf(leads.values())) {
        if (e164s.contains(lead.e164()) && !lead.state().isTerminal()) {
          leads.put(lead.id(), applied(lead, new LeadEvent.Finished(DoneReason.DNC), at));
        }
      }
    }
    return added;
  }

  @Override
  public synchronized int callsInLast24h(String e164, Instant now) {
    Instant dayAgo = now.minusSeconds(24 * 3600);
    return (int)
        calls.stream().filter(c -> c.e164().equals(e164) && c.at().isAfter(dayAgo)).count();
  }

  @Override
  public synchronized List<String> dncListsHolding(String e164, Collection<String> dncLists) {
    Set<String> lists = new TreeSet<>(dncLists);
    lists.add(GLOBAL_DNC);
    return lists.stream()
        .filter(list -> dnc.getOrDefault(list, Map.of()).containsKey(e164))
        .toList();
  }
}
