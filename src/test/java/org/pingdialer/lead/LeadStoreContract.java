package org.pingdialer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.pingdialer.lead.LeadEvent.DoneReason;
import org.pingdialer.lead.LeadEvent.WaitReason;

/** What every {@link LeadStore} must do; the in-memory fake, H2 and PostgreSQL all run it. */
public abstract class LeadStoreContract {
  /** 10:00 UTC = 11:00 in Berlin, 05:00 in New York. */
  protected static final Instant T = Instant.parse("2026-11-28T10:00:00Z");

  private static final PhoneNumbers GERMANY = new PhoneNumbers("DE");

  /** The calling window of these tests: 08:00–21:00 local time. */
  private static boolean daytime(ZonedDateTime local) {
    return local.getHour() >= 8 && local.getHour() < 21;
  }

  protected abstract LeadStore newStore();

  /** Tells the store's 24 h cap that {@code e164} was called at {@code at}. */
  protected abstract void recordCall(LeadStore store, String e164, Instant at);

  protected static NewLead lead(long line, String written) {
    var number = ((PhoneNumbers.Parsed.Valid) GERMANY.parse(written)).number();
    return new NewLead(line, number, Contact.none(), Map.of());
  }

  protected static List<Long> importInto(LeadStore store, String list, NewLead... leads) {
    try (var session = store.beginImport(list, "DE", "test.csv", T)) {
      session.add(List.of(leads));
      session.commit(new LeadStore.ImportCounts(leads.length, leads.length, 0, 0, 0, 0));
    }
    return store.leadsOf(list, 10_000).stream()
        .map(Lead::id)
        .skip(Math.max(0, store.leadsOf(list, 10_000).size() - leads.length))
        .toList();
  }

  protected static ClaimRequest.Builder claim(String... lists) {
    return new ClaimRequest.Builder(
        "c1", "dialer-1", List.of(lists), T, LeadStoreContract::daytime);
  }

  @Test
  public void aCommittedImportStoresLeadsWithNumberContactAndAttributes() {
    LeadStore store = newStore();
    var consentAt = Instant.parse("2026-03-01T12:00:00Z");
    var contact =
        new Contact(
            Optional.of("Jörg"),
            Optional.of("Müller"),
            Optional.empty(),
            Optional.of("jm@example.org"),
            Optional.of("web form"),
            Optional.of("yes"),
            Optional.of(consentAt));
    var number = ((PhoneNumbers.Parsed.Valid) GERMANY.parse("030 1234567")).number();
    try (var session = store.beginImport("summer", "DE", "summer.csv", T)) {
      session.add(List.of(new NewLead(7, number, contact, Map.of("Größe", "L", "plz", "10115"))));
      session.commit(new LeadStore.ImportCounts(3, 1, 1, 1, 0, 0));
    }

    Lead stored = store.leadsOf("summer", 10).getFirst();
    assertThat(stored.e164()).isEqualTo("+49301234567");
    assertThat(stored.type()).isEqualTo(PhoneNumber.Type.FIXED_LINE);
    assertThat(stored.timezones()).isEqualTo("Europe/Berlin");
    assertThat(stored.line()).isEqualTo(7);
    assertThat(stored.list()).isEqualTo("summer");
    assertThat(stored.contact()).isEqualTo(contact);
    assertThat(stored.state()).isEqualTo(LeadState.NEW);
    assertThat(stored.attempts()).isZero();
    assertThat(store.attributesOf(stored.id()))
        .containsExactlyInAnyOrderEntriesOf(Map.of("Größe", "L", "plz", "10115"));
    assertThat(store.find(stored.id())).contains(stored);
  }

