package org.pingdialer.lab.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PersonaMixTest {
  @Test
  void theDemoMixReads() throws Exception {
    PersonaMix mix = PersonaMix.load(Path.of("asterisk-config/personas/demo-mix.yaml"));
    assertThat(mix.seed()).isEqualTo(2026);
    assertThat(mix.shares()).hasSize(11);
    PersonaMix.Share person = mix.shares().get(Persona.PERSON);
    assertThat(person.share()).isEqualTo(0.25);
    assertThat(person.ring())
        .contains(new PersonaMix.Range(Duration.ofSeconds(3), Duration.ofSeconds(15)));
    assertThat(person.stays())
        .contains(new PersonaMix.Range(Duration.ofSeconds(30), Duration.ofSeconds(180)));
  }

  @Test
  void everyProblemIsNamedWithItsPlaceAndTheFix() {
    String yaml =
        """
        seed: x
        colour: blue
        personas:
          persson: {share: 0.5}
          busy: {share: 1.5, ring: 2s-3s}
          person: {share: 0.2, ring: 9s-2s, stays: 20s-600s}
        """;
    assertThatThrownBy(() -> PersonaMix.parse(yaml, "mix.yaml"))
        .isInstanceOfSatisfying(
            PersonaMixException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "mix.yaml: colour: unknown key; a mix has 'seed' and 'personas'",
                        "mix.yaml: seed: must be a whole number, was \"x\"",
                        "mix.yaml: personas.persson: unknown persona; one of person, busy,"
                            + " no_answer, unallocated, intercept, congestion, rejects, hangs_up,"
                            + " hangs_up_ringing, machine, machine_short, machine_long,"
                            + " machine_humanlike, machine_silent, person_hello, person_greeting,"
                            + " person_talkative, silent, goat, goat_en",
                        "mix.yaml: personas.busy.ring: unknown key; only share can be set for busy",
                        "mix.yaml: personas.busy.share: must be a number above 0 and at most 1,"
                            + " was 1.5",
                        "mix.yaml: personas.person.ring: must be a range like 2s-14s (low to"
                            + " high), was 9s-2s",
                        "mix.yaml: personas.person.stays: at most 495s (the number carries it),"
                            + " was 20s-600s"));
  }

  @Test
  void sharesMustAddUpToOne() {
    assertThatThrownBy(
            () ->
                PersonaMix.parse(
                    "personas:\n  busy: {share: 0.5}\n  no_answer: {share: 0.3}\n", "m.yaml"))
        .hasMessage("m.yaml: personas: the shares add up to 0.800; they must add up to 1");
    assertThatThrownBy(() -> PersonaMix.parse("personas:\n  person: {share: 1}\n", "m.yaml"))
        .hasMessage(
            "m.yaml: personas.person: a person needs ring and stays, e.g. ring: 2s-14s, stays:"
                + " 20s-120s");
  }
}
