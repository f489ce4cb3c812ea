package org.pingdialer.lab.agents;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.agent.AgentState;
import org.pingdialer.agent.Disposition;
import org.pingdialer.concurrent.Loops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated agent on a real phone. {@link #login} dials the login extension, waits for the prompt
 * and types the PIN. Observing the desk, it talks to each customer for a {@link TalkTime}, ends the
 * call and files a disposition drawn from a {@link DispositionMix}, by keys on its phone or through
 * the desk's API ({@link Via}), then ends wrap-up early or lets it run out ({@link WrapUpEnd}). A
 * customer who hangs up first gets filed at once.
 *
 * <p>One owner thread ({@code lab-agent-<id>}) holds the agent's state and timers; the desk's
 * observer thread and the phone's event thread only hand over to it.
 */
public final class LabAgent implements AgentDesk.Observer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabAgent.class);

  /** How the agent ends calls and files them. */
  public enum Via {
    /** Keys on the phone: {@code *0}, then the disposition's code, e.g. {@code *3}. */
    PHONE,
    /** The desk's API: {@code endCall}, {@code file}, {@code ready}. */
    DESK
  }

  /** How the agent's wrap-up ends once the call is filed. */
  public enum WrapUpEnd {
    /** Keys {@code **} (or calls {@code ready}) right after filing. */
    READY,
    /** Lets the campaign's wrap-up time run out. */
    EXPIRE
  }

  /**
   * How a lab agent behaves.
   *
   * @param promptWait how long after the login call is answered the agent starts typing its PIN
   *     (the PBX plays a prompt first; digits during it are kept by Read())
   * @param callbackIn how far ahead a callback is asked for (rounded down to the minute)
   * @param voice what the agent's phone sends while it talks: a voice that speaks and pauses (so a
   *     callee who takes turns, the phone goat, gets its turn), or empty for a steady tone
   * @param relogin when the phone's login call ends without the agent hanging up (the PBX
   *     restarted, the controller cut it), the agent logs in again after this pause, and keeps
   *     trying, as a real agent would; empty: it stays logged out
   */
  public record Behaviour(
      TalkTime talk,
      DispositionMix mix,
      Via via,
      WrapUpEnd wrapUpEnd,
      Duration promptWait,
      Duration callbackIn,
      Optional<AgentVoice> voice,
      Optional<Duration> relogin) {
    public Behaviour {
      Objects.requireNonNull(voice, "voice");
      Objects.requireNonNull(relogin, "relogin");
      Objects.requireNonNull(talk, "talk");
      Objects.requireNonNull(mix, "mix");
      Objects.requireNonNull(via, "via");
      Objects.requireNonNull(wrapUpEnd, "wrapUpEnd");
      if (promptWait.isNegative()) {
        throw new IllegalArgumentException("promptWait must be >= 0, was " + promptWait);
      }
      if (callbackIn.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException(
            "callbackIn must be at least 1 minute, was " + callbackIn);
      }
    }

    /** Talks ~20 s (8..90 s), files 60 % refused, 10 % callback, 30 % sale by keys, then ready. */
    public static Behaviour defaults() {
      return new Behaviour(
          new TalkTime(Duration.ofSeconds(20), 0.5, Duration.ofSeconds(8), Duration.ofSeconds(90)),
          DispositionMix.of(60, 10, 30),
          Via.PHONE,
          WrapUpEnd.READY,
          Duration.ofSeconds(1),
          Duration.ofHours(2),
          Optional.empty(),
          Optional.empty());
    }

    public Behaviour withTalk(TalkTime talk) {
      return new Behaviour(talk, mix, via, wrapUpEnd, promptWait, callbackIn, voice, relogin);
    }

    public Behaviour withMix(DispositionMix mix) {
      return new Behaviour(talk, mix, via, wrapUpEnd, promptWait, callbackIn, voice, relogin);
    }

    public Behaviour withVia(Via via) {
      return new Behaviour(talk, mix, via, wrapUpEnd, promptWait, callbackIn, voice, relogin);
    }

    /**
     * The agent speaks with pauses ({@link AgentVoice}). Its talk time is then also its patience
     * with a callee who never ends the call (the phone goat): it ends the call when it runs out.
     */
    public Behaviour withVoice(AgentVoice voice) {
      return new Behaviour(
          talk, mix, via, wrapUpEnd, promptWait, callbackIn, Optional.of(voice), relogin);
    }

    /** Logs in again {@code after} a login call ended that the agent did not hang up. */
    public Behaviour withRelogin(Duration after) {
      return new Behaviour(
          talk, mix, via, wrapUpEnd, promptWait, callbackIn, voice, Optional.of(after));
    }

    public Behaviour withWrapUpEnd(WrapUpEnd wrapUpEnd) {
      return new Behaviour(talk, mix, via, wrapUpEnd, promptWait, callbackIn, voice, relogin);
    }
  }

  /** What a lab agent asks of the desk when it works {@link Via#DESK}. */
  public interface Desk {
    CompletableFuture<Boolean> endCall(String agentId);

    CompletableFuture<Boolean> file(String agentId, Disposition disposition);

    CompletableFuture<Boolean> ready(String agentId);

    /** The real desk. */
    static Desk of(AgentDesk desk) {
      return new Desk() {
        @Override
        public CompletableFuture<Boolean> endCall(String agentId) {
          return desk.endCall(agentId);
        }

        @Override
        public CompletableFuture<Boolean> file(String agentId, Disposition disposition) {
          return desk.file(agentId, disposition);
        }

        @Override
        public CompletableFuture<Boolean> ready(String agentId) {
          return desk.ready(agentId);
        }
      };
    }
  }

  private final AgentAccount account;
  private final LabPhone phone;
  private final String loginUri;
  private final Desk desk;
  private final Behaviour behaviour;
  private final InstantSource clock;
  private final ZoneId zone;
  private final ScheduledExecutorService loop;

  // Touched only on `loop`.
  private final RandomGenerator random;
  private AgentState.Status status = AgentState.Status.LOGGED_OUT;
  private ScheduledFuture<?> talkTimer;
  private long calls;
  private CompletableFuture<Void> login;

  private volatile boolean closed;

  /** The agent hung up itself: it does not log in again. */
  private volatile boolean leaving;

  /** A login again is scheduled (on the loop). */
  private boolean reloginPending;

  /** The phone is in a call (on the loop). */
  private boolean callUp;

  /** A call ringing in is being answered (on the loop). */
  private boolean answeringBack;

  /**
   * @param phone the agent's phone, owned from now on (closed with the agent)
   * @param loginUri where the login extension is, e.g. {@code sip:9000@127.0.0.1:5060}
   * @param random the agent's own random numbers (seed it for reproducible runs); used on the
   *     agent's thread only
   * @param zone the agents' time zone, for callback times keyed on the phone
   */
  public LabAgent(
      AgentAccount account,
      LabPhone phone,
      String loginUri,
      Desk desk,
      Behaviour behaviour,
      RandomGenerator random,
      InstantSource clock,
      ZoneId zone) {
    this.account = account;
    this.phone = phone;
    this.loginUri = loginUri;
    this.desk = desk;
    this.behaviour = behaviour;
    this.random = random;
    this.clock = clock;
    this.zone = zone;
    this.loop = Loops.ownerThread("lab-agent-" + account.id());
    phone.listen(
        new LabPhone.Listener() {
          @Override
          public void ringing() {
            onLoop(LabAgent.this::ringing);
          }

          @Override
          public void established() {
            onLoop(LabAgent.this::callEstablished);
          }

          @Override
          public void closed(String reason) {
            onLoop(() -> callClosed(reason));
          }
        });
  }

  public String id() {
    return account.id();
  }

  /**
   * The agent hangs up the phone, whatever it is doing (the phone sends BYE): mid-call this ends
   * the customer's call too and logs the agent out.
   */
  public CompletableFuture<Void> hangUp() {
    leaving = true;
    return phone.hangup();
  }

  /**
   * Dials the login extension and types the PIN once the call is answered and the prompt had time
   * to start. Completes when the PIN is typed (the desk seats the agent a moment later), or
   * exceptionally when the login call ends before that.
   */
  public CompletableFuture<Void> login() {
    var typed = new CompletableFuture<Void>();
    onLoop(
        () -> {
          login = typed;
          var unused =
              phone
                  .dial(loginUri)
                  .whenComplete(
                      (v, e) -> {
                        if (e != null) {
                          typed.completeExceptionally(e);
                        }
                      });
        });
    return typed;
  }

  /**
   * The phone rings: the desk calls back after a PBX restart cut the agent's call. A logged-out
   * agent picks up (as a person at a real phone would); answered, the desk seats it. A login of its
   * own waiting to be tried again is dropped.
   */
  private void ringing() {
    if (leaving || closed || callUp || login != null) {
      return;
    }
    log.info("lab agent {}: the phone rings; answering (the desk calls back)", account.id());
    answeringBack = true;
    var unused =
        phone
            .answer()
            .whenComplete(
                (v, e) -> {
                  if (e != null) {
                    log.warn("lab agent {}: could not answer: {}", account.id(), e.getMessage());
                    onLoop(
                        () -> {
                          answeringBack = false;
                          loginAgainLater("could not answer the call back");
                        });
                  }
                });
  }

  private void callEstablished() {
    callUp = true;
    answeringBack = false;
    CompletableFuture<Void> typed = login;
    if (typed == null) {
      return;
    }
    var unused =
        loop.schedule(
            () -> typePin(typed), behaviour.promptWait().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void typePin(CompletableFuture<Void> typed) {
    if (typed.isDone()) {
      return; // the call ended while the prompt played
    }
    var unused =
        phone
            .sendDigits(account.pin())
            .whenComplete(
                (v, e) -> {
                  if (e == null) {
                    typed.complete(null);
                  } else {
                    typed.completeExceptionally(e);
                  }
                });
  }

  private void callClosed(String reason) {
    callUp = false;
    answeringBack = false;
    log.info("lab agent {}: phone call closed ({})", account.id(), reason);
    if (login != null && !login.isDone()) {
      login.completeExceptionally(
          new IllegalStateException(
              "login call of lab agent " + account.id() + " ended before the PIN: " + reason));
    }
    login = null;
    loginAgainLater(reason);
  }

  /** After a lost login call (the PBX restarted, say), as {@link Behaviour#relogin} says. */
  private void loginAgainLater(String why) {
    if (behaviour.relogin().isEmpty() || leaving || closed || reloginPending) {
      return;
    }
    reloginPending = true;
    Duration after = behaviour.relogin().get();
    log.info("lab agent {}: logging in again in {} ({})", account.id(), after, why);
    var unused =
        loop.schedule(
            () -> {
              reloginPending = false;
              if (leaving || closed || callUp || answeringBack) {
                return; // seated again by the desk's call back meanwhile
              }
              var unusedLogin =
                  login()
                      .whenComplete(
                          (v, e) -> {
                            if (e != null) {
                              onLoop(() -> loginAgainLater("login failed: " + e.getMessage()));
                            }
                          });
            },
            after.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** The desk's observer: called on the desk's thread, handed over at once. */
  @Override
  public void changed(String agentId, AgentState before, AgentState after) {
    if (agentId.equals(account.id())) {
      onLoop(() -> changed(before.status(), after.status()));
    }
  }

  private void changed(AgentState.Status before, AgentState.Status after) {
    status = after;
    if (after == AgentState.Status.ON_CALL && before != AgentState.Status.ON_CALL) {
      long call = ++calls;
      Duration talk = behaviour.talk().draw(random);
      log.info("lab agent {}: on call {}, talking {}", account.id(), call, talk);
      talkTimer = loop.schedule(() -> endTalk(call), talk.toMillis(), TimeUnit.MILLISECONDS);
    } else if (before == AgentState.Status.ON_CALL) {
      cancelTalk();
      if (after == AgentState.Status.WRAP_UP) {
        file(); // the customer hung up, or our end-of-call took effect
      }
    }
  }

  private void endTalk(long call) {
    if (call != calls || status != AgentState.Status.ON_CALL) {
      return; // the customer hung up first
    }
    log.info("lab agent {}: ending call {}", account.id(), call);
    switch (behaviour.via()) {
      case PHONE -> report(phone.sendDigits("*0"), "keying *0");
      case DESK -> report(desk.endCall(account.id()), "endCall");
    }
  }

  private void file() {
    DispositionMix.Outcome outcome = behaviour.mix().draw(random);
    Instant callbackAt =
        clock.instant().plus(behaviour.callbackIn()).truncatedTo(ChronoUnit.MINUTES);
    boolean ready = behaviour.wrapUpEnd() == WrapUpEnd.READY;
    log.info("lab agent {}: filing call {} as {}", account.id(), calls, outcome);
    switch (behaviour.via()) {
      case PHONE -> {
        String keys = outcome.keys(callbackAt.atZone(zone).toLocalTime()) + (ready ? "**" : "");
        report(phone.sendDigits(keys), "keying " + keys);
      }
      case DESK -> {
        String agentId = account.id();
        report(
            desk.file(agentId, outcome.disposition(callbackAt))
                .thenCompose(
                    filed ->
                        ready ? desk.ready(agentId) : CompletableFuture.completedFuture(filed)),
            "filing " + outcome);
      }
    }
  }

  private void cancelTalk() {
    if (talkTimer != null) {
      talkTimer.cancel(false);
      talkTimer = null;
    }
  }

  private void report(CompletableFuture<?> action, String what) {
    var unused =
        action.whenComplete(
            (v, e) -> {
              if (e != null) {
                log.warn("lab agent {}: {} failed", account.id(), what, e);
              } else if (Boolean.FALSE.equals(v)) {
                log.warn(
                    "lab agent {}: {}: the desk says the agent is not logged in",
                    account.id(),
                    what);
              }
            });
  }

  private void onLoop(Runnable task) {
    if (closed) {
      return;
    }
    try {
      loop.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.error("lab agent {} failed", account.id(), e);
            }
          });
    } catch (RejectedExecutionException closing) {
      // closed meanwhile: nothing left to do
    }
  }

  /** Stops the agent and its phone (hanging up logs the agent out). */
  @Override
  public void close() {
    closed = true;
    loop.shutdownNow();
    phone.close();
  }
}