  @Test
  public void anImportClosedWithoutCommitLeavesNothing() {
    LeadStore store = newStore();
    importInto(store, "summer", lead(2, "030 1111111"));
    try (var session = store.beginImport("summer", "DE", "broken.csv", T)) {
      session.add(List.of(lead(2, "030 2222222")));
    }
    try (var session = store.beginImport("autumn", "DE", "broken.csv", T)) {
      session.add(List.of(lead(2, "030 3333333")));
    }
    assertThat(store.leadsOf("summer", 10)).extracting(Lead::e164).containsExactly("+49301111111");
    assertThat(store.leadsOf("autumn", 10)).isEmpty();
  }

  /**
   * A failed import deletes the list it created, unless a second import has filled the list
   * meanwhile: those leads must stay, in their list (on the databases, the foreign keys from lead
   * to its import and from the import to its list guarantee it).
   */
  @Test
  public void aFailedImportLeavesItsListWhenAnotherImportFilledIt() {
    LeadStore store = newStore();
    try (var failing = store.beginImport("fresh", "DE", "broken.csv", T)) {
      failing.add(List.of(lead(2, "030 2222222")));
      try (var other = store.beginImport("fresh", "DE", "good.csv", T)) {
        other.add(List.of(lead(2, "030 1111111")));
        other.commit(new LeadStore.ImportCounts(1, 1, 0, 0, 0, 0));
      }
    }
    assertThat(store.leadsOf("fresh", 10)).extracting(Lead::e164).containsExactly("+49301111111");
    try (var later = store.beginImport("fresh", "DE", "again.csv", T)) {
      List<String> seen = new ArrayList<>();
      later.forEachExistingNumber(seen::add);
      assertThat(seen).containsExactly("+49301111111");
    }
  }

  @Test
  public void anImportSeesTheNumbersAlreadyInItsListOnly() {
    LeadStore store = newStore();
    importInto(store, "summer", lead(2, "030 1111111"), lead(3, "030 2222222"));
    importInto(store, "autumn", lead(2, "030 3333333"));
    List<String> seen = new ArrayList<>();
    try (var session = store.beginImport("summer", "DE", "more.csv", T)) {
      session.forEachExistingNumber(seen::add);
    }
    assertThat(seen).containsExactlyInAnyOrder("+49301111111", "+49302222222");
  }

  @Test
  public void theLifecycleIsAppliedAndAnIllegalStepChangesNothing() {
    LeadStore store = newStore();
    long id = importInto(store, "summer", lead(2, "030 1111111")).getFirst();
    store.apply(id, new LeadEvent.CheckStarted(), T);
    store.apply(id, new LeadEvent.CheckedLive(), T);
    Lead claimed = store.claim(claim("summer").build()).getFirst();
    assertThat(claimed.state()).isEqualTo(LeadState.QUEUED);
    assertThat(claimed.claimedFor()).contains("c1");
    store.apply(id, new LeadEvent.DialStarted(), T);
    Instant due = T.plus(Duration.ofMinutes(10));
    Lead waiting =
        store.apply(id, new LeadEvent.Scheduled(WaitReason.REDIAL, due, Optional.empty()), T);
    assertThat(waiting.state()).isEqualTo(LeadState.WAITING);
    assertThat(waiting.dueAt()).contains(due);
    assertThat(waiting.attempts()).isEqualTo(2);

    assertThatThrownBy(() -> store.apply(id, new LeadEvent.DialStarted(), T.plusSeconds(1)))
        .isInstanceOf(LeadTransitions.IllegalLeadTransitionException.class)
        .hasMessageContaining("not allowed in state WAITING");
    assertThat(store.find(id).orElseThrow()).isEqualTo(waiting);
  }

