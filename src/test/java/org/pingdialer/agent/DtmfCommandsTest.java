package org.pingdialer.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.DtmfCommands.Command;

class DtmfCommandsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** 14:00 in Berlin. */
  private static final ZonedDateTime NOW =
      Instant.parse("2026-11-28T13:00:00Z").atZone(ZoneId.of("UTC"));

  private static List<Command> keys(String pressed) {
    var commands = new DtmfCommands("agent1", BERLIN);
    List<Command> out = new ArrayList<>();
    for (int i = 0; i < pressed.length(); i++) {
      commands.key(pressed.charAt(i), NOW).ifPresent(out::add);
    }
    return out;
  }

  @Test
  void eachCodeFilesItsDisposition() {
    assertThat(keys("*1*3*4*5*6"))
        .containsExactly(
            new Command.File(new Disposition.Refused()),
            new Command.File(new Disposition.Sale()),
            new Command.File(new Disposition.DoNotCall()),
            new Command.File(new Disposition.WrongNumber()),
            new Command.File(new Disposition.Machine()));
    assertThat(keys("*0**")).containsExactly(new Command.EndCall(), new Command.Ready());
    assertThat(keys("*7*8")).containsExactly(new Command.DialPreview(), new Command.SkipPreview());
  }

  @Test
  void callbacksAtALaterTimeAreTodayAnEarlierTimeTomorrowAndStarMeansAgentOnly() {
    assertThat(keys("*21630#"))
        .containsExactly(
            new Command.File(
                new Disposition.Callback(Instant.parse("2026-11-28T15:30:00Z"), Optional.empty())));
    assertThat(keys("*20915*"))
        .containsExactly(
            new Command.File(
                new Disposition.Callback(
                    Instant.parse("2026-11-29T08:15:00Z"), Optional.of("agent1"))));
  }

  @Test
  void digitsWithoutAStarAreTalkAndBrokenCodesAreReportedOnce() {
    assertThat(keys("123#")).isEmpty();
    assertThat(keys("*9")).containsExactly(new Command.Invalid("*9"));
    assertThat(keys("*2#")).containsExactly(new Command.Invalid("*2#"));
    assertThat(keys("*22561#")).containsExactly(new Command.Invalid("*22561#"));
    // After an invalid code the next one works.
    assertThat(keys("*9*1"))
        .containsExactly(new Command.Invalid("*9"), new Command.File(new Disposition.Refused()));
  }

  @Test
  void dispositionsHaveReportCodes() {
    assertThat(
            List.of(
                new Disposition.Refused(),
                new Disposition.Callback(Instant.EPOCH, Optional.empty()),
                new Disposition.Sale(),
                new Disposition.DoNotCall(),
                new Disposition.WrongNumber(),
                new Disposition.Machine()))
        .extracting(Disposition::code)
        .containsExactly("refused", "callback", "sale", "dnc", "wrong_number", "machine");
  }
}
