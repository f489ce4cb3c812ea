package org.pingdialer.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import org.pingdialer.lead.LeadImporter;

/**
 * A one-line progress bar on a terminal (stderr, redrawn with CR); on anything else a plain line
 * every 10 %, so logs and pipes stay readable. Silent in JSON mode.
 */
final class ProgressBar implements LeadImporter.Progress, AutoCloseable {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final boolean terminal;
  private final boolean silent;
  private int lastPercent = -1;
  private boolean drawn;

  ProgressBar(PrintWriter err, boolean terminal, boolean silent) {
    this.err = err;
    this.terminal = terminal;
    this.silent = silent;
  }

  static ProgressBar forImport(PrintWriter err, boolean json) {
    return new ProgressBar(err, isTerminal(), json);
  }

  @Override
  public void update(long rows, long bytesRead, long fileSize) {
    if (silent || fileSize <= 0) {
      return;
    }
    int percent = (int) Math.min(100, bytesRead * 100 / fileSize);
    if (terminal) {
      if (percent == lastPercent && rows % 50_000 != 0) {
        return;
      }
      int filled = percent * WIDTH / 100;
      err.print(
          "\r["
              + "#".repeat(filled)
              + " ".repeat(WIDTH - filled)
              + "] "
              + percent
              + "%  "
              + String.format("%,d", rows)
              + " rows");
      err.flush();
      drawn = true;
    } else if (percent / 10 != lastPercent / 10 && percent < 100) {
      err.println("import: " + percent + "% (" + rows + " rows)");
      err.flush();
    }
    lastPercent = percent;
  }

  @Override
  public void close() {
    if (drawn) {
      err.println();
      err.flush();
    }
  }

  /**
   * {@code Console.isTerminal()} exists from Java 22 (where {@code System.console()} is never
   * null); on 21 a console exists only for a terminal.
   */
  @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() where it exists
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
