package org.pingdialer.lab.persona;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public calling the call center, in the lab: each caller is an Asterisk call file dropped into
 * the simulated network's {@code spool/outgoing}, which dials the call center's number through the
 * dialer trunk and then runs one of the network's {@code [callers]} extensions (see {@code
 * asterisk-config/pstn/extensions.conf}). {@link #start} makes callers arrive at a rate per hour
 * (Poisson: exponential gaps), drawn from a {@link Mix}.
 *
 * <p>A caller's own number is a lab number of persona 11 ({@code 4930999 11 1 TT S}: answers after
 * 2 s and stays TT × 5 s), so a callback to it is answered.
 */
public final class InboundCallers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InboundCallers.class);

  private static final AtomicLong FILES = new AtomicLong();

  /**
   * What one caller does once the call center answers.
   *
   * @param extension {@code waits} (stays up to {@code patience}, an agent ends the call), {@code
   *     gives-up} (hangs up after {@code patience}), {@code presses} (presses 1 after {@code
   *     pressAt}, then stays up to {@code patience})
   * @param number the caller's own number (caller ID), E.164 digits
   */
  public record Caller(String extension, Duration patience, Duration pressAt, String number) {
    public Caller {
      if (!List.of("waits", "gives-up", "presses").contains(extension)) {
        throw new IllegalArgumentException("a caller waits, gives-up or presses, not " + extension);
      }
      if (!number.matches("\\d{6,15}")) {
        throw new IllegalArgumentException("a caller's number is E.164 digits, not " + number);
      }
    }

    public static Caller waits(Duration patience, String number) {
      return new Caller("waits", patience, Duration.ZERO, number);
    }

    public static Caller givesUp(Duration patience, String number) {
      return new Caller("gives-up", patience, Duration.ZERO, number);
    }

    public static Caller presses(Duration pressAt, String number) {
      return new Caller("presses", Duration.ofSeconds(30), pressAt, number);
    }
  }

  /**
   * How callers behave: shares of those who give up and who press for a callback (the rest wait for
   * an agent), and the patience range of those who give up.
   */
  public record Mix(double givesUp, double presses, Duration patienceMin, Duration patienceMax) {
    public Mix {
      if (givesUp < 0 || presses < 0 || givesUp + presses > 1) {
        throw new IllegalArgumentException("shares must be at least 0 and add up to at most 1");
      }
      if (patienceMax.compareTo(patienceMin) < 0) {
        throw new IllegalArgumentException("patience_max must not be below patience_min");
      }
    }

    /** Most wait; one in ten gives up after 10–40 s, one in twenty asks for a callback. */
    public static final Mix USUAL =
        new Mix(0.10, 0.05, Duration.ofSeconds(10), Duration.ofSeconds(40));

    Caller draw(SplittableRandom random) {
      double roll = random.nextDouble();
      String number = "4930999111" + "%02d%d".formatted(12, random.nextInt(10));
      if (roll < givesUp) {
        long span = patienceMax.minus(patienceMin).toMillis();
        long patience = patienceMin.toMillis() + (span == 0 ? 0 : random.nextLong(span + 1));
        return Caller.givesUp(Duration.ofMillis(patience), number);
      }
      if (roll < givesUp + presses) {
        return Caller.presses(Duration.ofSeconds(3 + random.nextInt(10)), number);
      }
      return Caller.waits(Duration.ofMinutes(10), number);
    }
  }

  private final Thread thread;
  private volatile boolean stopped;

  private InboundCallers(Runnable arrivals) {
    this.thread = Thread.ofPlatform().daemon().name("lab-callers").unstarted(arrivals);
  }

  /**
   * One caller calls {@code number} now.
   *
   * @param networkDir the simulated network's instance directory ({@code AsteriskStack.pstnDir()})
   */
  public static void call(Path networkDir, String number, Caller caller) {
    if (!number.matches("\\d{3,15}")) {
      throw new IllegalArgumentException("the number called is digits only, not " + number);
    }
    String text =
        String.join(
            "\n",
            "Channel: PJSIP/" + number + "@dialer",
            "CallerID: \"lab caller\" <" + caller.number() + ">",
            "MaxRetries: 0",
            "WaitTime: 30",
            "Context: callers",
            "Extension: " + caller.extension(),
            "Priority: 1",
            "Setvar: PATIENCE=" + seconds(caller.patience()),
            "Setvar: PRESS_AT=" + seconds(caller.pressAt()),
            "");
    // Written beside the spool and moved in whole: Asterisk must never read half a file.
    Path staging = networkDir.resolve("spool/callers-staging");
    Path outgoing = networkDir.resolve("spool/outgoing");
    try {
      Files.createDirectories(staging);
      if (!Files.isDirectory(outgoing)) {
        throw new IllegalStateException(
            outgoing + " does not exist: is the simulated network running (pbx_spool loaded)?");
      }
      Path file =
          staging.resolve(
              "caller-" + ProcessHandle.current().pid() + "-" + FILES.incrementAndGet() + ".call");
      Files.writeString(file, text, StandardCharsets.US_ASCII);
      Files.move(file, outgoing.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a call file into " + outgoing + " failed", e);
    }
  }

  private static String seconds(Duration duration) {
    return Long.toString(Math.max(0, duration.toSeconds()));
  }

  /**
   * Callers from {@code mix} call {@code numbers} (in turn) at {@code perHour} on average, from now
   * until {@link #close}.
   */
  public static InboundCallers start(
      Path networkDir, List<String> numbers, double perHour, Mix mix, long seed) {
    if (numbers.isEmpty() || !(perHour > 0 && perHour <= 36_000)) {
      throw new IllegalArgumentException(
          "callers need at least one number and a rate above 0 and at most 36000 per hour");
    }
    var random = new SplittableRandom(seed);
    double meanGapMillis = 3_600_000.0 / perHour;
    var callers = new InboundCallers[1];
    callers[0] =
        new InboundCallers(
            () -> {
              int next = 0;
              while (!callers[0].stopped) {
                long gap = Math.round(-Math.log(1 - random.nextDouble()) * meanGapMillis);
                try {
                  Thread.sleep(Math.max(1, gap));
                } catch (InterruptedException e) {
                  return;
                }
                if (callers[0].stopped) {
                  return;
                }
                Caller caller = mix.draw(random);
                String number = numbers.get(next++ % numbers.size());
                try {
                  call(networkDir, number, caller);
                  log.debug("lab caller {} calls {}", caller, number);
                } catch (RuntimeException e) {
                  log.warn("a lab caller could not call {}: {}", number, e.getMessage());
                }
              }
            });
    callers[0].thread.start();
    return callers[0];
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
