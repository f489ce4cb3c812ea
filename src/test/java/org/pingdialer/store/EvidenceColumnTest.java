package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.AttemptKey;
import org.pingdialer.call.Evidence;

class EvidenceColumnTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
  private static final AttemptKey KEY = new AttemptKey("c1", 7);

  @Test
  void aLongDetailIsCutAtTheSameLengthAsTheRowsWere() {
    String text = EvidenceColumn.encode(List.of(new Evidence("Dial", T, "x".repeat(600) + "END")));

    assertThat(EvidenceColumn.decode(text, KEY).getFirst().detail())
        .hasSize(EvidenceColumn.MAX_DETAIL)
        .doesNotContain("END");
  }

  @Test
  void moreEntriesThanTheColumnHoldsKeepTheFirstAndSayHowManyWereLeftOut() {
    List<Evidence> many =
        IntStream.range(0, 250)
            .mapToObj(i -> new Evidence("Event" + i, T.plusMillis(i), "\u0001".repeat(500)))
            .toList();

    String text = EvidenceColumn.encode(many);
    List<Evidence> read = EvidenceColumn.decode(text, KEY);

    // Even with every character escaped (\u0001 is six), it fits the column.
    assertThat(text.length()).isLessThan(1_000_000);
    assertThat(read).hasSize(EvidenceColumn.MAX_ENTRIES);
    assertThat(read.subList(0, 199)).isEqualTo(many.subList(0, 199));
    assertThat(read.getLast().event()).isEqualTo("EvidenceCut");
    assertThat(read.getLast().detail()).isEqualTo("51 more entries not stored, the last: Event249");
    assertThat(read.getLast().at()).isEqualTo(T.plusMillis(249));
  }

  @Test
  void somethingElseInTheColumnNamesTheAttemptAndWhatIsExpected() {
    assertThatThrownBy(() -> EvidenceColumn.decode("[{\"event\": \"Dial\"}]", KEY))
        .hasMessageContaining("attempt " + KEY)
        .hasMessageContaining("no text \"at\"")
        .hasMessageContaining("JSON array of {\"event\", \"at\", \"detail\"}");
    assertThatThrownBy(() -> EvidenceColumn.decode("{}", KEY)).hasMessageContaining("not a JSON");
  }
}
