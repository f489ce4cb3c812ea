package org.pingdialer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pingdialer.lead.DncFile;
import org.pingdialer.lead.LeadFileException;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pingdialer dnc add|import|check}: do-not-call lists. The list {@code global} applies to
 * every campaign; other lists apply to the campaigns that name them.
 */
@Command(
    name = "dnc",
    mixinStandardHelpOptions = true,
    description = {
      "Do-not-call lists. 'global' applies to every campaign and ends open leads with the number",
      "at once; other lists apply to the campaigns that name them (checked when leads are claimed",
      "and again at dial time) and scrub imports given --dnc LIST."
    })
final class DncCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand PingdialerCommand root;

  @Command(
      name = "add",
      description = "Add numbers to a DNC list.",
      footer = {
        "",
        "Example:",
        "  ./pingdialer dnc add '030 1234567' +4915123456789 --list global"
      })
  int add(
      @Parameters(paramLabel = "NUMBER", arity = "1..*", description = "numbers, any writing")
          List<String> written,
      @Option(names = "--list", required = true, description = "DNC list name, e.g. global")
          String list,
      @Option(names = "--region", defaultValue = "DE", description = "region (default DE)")
          String region,
      @Option(names = "--reason", defaultValue = "added by hand", description = "why")
          String reason,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    var numbers = new PhoneNumbers(region.toUpperCase(Locale.ROOT));
    List<String> e164s = new ArrayList<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    for (String number : written) {
      switch (numbers.parse(number)) {
        case PhoneNumbers.Parsed.Valid valid -> e164s.add(valid.number().e164());
        case PhoneNumbers.Parsed.Rejected rejected ->
            errors.add(error(0, "'" + number + "': " + rejected.reason()));
      }
    }
    if (!errors.isEmpty()) {
      return print(json, Map.of("list", list, "added", 0, "errors", errors), errors);
    }
    try (Database database = DataOptions.open(root.dataDir())) {
      int added =
          new JdbcLeadStore(database).addDnc(list, e164s, reason, Clock.systemUTC().instant());
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("list", list);
      report.put("added", added);
      report.put("alreadyListed", e164s.size() - added);
      report.put("errors", errors);
      return print(json, report, errors);
    }
  }

  @Command(
      name = "import",
      description = {
        "Import a DNC file: a CSV with a phone column (same header names as lead files), or one",
        "number per line without a header. Invalid numbers are reported and skipped: a DNC list",
        "is never refused because some of its rows are bad."
      },
      footer = {"", "Example:", "  ./pingdialer dnc import optouts.csv --list global --json"})
  int importFile(
      @Parameters(paramLabel = "FILE", description = "the file") Path file,
      @Option(names = "--list", required = true, description = "DNC list name") String list,
      @Option(names = "--region", defaultValue = "DE", description = "region (default DE)")
          String region,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "no such file: " + file + " (give the path of a DNC file)");
    }
    DncFile.Read read;
    try {
      read = DncFile.read(file, new PhoneNumbers(region.toUpperCase(Locale.ROOT)));
    } catch (LeadFileException e) {
      List<Map<String, Object>> errors = List.of(error(e.line(), e.getMessage()));
      return print(json, Map.of("list", list, "added", 0, "errors", errors), errors);
    }
    List<Map<String, Object>> errors = new ArrayList<>();
    read.errors().forEach(error -> errors.add(error(error.line(), error.reason())));
    try (Database database = DataOptions.open(root.dataDir())) {
      int added =
          new JdbcLeadStore(database)
              .addDnc(list, read.numbers(), "imported from " + file, Clock.systemUTC().instant());
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("list", list);
      report.put("rows", read.rows());
      report.put("added", added);
      report.put("alreadyListed", read.numbers().size() - added);
      report.put("invalid", read.errors().size());
      report.put("errors", errors);
      print(json, report, errors);
      // Bad rows are skipped, not fatal: only a file with no usable number is rejected.
      return added == 0 && !errors.isEmpty() ? PingdialerCommand.EXIT_REJECTED : 0;
    }
  }

  @Command(name = "check", description = "Which DNC lists hold a number (global always checked).")
  int check(
      @Parameters(paramLabel = "NUMBER", description = "the number") String written,
      @Option(names = "--list", description = "also check this list (repeatable)")
          List<String> lists,
      @Option(names = "--region", defaultValue = "DE", description = "region (default DE)")
          String region,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    if (!(new PhoneNumbers(region.toUpperCase(Locale.ROOT)).parse(written)
        instanceof PhoneNumbers.Parsed.Valid valid)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "'" + written + "' is not a valid number in region " + region);
    }
    try (Database database = DataOptions.open(root.dataDir())) {
      List<String> holding =
          new JdbcLeadStore(database)
              .dncListsHolding(valid.number().e164(), lists == null ? List.of() : lists);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("number", valid.number().e164());
      report.put("dnc", !holding.isEmpty());
      report.put("lists", holding);
      print(json, report, List.of());
      return 0;
    }
  }

  private int print(boolean json, Map<String, Object> report, List<Map<String, Object>> errors)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(report));
    } else {
      report.forEach(
          (key, value) -> {
            if (!key.equals("errors")) {
              out.println(key + ": " + value);
            }
          });
      for (Map<String, Object> error : errors) {
        out.println("  line " + error.get("line") + ": " + error.get("reason"));
      }
    }
    return errors.isEmpty() ? 0 : PingdialerCommand.EXIT_REJECTED;
  }

  private static Map<String, Object> error(long line, String reason) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("line", line);
    error.put("reason", reason);
    return error;
  }
}
