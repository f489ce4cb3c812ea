package org.pingdialer.agent;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Reads what an agent keys on the phone, one digit at a time, into commands. Every code starts with
 * {@code *}, so a digit pressed by mistake while talking does nothing:
 *
 * <pre>
 *   *1         refused            *4   do not call (DNC)
 *   *2HHMM#    callback at HH:MM   *5   wrong number
 *   *2HHMM*    (the same, agent-only)
 *   *3         sale               *6   machine
 *   *0         end the customer call (stay in the bridge)
 *   **         ready: end wrap-up now
 *   *7         preview: dial the lead shown now   *8   preview: skip it
 * </pre>
 *
 * A callback time that has passed today means tomorrow. Owned by the agent's loop; not thread-safe.
 */
public final class DtmfCommands {
  private final StringBuilder keys = new StringBuilder();
  private final String agentId;
  private final ZoneId zone;

  /**
   * @param agentId the agent whose keys these are (an agent-only callback belongs to them)
   * @param zone the agent's time zone, for callback times
   */
  public DtmfCommands(String agentId, ZoneId zone) {
    this.agentId = agentId;
    this.zone = zone;
  }

  /** What the agent asked for. */
  public sealed interface Command {
    record File(Disposition disposition) implements Command {}

    record EndCall() implements Command {}

    record Ready() implements Command {}

    /** A preview campaign's agent has read the lead: place the call now. */
    record DialPreview() implements Command {}

    /** A preview campaign's agent passes on the lead shown: give it back, show the next. */
    record SkipPreview() implements Command {}

    /** The keys so far make no code: start again with *. */
    record Invalid(String keys) implements Command {}
  }

  /**
   * Adds one key ({@code 0-9 * #}).
   *
   * @return a command once the keys make one; empty while a code is incomplete
   */
  public Optional<Command> key(char key, ZonedDateTime now) {
    if (keys.isEmpty() && key != '*') {
      return Optional.empty(); // talking, not a code
    }
    keys.append(key);
    String code = keys.toString();
    Optional<Command> command = parse(code, now);
    boolean dead =
        code.length() >= 7
            || (code.length() == 2 && !code.equals("*2"))
            || (code.length() > 2 && code.length() < 7 && !Character.isDigit(key));
    if (command.isPresent() || dead) {
      keys.setLength(0);
      return Optional.of(command.orElse(new Command.Invalid(code)));
    }
    return Optional.empty();
  }

  private Optional<Command> parse(String code, ZonedDateTime now) {
    return switch (code) {
      case "*1" -> file(new Disposition.Refused());
      case "*3" -> file(new Disposition.Sale());
      case "*4" -> file(new Disposition.DoNotCall());
      case "*5" -> file(new Disposition.WrongNumber());
      case "*6" -> file(new Disposition.Machine());
      case "*0" -> Optional.of(new Command.EndCall());
      case "**" -> Optional.of(new Command.Ready());
      case "*7" -> Optional.of(new Command.DialPreview());
      case "*8" -> Optional.of(new Command.SkipPreview());
      default -> callback(code, now);
    };
  }

  private Optional<Command> callback(String code, ZonedDateTime now) {
    if (code.length() != 7 || !code.startsWith("*2")) {
      return Optional.empty();
    }
    char end = code.charAt(6);
    String digits = code.substring(2, 6);
    if ((end != '#' && end != '*') || !digits.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int hour = Integer.parseInt(digits.substring(0, 2));
    int minute = Integer.parseInt(digits.substring(2));
    if (hour > 23 || minute > 59) {
      return Optional.empty();
    }
    ZonedDateTime local = now.withZoneSameInstant(zone);
    LocalDate day = local.toLocalDate();
    ZonedDateTime at = ZonedDateTime.of(day, LocalTime.of(hour, minute), zone);
    if (!at.isAfter(local)) {
      at = at.plusDays(1);
    }
    Optional<String> agentOnly = end == '*' ? Optional.of(agentId) : Optional.empty();
    return file(new Disposition.Callback(at.toInstant(), agentOnly));
  }

  private static Optional<Command> file(Disposition disposition) {
    return Optional.of(new Command.File(disposition));
  }
}