  @Test
  public void theHopperClaimsOnlyDialableLeadsAndCallbacksFirst() {
    LeadStore store = newStore();
    List<Long> ids =
        importInto(
            store,
            "summer",
            lead(2, "030 1000001"), // NEW: not dialable while line checks are on
            lead(3, "030 1000002"), // LIVE
            lead(4, "030 1000003"), // WAITING, not yet due
            lead(5, "030 1000004"), // WAITING callback, due
            lead(6, "030 1000005"), // DEAD
            lead(7, "+1 212 736 2000")); // LIVE, but 05:00 in New York
    live(store, ids.get(1));
    live(store, ids.get(2));
    schedule(store, ids.get(2), WaitReason.REDIAL, T.plusSeconds(60));
    live(store, ids.get(3));
    schedule(store, ids.get(3), WaitReason.CALLBACK, T.minusSeconds(60));
    store.apply(ids.get(4), new LeadEvent.CheckStarted(), T);
    store.apply(ids.get(4), new LeadEvent.FoundDead("UNALLOCATED"), T);
    live(store, ids.get(5));

    List<Lead> claimed = store.claim(claim("summer", "other").max(10).build());

    assertThat(claimed).extracting(Lead::id).containsExactly(ids.get(3), ids.get(1));
    assertThat(claimed.getFirst().waitReason()).contains(WaitReason.CALLBACK);
    assertThat(store.claim(claim("summer").max(10).build())).isEmpty();
  }

  @Test
  public void uncheckedLeadsAreClaimedWhenLineChecksAreOff() {
    LeadStore store = newStore();
    long id = importInto(store, "summer", lead(2, "030 1000001")).getFirst();
    assertThat(store.claim(claim("summer").build())).isEmpty();
    assertThat(store.claim(claim("summer").includeUnchecked().build()))
        .extracting(Lead::id)
        .containsExactly(id);
  }

  @Test
  public void theHopperHonoursAttemptCapsDncAndConsent() {
    LeadStore store = newStore();
    var consent =
        new Contact(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("yes"),
            Optional.of(T.minus(Duration.ofDays(30))));
    var withConsent =
        new NewLead(
            6,
            ((PhoneNumbers.Parsed.Valid) GERMANY.parse("030 1000005")).number(),
            consent,
            Map.of());
    List<Long> ids =
        importInto(
            store,
            "summer",
            lead(2, "030 1000001"), // called twice today
            lead(3, "030 1000002"), // on the global DNC list
            lead(4, "030 1000003"), // on the campaign's DNC list
            lead(5, "030 1000004"), // no consent
            withConsent);
    ids.forEach(id -> live(store, id));
    recordCall(store, "+49301000001", T.minus(Duration.ofHours(2)));
    recordCall(store, "+49301000001", T.minus(Duration.ofHours(3)));
    recordCall(store, "+49301000005", T.minus(Duration.ofHours(25)));
    store.addDnc("summer-dnc", List.of("+49301000003"), "asked by phone", T);
    store.addDnc("other-dnc", List.of("+49301000004"), "another campaign's list", T);

    // The global entry ends the open lead at once; the campaign list is checked by the hopper.
    store.addDnc(LeadStore.GLOBAL_DNC, List.of("+49301000002"), "opt-out", T);
    assertThat(store.find(ids.get(1)).orElseThrow().doneReason()).contains(DoneReason.DNC);

    assertThat(
            store.claim(
                claim("summer")
                    .max(10)
                    .maxPer24h(2)
                    .dncLists(List.of("summer-dnc"))
                    .requireConsent()
                    .build()))
        .extracting(Lead::id)
        .containsExactly(ids.get(4));
    assertThat(
            store.claim(
                claim("summer").max(10).maxPer24h(2).dncLists(List.of("summer-dnc")).build()))
        .extracting(Lead::id)
        .containsExactly(ids.get(3));
    assertThat(
            store.claim(
                claim("summer").max(10).maxPer24h(3).dncLists(List.of("summer-dnc")).build()))
        .extracting(Lead::id)
        .containsExactly(ids.get(0));
  }

  @Test
  public void callsInTheLast24HoursAreCountedPerNumber() {
    LeadStore store = newStore();
    recordCall(store, "+49301000001", T.minus(Duration.ofHours(23)));
    recordCall(store, "+49301000001", T.minus(Duration.ofHours(25)));
    recordCall(store, "+49301000002", T.minus(Duration.ofHours(1)));
    assertThat(store.callsInLast24h("+49301000001", T)).isEqualTo(1);
    assertThat(store.callsInLast24h("+49301000003", T)).isZero();
  }

