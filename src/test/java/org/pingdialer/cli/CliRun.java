package org.pingdialer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** One run of the command line in this JVM, as a user types it: the exit code and the output. */
record CliRun(int exit, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static CliRun of(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int exit =
        PingdialerCommand.configure(new CommandLine(new PingdialerCommand()))
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** As {@link #of} with {@code --data-dir dataDir} first. */
  static CliRun withDataDir(Path dataDir, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--data-dir";
    all[1] = dataDir.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return of(all);
  }

  /** What it printed to standard output, read as JSON. */
  JsonNode json() throws Exception {
    return JSON.readTree(out);
  }
}
