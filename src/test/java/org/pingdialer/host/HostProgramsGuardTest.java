package org.pingdialer.host;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guard that keeps docker/host-programs complete: every program the project starts — from its
 * scripts, its Java code or its tests — must be named there with the package that installs it, or a
 * fresh machine (and CI on one) meets "command not found" where this machine had it by hand.
 */
class HostProgramsGuardTest {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final HostPrograms LIST = HostPrograms.listed();

  /** Scripts the project runs on the host, in the Asterisk rootfs or image, or as benchmarks. */
  static List<Path> scripts() throws IOException {
    List<Path> scripts = new ArrayList<>(List.of(PROJECT.resolve("pingdialer")));
    scripts.add(PROJECT.resolve(".ci/run"));
    for (String dir : List.of("docker", "bench")) {
      try (Stream<Path> files = Files.list(PROJECT.resolve(dir))) {
        files.filter(f -> f.toString().endsWith(".sh")).sorted().forEach(scripts::add);
      }
    }
    return scripts;
  }

  @Test
  void everyProgramTheScriptsRunIsListed() throws IOException {
    Map<String, Set<String>> unlisted = new TreeMap<>();
    for (Path script : scripts()) {
      for (String program : ScriptCommands.of(Files.readString(script))) {
        if (!listedOrOurs(program)) {
          unlisted
              .computeIfAbsent(program, p -> new TreeSet<>())
              .add(PROJECT.relativize(script).toString());
        }
      }
    }
    assertThat(unlisted)
        .as(
            "programs the scripts run that docker/host-programs does not list (add each with the"
                + " package that installs it, and its scope)")
        .isEmpty();
  }

  @Test
  void theScriptReaderSeesCommandsWhereverTheyStand() {
    String script =
        """
        #!/usr/bin/env bash
        # tshark in a comment is no command
        die() { echo "die: $*" >&2; exit 1; }
        as_me() {
          if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
        }
        case "$1" in
          start) as_me "$bin/initdb" -D "$dir/data" ;;
          stop | halt)
            x="$(pgrep -f "$(basename "$0")")" ;;
        esac
        for f in $(ls /tmp); do echo "$f; then tcpdump"; done
        FOO=1 exec env >/dev/null 2>&1
        unshare --mount --propagation private -- sh -c "mount --bind a b && exec chroot '$r' /usr/sbin/asterisk -f"
        command -v sipp >/dev/null || die "no sipp; apt-get install sip-tester"
        [ -n "$x" ] && { jq . <<<"$x" | tee out; }
        """;
    assertThat(ScriptCommands.of(script))
        .containsExactlyInAnyOrder(
            "id",
            "runuser",
            "initdb",
            "pgrep",
            "basename",
            "ls",
            "env",
            "unshare",
            "sh",
            "mount",
            "chroot",
            "asterisk",
            "jq",
            "tee");
  }

  @Test
  void everyProgramTheJavaCodeNamesIsListed() throws IOException {
    Map<String, Set<String>> unlisted = new TreeMap<>();
    for (Path source : javaSources()) {
      for (String program : programsNamedIn(Files.readString(source))) {
        if (!listedOrOurs(program)) {
          unlisted
              .computeIfAbsent(program, p -> new TreeSet<>())
              .add(source.getFileName().toString());
        }
      }
    }
    assertThat(unlisted)
        .as("programs the Java code starts that docker/host-programs does not list")
        .isEmpty();
  }

  @Test
  void theJavaReaderFindsTheProgramsOfACommand() {
    String source =
        """
        var a = new ProcessBuilder("sipp", "-sf", scenario);
        var b = new ProcessBuilder(trace ? List.of("baresip", "-s") : List.of("baresip"));
        var c = new ProcessBuilder(command).directory(dir).environment().put("NOT_A_PROGRAM", "x");
        ScriptRunner.runOrFail(List.of(script.toString(), "build"), Map.of(), timeout);
        ScriptRunner.run(List.of("docker", "info"), Map.of(), timeout);
        options.setBinary("/usr/bin/chromium");
        """;
    assertThat(programsNamedIn(source))
        .containsExactlyInAnyOrder("sipp", "baresip", "docker", "chromium");
  }