  @Test
  public void theLifetimeCapCountsEveryCallToTheLead() {
    LeadStore store = newStore();
    long id = importInto(store, "summer", lead(2, "030 1000001")).getFirst();
    live(store, id); // the line check is attempt 1
    store.claim(claim("summer").build());
    store.apply(id, new LeadEvent.DialStarted(), T);
    schedule(store, id, WaitReason.REDIAL, T);
    assertThat(store.claim(claim("summer").maxLifetime(2).build())).isEmpty();
    assertThat(store.claim(claim("summer").maxLifetime(3).build())).hasSize(1);
  }

  @Test
  public void aNumberInTwoListsIsNeverClaimedTwiceAtOnce() {
    LeadStore store = newStore();
    long inSummer = importInto(store, "summer", lead(2, "030 1000001")).getFirst();
    long inAutumn = importInto(store, "autumn", lead(2, "030 1000001")).getFirst();
    live(store, inSummer);
    live(store, inAutumn);

    List<Lead> first = store.claim(claim("summer", "autumn").max(10).build());
    assertThat(first).hasSize(1);
    // While that lead is queued (and later dialing), its twin in the other list waits.
    assertThat(store.claim(claim("summer", "autumn").max(10).build())).isEmpty();
    store.apply(first.getFirst().id(), new LeadEvent.DialStarted(), T);
    assertThat(store.claim(claim("summer", "autumn").max(10).build())).isEmpty();
    store.apply(first.getFirst().id(), new LeadEvent.Finished(DoneReason.REFUSED), T);
    assertThat(store.claim(claim("summer", "autumn").max(10).build())).hasSize(1);
  }

  @Test
  public void releasedClaimsAreDialableAgain() {
    LeadStore store = newStore();
    long id = importInto(store, "summer", lead(2, "030 1000001")).getFirst();
    live(store, id);
    assertThat(store.claim(claim("summer").build())).hasSize(1);
    assertThat(store.releaseClaims("someone-else", "stopped", T)).isZero();
    assertThat(store.releaseClaims("dialer-1", "stopped", T)).isEqualTo(1);
    Lead released = store.find(id).orElseThrow();
    assertThat(released.state()).isEqualTo(LeadState.WAITING);
    assertThat(released.waitReason()).contains(WaitReason.RELEASED);
    assertThat(store.claim(claim("summer").build())).extracting(Lead::id).containsExactly(id);
  }

  /** Issue 17: a lost call is not counted, and an agent redial stays an agent redial. */
  @Test
  public void aLostCallIsGivenBackDueNowWithoutCountingAndTheDialingLeadsAreListed() {
    LeadStore store = newStore();
    List<Long> ids = importInto(store, "summer", lead(2, "030 1000001"), lead(3, "030 1000002"));
    long plain = ids.get(0);
    long reserved = ids.get(1);
    live(store, plain);
    live(store, reserved);
    schedule(store, reserved, WaitReason.AGENT_REDIAL, T);
    assertThat(store.claim(claim("summer").max(10).build())).hasSize(2);
    store.apply(plain, new LeadEvent.DialStarted(), T);
    store.apply(reserved, new LeadEvent.DialStarted(), T);
    int before = store.find(plain).orElseThrow().attempts();
    assertThat(store.dialing("c1")).extracting(Lead::id).containsExactly(plain, reserved);
    assertThat(store.dialing("other")).isEmpty();

    Instant later = T.plusSeconds(60);
    Lead lost = store.apply(plain, new LeadEvent.CallLost("LOST"), later);
    assertThat(lost.state()).isEqualTo(LeadState.WAITING);
    assertThat(lost.attempts()).isEqualTo(before - 1);
    assertThat(lost.dueAt()).contains(later);
    assertThat(lost.waitReason()).contains(WaitReason.RELEASED);
    Lead keptReason = store.apply(reserved, new LeadEvent.CallLost("LOST"), later);
    assertThat(keptReason.waitReason()).contains(WaitReason.AGENT_REDIAL);
    assertThat(store.dialing("c1")).isEmpty();
  }

