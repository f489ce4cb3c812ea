package org.pingdialer.lab.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoatLogTest {
  @TempDir Path dir;

  @Test
  void readsPhrasesAndCallEndsAsTheDialplanWritesThem() throws Exception {
    Path file = dir.resolve("goat.log");
    Files.writeString(
        file,
        """
        2026-11-29T01:25:41.985Z at=1795915541.985 call=1795915539.1 voice=de event=phrase n=1 name=open1 why=answer
        2026-11-29T01:25:45.323Z at=1795915545.323 call=1795915539.1 voice=de event=phrase n=2 name=open2 why=reply
        2026-11-29T01:25:50.459Z at=1795915550.459 call=1795915539.1 voice=de event=end held=8.47499999997671694 phrases=2 asks=0 hangup_by=PJSIP/dialer-00000001 cause=16
        2026-11-29T01:26:00.000Z at=1795915560.000 call=1795915551.2 voice=en event=end held=12.5 phrases=3 asks=1 hangup_by=dialplan/builtin cause=16
        """);

    GoatLog log = GoatLog.read(file);

    assertThat(log.phrasesOf("1795915539.1"))
        .extracting(GoatLog.Phrase::name, GoatLog.Phrase::why)
        .containsExactly(Tuple.tuple("open1", "answer"), Tuple.tuple("open2", "reply"));
    assertThat(log.phrases().get(1).at()).isEqualTo(Instant.ofEpochMilli(1795915545323L));
    GoatLog.Call first = log.calls().get(0);
    assertThat(first.held()).isEqualTo(Duration.ofMillis(8474));
    assertThat(first.phrases()).isEqualTo(2);
    assertThat(first.cause()).isEqualTo(16);
    assertThat(first.endedByGoat()).isFalse();
    assertThat(log.calls().get(1).endedByGoat()).isTrue();
    assertThat(log.totalHeld()).isEqualTo(Duration.ofMillis(8474 + 12500));
  }

  @Test
  void noFileYetIsAnEmptyLog() {
    assertThat(GoatLog.of(dir).calls()).isEmpty();
    assertThat(GoatLog.of(dir).totalHeld()).isZero();
  }

  @Test
  void aLineItDoesNotKnowNamesTheFileAndLine() throws Exception {
    Path file = dir.resolve("goat.log");
    Files.writeString(file, "at=1 call=x event=phrase n=1 name=open1 why=answer\nsomething else\n");
    assertThatThrownBy(() -> GoatLog.read(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file + ":2: not a line of the phone goat's log");
  }
}