  /** Only org.pingdialer.host starts processes, so {@link HostPrograms#start} sees them all. */
  @Test
  void onlyTheDoorStartsProcesses() {
    JavaClasses classes = new ClassFileImporter().importPackages("org.pingdialer");
    noClasses()
        .that()
        .resideOutsideOfPackage("org.pingdialer.host..")
        .should()
        .callMethodWhere(
            describe(
                "ProcessBuilder.start or Runtime.exec",
                (JavaCall<?> call) -> {
                  String owner = call.getTargetOwner().getName();
                  String name = call.getName();
                  return (owner.equals(ProcessBuilder.class.getName()) && name.equals("start"))
                      || (owner.equals(Runtime.class.getName()) && name.equals("exec"));
                }))
        .because("HostPrograms.start refuses programs docker/host-programs does not list")
        .check(classes);
  }

  @Test
  void theImagePackagesAreInstalledByTheAsteriskImage() throws IOException {
    String dockerfile = Files.readString(PROJECT.resolve("docker/Dockerfile"));
    for (String program : LIST.programs()) {
      HostPrograms.Entry entry = LIST.entryFor(program).orElseThrow();
      if (entry.scope() == HostPrograms.Scope.IMAGE) {
        assertThat(dockerfile)
            .as("docker/Dockerfile installs %s", entry.packageName())
            .contains(" " + entry.packageName());
      }
    }
  }

  private static boolean listedOrOurs(String program) {
    return LIST.entryFor(program).isPresent()
        || (program.endsWith(".sh") && scriptExists(program))
        || program.equals("pingdialer");
  }

  private static boolean scriptExists(String name) {
    return Files.exists(PROJECT.resolve("docker").resolve(name))
        || Files.exists(PROJECT.resolve("bench").resolve(name));
  }

  private static List<Path> javaSources() throws IOException {
    try (Stream<Path> files = Files.walk(PROJECT.resolve("src"))) {
      // This package's own tests name unlisted programs on purpose (the refusals they check).
      Path own = PROJECT.resolve("src/test/java/org/pingdialer/host");
      return files
          .filter(f -> f.toString().endsWith(".java") && !f.startsWith(own))
          .sorted()
          .toList();
    }
  }

  private static final Pattern STARTER =
      Pattern.compile("new ProcessBuilder\\(|ScriptRunner\\.run(?:OrFail)?\\(");
  private static final Pattern LIST_OF_LITERAL = Pattern.compile("List\\.of\\(\\s*\"([^\"]+)\"");
  private static final Pattern LEADING_LITERAL = Pattern.compile("^\\s*\"([^\"]+)\"");
  private static final Pattern SYSTEM_PATH =
      Pattern.compile("\"(?:/usr)?/s?bin/([A-Za-z0-9._+-]+)\"");

  /**
   * The programs a Java source names where it starts one: the literal first word of a {@code new
   * ProcessBuilder(...)} or {@code ScriptRunner.run(...)} command (also inside {@code List.of}),
   * and every literal path into a system bin directory (what Selenium is told to start).
   */
  static Set<String> programsNamedIn(String source) {
    Set<String> programs = new TreeSet<>();
    Matcher starter = STARTER.matcher(source);
    while (starter.find()) {
      String arguments = source.substring(starter.end(), closing(source, starter.end() - 1));
      Matcher leading = LEADING_LITERAL.matcher(arguments);
      if (leading.find()) {
        programs.add(leading.group(1));
      }
      Matcher list = LIST_OF_LITERAL.matcher(arguments);
      while (list.find()) {
        programs.add(list.group(1));
      }
    }
    Matcher path = SYSTEM_PATH.matcher(source);
    while (path.find()) {
      programs.add(path.group(1));
    }
    return programs;
  }

  private static int closing(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
          if (text.charAt(i) == '\\') {
            i++;
          }
        }
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return text.length();
  }
}
