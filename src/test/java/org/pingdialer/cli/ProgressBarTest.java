package org.pingdialer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final StringWriter out = new StringWriter();

  @Test
  void onATerminalOneLineIsRedrawnAndEndedOnClose() {
    try (var bar = new ProgressBar(new PrintWriter(out), true, false)) {
      bar.update(5_000, 250, 1_000);
      bar.update(10_000, 250, 1_000); // same percent: not redrawn
      bar.update(20_000, 1_000, 1_000);
    }
    assertThat(out.toString())
        .isEqualTo(
            "\r[#######                       ] 25%  5,000 rows"
                + "\r[##############################] 100%  20,000 rows"
                + System.lineSeparator());
  }

  @Test
  void elsewherePlainLinesEveryTenPercent() {
    try (var bar = new ProgressBar(new PrintWriter(out), false, false)) {
      for (int percent = 0; percent <= 100; percent += 5) {
        bar.update(percent * 100L, percent, 100);
      }
    }
    assertThat(out.toString().lines())
        .containsExactly(
            "import: 10% (1000 rows)",
            "import: 20% (2000 rows)",
            "import: 30% (3000 rows)",
            "import: 40% (4000 rows)",
            "import: 50% (5000 rows)",
            "import: 60% (6000 rows)",
            "import: 70% (7000 rows)",
            "import: 80% (8000 rows)",
            "import: 90% (9000 rows)");
  }

  @Test
  void silentForJson() {
    try (var bar = new ProgressBar(new PrintWriter(out), true, true)) {
      bar.update(5_000, 500, 1_000);
    }
    assertThat(out.toString()).isEmpty();
  }
}