  @Test
  public void dncListsHoldingNamesTheListsAndTheGlobalOne() {
    LeadStore store = newStore();
    assertThat(store.addDnc("summer-dnc", List.of("+49301000001", "+49301000001"), "x", T))
        .isEqualTo(1);
    assertThat(store.addDnc("summer-dnc", List.of("+49301000001"), "again", T)).isZero();
    store.addDnc(LeadStore.GLOBAL_DNC, List.of("+49301000001"), "x", T);
    assertThat(store.dncListsHolding("+49301000001", List.of("summer-dnc")))
        .containsExactly("global", "summer-dnc");
    assertThat(store.dncListsHolding("+49301000001", List.of())).containsExactly("global");
    assertThat(store.dncListsHolding("+49301000002", List.of("summer-dnc"))).isEmpty();
    try (var session = store.beginImport("summer", "DE", "x.csv", T)) {
      assertThat(session.onDnc(List.of("+49301000001", "+49301000002"), List.of()))
          .containsExactly("+49301000001");
    }
  }

  @Test
  public void concurrentClaimersNeverGetTheSameLead() throws Exception {
    LeadStore store = newStore();
    NewLead[] leads = new NewLead[200];
    for (int i = 0; i < leads.length; i++) {
      leads[i] = lead(i + 2, "030 2" + String.format("%06d", i));
    }
    importInto(store, "summer", leads);
    var pool = Executors.newFixedThreadPool(6);
    var start = new CountDownLatch(1);
    var claimedSoFar = new AtomicInteger();
    List<Future<List<Lead>>> rounds = new ArrayList<>();
    for (int claimer = 0; claimer < 6; claimer++) {
      String name = "dialer-" + claimer;
      Callable<List<Lead>> work =
          () -> {
            start.await();
            List<Lead> mine = new ArrayList<>();
            // A claim may return fewer leads than asked while others hold rows locked; claimers
            // go on until all 200 are taken (or 10 s pass and the count below fails).
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (claimedSoFar.get() < leads.length && System.nanoTime() < deadline) {
              List<Lead> got =
                  store.claim(
                      new ClaimRequest.Builder(
                              "c1", name, List.of("summer"), T, LeadStoreContract::daytime)
                          .max(3)
                          .includeUnchecked()
                          .build());
              claimedSoFar.addAndGet(got.size());
              mine.addAll(got);
            }
            return mine;
          };
      rounds.add(pool.submit(work));
    }
    start.countDown();
    Set<Long> seen = new HashSet<>();
    int total = 0;
    for (var round : rounds) {
      for (Lead lead : round.get()) {
        assertThat(seen.add(lead.id())).as("lead %d claimed twice", lead.id()).isTrue();
        total++;
      }
    }
    pool.shutdown();
    assertThat(total).isEqualTo(200);
  }

  @Test
  public void
      anAgentsOwnCallbackIsHandedOutOnlyWhileThatAgentIsReadyAndKeepsItsAgentWhenReleased() {
    LeadStore store = newStore();
    importInto(store, "summer", lead(2, "030 1000001"));
    long id = store.leadsOf("summer", 1).getFirst().id();
    live(store, id);
    store.apply(id, new LeadEvent.Claimed("c1", "dialer-1"), T);
    store.apply(id, new LeadEvent.DialStarted(), T);
    store.apply(
        id,
        new LeadEvent.Scheduled(WaitReason.CALLBACK, T.plusSeconds(60), Optional.of("agent7")),
        T);
    Instant later = T.plusSeconds(120);
    Function<Set<String>, List<Lead>> claimWith =
        ready ->
            store.claim(
                new ClaimRequest.Builder(
                        "c1", "dialer-1", List.of("summer"), later, LeadStoreContract::daytime)
                    .readyAgents(ready)
                    .build());

    assertThat(claimWith.apply(Set.of())).isEmpty();
    assertThat(claimWith.apply(Set.of("agent1"))).isEmpty();
    Lead claimed = claimWith.apply(Set.of("agent1", "agent7")).getFirst();
    assertThat(claimed.callbackAgent()).contains("agent7");

    Lead released = store.apply(id, new LeadEvent.Released("agent7 left"), later);
    assertThat(released.waitReason()).contains(WaitReason.CALLBACK);
    assertThat(released.callbackAgent()).contains("agent7");
    assertThat(claimWith.apply(Set.of("agent1"))).isEmpty();
  }

