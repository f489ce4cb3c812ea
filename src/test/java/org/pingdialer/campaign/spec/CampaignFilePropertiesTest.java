package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 17, property-based: whatever a campaign file holds, reading it gives a campaign or a {@link
 * CampaignFileException} naming the file, never another exception.
 */
class CampaignFilePropertiesTest {
  private static final String GOOD =
      """
      name: props
      profile: lab
      lists: [l]
      trunk: carrier
      default_region: DE
      calling_windows:
        mon-sun: 00:00-24:00
      pacing:
        mode: progressive
        ring_timeout: 10s
      line_check: off
      agent_group: a
      wrap_up: 5s
      """;

  @Property(tries = 500)
  void anyYamlGivesACampaignOrAClearError(@ForAll("mangled") String yaml) {
    try {
      assertThat(CampaignFiles.parse(yaml, "props.yaml").name()).isNotBlank();
    } catch (CampaignFileException e) {
      assertThat(e.getMessage()).contains("props.yaml");
    }
  }

  /** A good file with a piece cut out, a piece repeated or random characters put in. */
  @Provide
  Arbitrary<String> mangled() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, GOOD.length());
    Arbitrary<String> noise =
        Arbitraries.strings().withChars("ab0:- \n\t[]{}&*!|>'\"#%@,?~").ofMaxLength(30);
    return net.jqwik.api.Combinators.combine(at, at, noise)
        .as(
            (from, to, insert) -> {
              int a = Math.min(from, to);
              int b = Math.max(from, to);
              return GOOD.substring(0, a) + insert + GOOD.substring(b);
            });
  }
}
