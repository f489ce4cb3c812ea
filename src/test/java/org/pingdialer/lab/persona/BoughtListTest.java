package org.pingdialer.lab.persona;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pingdialer.lead.PhoneNumbers;

class BoughtListTest {
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  private static PersonaMix demo() throws Exception {
    return PersonaMix.load(Path.of("asterisk-config/personas/demo-mix.yaml"));
  }

  @Test
  void eachPersonaGetsExactlyItsShareAndEveryNumberRoutesToItsPersona() throws Exception {
    List<BoughtList.Row> rows = BoughtList.generate(demo(), 300, 7, NOW);

    Map<Persona, Long> counts =
        rows.stream()
            .collect(Collectors.groupingBy(BoughtList.Row::persona, Collectors.counting()));
    assertThat(counts)
        .containsEntry(Persona.PERSON, 75L)
        .containsEntry(Persona.BUSY, 30L)
        .containsEntry(Persona.NO_ANSWER, 51L)
        .containsEntry(Persona.UNALLOCATED, 36L)
        .containsEntry(Persona.INTERCEPT, 9L)
        .containsEntry(Persona.CONGESTION, 6L)
        .containsEntry(Persona.REJECTS, 15L)
        .containsEntry(Persona.HANGS_UP, 15L)
        .containsEntry(Persona.HANGS_UP_RINGING, 9L)
        .containsEntry(Persona.MACHINE, 45L)
        .containsEntry(Persona.GOAT, 9L);
    assertThat(new HashSet<>(rows.stream().map(BoughtList.Row::e164).toList())).hasSize(300);
    var numbers = new PhoneNumbers("DE");
    for (BoughtList.Row row : rows) {
      assertThat(Persona.ofNumber(row.e164())).contains(row.persona());
      // As written in the file, the number parses back to the same E.164.
      assertThat(numbers.parse(row.phone()))
          .as(row.phone())
          .isInstanceOfSatisfying(
              PhoneNumbers.Parsed.Valid.class,
              valid -> assertThat(valid.number().e164()).isEqualTo(row.e164()));
    }
  }

  @Test
  void peoplesNumbersCarryTheirRingAndStayFromTheMixesRanges() throws Exception {
    for (BoughtList.Row row : BoughtList.generate(demo(), 300, 7, NOW)) {
      if (row.persona() == Persona.PERSON) {
        int ringSeconds = 2 * (row.e164().charAt(10) - '0');
        int staySeconds = 5 * Integer.parseInt(row.e164().substring(11, 13));
        assertThat(ringSeconds).as(row.e164()).isBetween(2, 16); // 3s-15s in 2 s steps
        assertThat(staySeconds).as(row.e164()).isBetween(30, 180);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameListAndAnotherSeedAnother() throws Exception {
    Function<Long, List<BoughtList.Row>> list = seed -> BoughtList.generate(mix(), 120, seed, NOW);
    assertThat(list.apply(1L)).isEqualTo(list.apply(1L));
    assertThat(list.apply(1L)).isNotEqualTo(list.apply(2L));
  }

  private static PersonaMix mix() {
    try {
      return demo();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theCsvHasTheHeadersListsAreSoldWith() throws Exception {
    var out = new StringWriter();
    BoughtList.writeCsv(BoughtList.generate(demo(), 3, 7, NOW), out);
    String[] lines = out.toString().split("\r\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[0]).isEqualTo("Telefon;Vorname;Nachname;E-Mail;Quelle;Einwilligung;Persona");
    assertThat(lines[1].split(";")).hasSize(7);
  }
}