  @Test
  public void lineChecksClaimOnlyNewLeadsAndAStoppedCheckIsTriedAgainLater() {
    LeadStore store = newStore();
    importInto(store, "summer", lead(2, "030 1000001"), lead(3, "030 1000002"));
    List<Lead> all = store.leadsOf("summer", 10);
    live(store, all.get(1).id());
    ClaimRequest request =
        new ClaimRequest.Builder(
                "c1", "checker-1", List.of("summer"), T, LeadStoreContract::daytime)
            .max(5)
            .build();

    List<Lead> checking = store.claimForLineCheck(request);
    assertThat(checking).extracting(Lead::id).containsExactly(all.get(0).id());
    assertThat(checking.getFirst().state()).isEqualTo(LeadState.CHECKING);
    assertThat(checking.getFirst().attempts()).isEqualTo(1);
    assertThat(store.claimForLineCheck(request)).isEmpty();

    // The checker stops before the check ends: the lead is NEW again, not before 10 minutes.
    assertThat(store.releaseClaims("checker-1", "stopped", T)).isEqualTo(1);
    Lead again = store.find(all.get(0).id()).orElseThrow();
    assertThat(again.state()).isEqualTo(LeadState.NEW);
    assertThat(store.claimForLineCheck(request)).isEmpty();
    ClaimRequest later =
        new ClaimRequest.Builder(
                "c1",
                "checker-1",
                List.of("summer"),
                T.plusSeconds(601),
                LeadStoreContract::daytime)
            .build();
    assertThat(store.claimForLineCheck(later)).extracting(Lead::id).containsExactly(again.id());
  }

  @Test
  public void waitingLeadsAreListedSoonestDueFirst() {
    LeadStore store = newStore();
    importInto(
        store, "summer", lead(2, "030 1000001"), lead(3, "030 1000002"), lead(4, "030 1000003"));
    List<Lead> all = store.leadsOf("summer", 10);
    for (Lead lead : all) {
      live(store, lead.id());
    }
    schedule(store, all.get(0).id(), WaitReason.REDIAL, T.plusSeconds(600));
    schedule(store, all.get(2).id(), WaitReason.CALLBACK, T.plusSeconds(60));

    assertThat(store.waiting("summer"))
        .extracting(Lead::id, l -> l.dueAt().orElseThrow(), l -> l.waitReason().orElseThrow())
        .containsExactly(
            Tuple.tuple(all.get(2).id(), T.plusSeconds(60), WaitReason.CALLBACK),
            Tuple.tuple(all.get(0).id(), T.plusSeconds(600), WaitReason.REDIAL));
    assertThat(store.waiting("other")).isEmpty();
  }

  private static void live(LeadStore store, long id) {
    store.apply(id, new LeadEvent.CheckStarted(), T);
    store.apply(id, new LeadEvent.CheckedLive(), T);
  }

  private static void schedule(LeadStore store, long id, WaitReason reason, Instant due) {
    if (store.find(id).orElseThrow().state() == LeadState.LIVE) {
      store.apply(id, new LeadEvent.Claimed("c1", "dialer-1"), T);
      store.apply(id, new LeadEvent.DialStarted(), T);
    }
    store.apply(id, new LeadEvent.Scheduled(reason, due, Optional.empty()), T);
  }
}
