package org.pingdialer;

import org.pingdialer.cli.PingdialerCommand;

/** Composition root: hands the command line to picocli and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(PingdialerCommand.execute(args));
  }
}
