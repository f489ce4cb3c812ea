package org.pingdialer.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The programs pingdialer may start on its host, read from the one list {@code
 * docker/host-programs} (built into the jar), and the only door through which it starts them.
 *
 * <p>{@link #start} refuses a program the list does not name, so a new program cannot slip in
 * without its install step (docker/host-prerequisites.sh installs from the same list); and it turns
 * "Cannot run program" into a {@link MissingProgramException} that names the program, what it is
 * needed for and the command that installs it.
 */
public final class HostPrograms {
  private static final String RESOURCE = "host-programs";
  private static volatile HostPrograms listed;

  private final String source;
  private final Map<String, Entry> byProgram;

  /** Where a program is needed, as the list's second column says. */
  public enum Scope {
    RUNTIME,
    TEST,
    BROUGHT,
    OPTIONAL,
    IMAGE
  }

  /** One line of the list: a package, its scope, the programs it installs, what they are for. */
  public record Entry(String packageName, Scope scope, List<String> programs, String neededFor) {
    /** The one-line message when {@code program} of this entry is missing. */
    public String missingMessage(String program) {
      String install =
          switch (scope) {
            case BROUGHT ->
                "the README asks you to install it (Debian package " + packageName + ")";
            case IMAGE -> "it belongs in the Asterisk rootfs/image (package " + packageName + ")";
            default -> "apt-get install " + packageName;
          };
      return program + " is not installed (needed for " + neededFor + "): " + install;
    }
  }

  private HostPrograms(String source, Map<String, Entry> byProgram) {
    this.source = source;
    this.byProgram = byProgram;
  }

  /** The list built into the controller (docker/host-programs). */
  public static HostPrograms listed() {
    HostPrograms programs = listed;
    if (programs == null) {
      try (InputStream in = HostPrograms.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "the jar holds no host-programs list; build it with Maven (pom.xml copies"
                  + " docker/host-programs)");
        }
        programs =
            parse("docker/host-programs", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the host-programs list", e);
      }
      listed = programs;
    }
    return programs;
  }

  /**
   * Reads a list: {@code PACKAGE SCOPE PROGRAM[,PROGRAM...] NEEDED FOR...} per line, {@code #}
   * comments. A program given as an absolute path pattern is known by its file name.
   *
   * @throws IllegalArgumentException naming the line when one is malformed or repeats a program
   */
  public static HostPrograms parse(String source, String text) {
    Map<String, Entry> byProgram = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] columns = line.split("\\s+", 4);
      String where = source + ":" + (i + 1) + ": ";
      if (columns.length < 4) {
        throw new IllegalArgumentException(
            where + "expected PACKAGE SCOPE PROGRAMS NEEDED-FOR, was: " + line);
      }
      Scope scope;
      try {
        scope = Scope.valueOf(columns[1].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where
                + "unknown scope '"
                + columns[1]
                + "'; use runtime, test, brought, optional or image",
            e);
      }
      List<String> programs = new ArrayList<>();
      for (String program : columns[2].split(",")) {
        programs.add(fileName(program));
      }
      var entry = new Entry(columns[0], scope, List.copyOf(programs), columns[3].strip());
      for (String program : programs) {
        Entry before = byProgram.putIfAbsent(program, entry);
        if (before != null) {
          throw new IllegalArgumentException(
              where
                  + program
                  + " is already listed with package "
                  + before.packageName()
                  + "; list each program once");
        }
      }
    }
    return new HostPrograms(source, Map.copyOf(byProgram));
  }

  /** The entry naming {@code program} (a name or a path: its file name counts). */
  public Optional<Entry> entryFor(String program) {
    return Optional.ofNullable(byProgram.get(fileName(program)));
  }

  /** Every program the list names, by file name. */
  public Set<String> programs() {
    return byProgram.keySet();
  }

  /**
   * Starts {@code builder}'s command after checking the list names its program (our own scripts,
   * {@code *.sh}, are checked by the guard test instead).
   *
   * @throws IllegalStateException when the program is not listed (a programming error: add it, with
   *     its package, to docker/host-programs)
   * @throws MissingProgramException when the program is listed but not installed here
   * @throws UncheckedIOException when it is installed but could not be started
   */
  public Process start(ProcessBuilder builder) {
    String command = builder.command().getFirst();
    Optional<Entry> entry = entryFor(command);
    if (entry.isEmpty() && !command.endsWith(".sh")) {
      throw new IllegalStateException(
          "pingdialer starts "
              + command
              + ", which "
              + source
              + " does not list; add it there with the package that installs it");
    }
    try {
      return builder.start();
    } catch (IOException e) {
      if (entry.isPresent() && notFound(e)) {
        throw new MissingProgramException(
            entry.get().missingMessage(fileName(command)), fileName(command), e);
      }
      throw new UncheckedIOException("cannot start " + command + ": " + e.getMessage(), e);
    }
  }

  /** Java says "error=2, No such file or directory" when exec finds no such program. */
  private static boolean notFound(IOException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("error=2,") || message.contains("No such file");
  }

  private static String fileName(String program) {
    Path name = Path.of(program).getFileName();
    return name == null ? program : name.toString();
  }
}
