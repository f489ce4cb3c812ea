package org.pingdialer.lab.persona;

import java.util.Locale;
import java.util.Optional;
import org.pingdialer.call.KnownBots;

/**
 * The callees of the simulated network, by the two-digit persona code in their number ({@code
 * 4930999 PP NNNN}, see {@code asterisk-config/pstn/extensions.conf}). A persona mix names them in
 * lower case: {@code person}, {@code no_answer}, ...
 */
public enum Persona {
  /** Rings, answers, says hello and stays for a while: ring and stay times are in the number. */
  PERSON("11"),
  BUSY("20"),
  NO_ANSWER("30"),
  UNALLOCATED("40"),
  /** Early-media "not in service" announcement, never answered. */
  INTERCEPT("41"),
  CONGESTION("50"),
  /** Rejects after ringing 1 s. */
  REJECTS("60"),
  /** Answers after 1 s and hangs up about 3 s later. */
  HANGS_UP("70"),
  /** Hangs up while it rings, after 2 s. */
  HANGS_UP_RINGING("71"),
  /** An answering machine: greeting, beep, records. */
  MACHINE("80"),
  // --- the AMD personas (81-87): greetings that make answering-machine detection hard ---
  /** A machine with a short greeting (2.8 s), beep, records. */
  MACHINE_SHORT("81"),
  /** A machine with a long greeting of sentences with short breaths between them (~11 s). */
  MACHINE_LONG("82"),
  /** A machine that starts like a person ("Hello?", 0.5 s pause) and then plays its greeting. */
  MACHINE_HUMANLIKE("83"),
  /** A machine with its greeting off: 6 s of silence, beep, records. */
  MACHINE_SILENT("84"),
  /** A person who answers "Hello?" (0.8 s) and waits silently; hangs up after 20 s. */
  PERSON_HELLO("85"),
  /** A person with a longer greeting in one breath ("Hello world", 1.4 s), then waits. */
  PERSON_GREETING("86"),
  /** A talkative person: "Hello? ... one moment please" (2.7 s), then waits. */
  PERSON_TALKATIVE("87"),
  /** Answers at once and stays silent for an hour. */
  SILENT("90"),
  /**
   * The phone goat ("Telefonziege"), German: rings 1-4 s, answers "Hallo?" and keeps the caller
   * talking, replying after each pause, never hanging up first ({@link GoatLog}).
   */
  GOAT("95"),
  /** The phone goat in English. */
  GOAT_EN("96");

  /** The lab's number block: a Berlin-style prefix no real carrier routes to us. */
  static final String BLOCK = "4930999";

  private final String code;

  Persona(String code) {
    this.code = code;
  }

  /** Whether an answering machine answers: what AMD should say MACHINE to. */
  public boolean isMachine() {
    return switch (this) {
      case MACHINE, MACHINE_SHORT, MACHINE_LONG, MACHINE_HUMANLIKE, MACHINE_SILENT -> true;
      default -> false;
    };
  }

  /** Whether a person answers and speaks first: what AMD should say HUMAN to. */
  public boolean isSpeakingPerson() {
    return switch (this) {
      case PERSON, PERSON_HELLO, PERSON_GREETING, PERSON_TALKATIVE -> true;
      default -> false;
    };
  }

  /** Whether this is the phone goat, in either language. */
  public boolean isGoat() {
    return this == GOAT || this == GOAT_EN;
  }

  /** The two digits after the block. */
  public String code() {
    return code;
  }

  /** The name in a persona mix file. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The persona a mix file names, if any. */
  public static Optional<Persona> ofKey(String key) {
    for (Persona persona : values()) {
      if (persona.key().equals(key)) {
        return Optional.of(persona);
      }
    }
    return Optional.empty();
  }

  /** The goats' numbers as the reports and the dashboard ask for them. */
  public static KnownBots goats() {
    return number -> ofNumber(number).filter(Persona::isGoat).isPresent();
  }

  /** The persona a lab number belongs to (E.164 with or without '+'). */
  public static Optional<Persona> ofNumber(String number) {
    String digits = number.startsWith("+") ? number.substring(1) : number;
    if (digits.length() != 13 || !digits.startsWith(BLOCK)) {
      return Optional.empty();
    }
    String code = digits.substring(7, 9);
    for (Persona persona : values()) {
      if (persona.code.equals(code)) {
        return Optional.of(persona);
      }
    }
    return Optional.empty();
  }
}
