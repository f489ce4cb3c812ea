package org.pingdialer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignFiles;
import org.pingdialer.campaign.spec.CampaignLibrary;
import org.pingdialer.lab.persona.BoughtList;
import org.pingdialer.lab.persona.PersonaMix;
import org.pingdialer.lab.persona.PersonaMixException;
import org.pingdialer.lead.ImportReport;
import org.pingdialer.lead.LeadField;
import org.pingdialer.lead.LeadFileException;
import org.pingdialer.lead.LeadImporter;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.store.LeadHistory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pingdialer leads import|count|generate}: bought lead lists into the database, and lab
 * lists drawn from a persona mix.
 */
@Command(
    name = "leads",
    mixinStandardHelpOptions = true,
    description = "Import lead lists (CSV), look at them, and generate lab lists.")
final class LeadsCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.ParentCommand PingdialerCommand root;

  @Command(
      name = "import",
      description = {
        "Import a CSV file into a lead list (created if new). Delimiter (, ; TAB |) and encoding",
        "(UTF-8 with or without BOM, else Windows-1252) are detected unless given. Numbers are",
        "parsed in --region, stored in E.164 with type and time zone; duplicates and numbers on",
        "the global DNC list (and --dnc lists) are left out and counted. All or nothing: any",
        "invalid or premium number fails the import unless --skip-invalid. With --campaign, the",
        "campaign's list (or --list, one of its lists), default region and DNC lists are used."
      },
      footer = {
        "",
        "Examples:",
        "  ./pingdialer leads import bought.csv --list summer",
        "  ./pingdialer leads import export.csv --list summer --delimiter ';' --encoding windows-1252",
        "  ./pingdialer leads import crm.csv --list crm --map 'Rufnr=phone' --skip-invalid --json",
        "  ./pingdialer leads import bought.csv --campaign summer   # a stored name or a file",
        "",
        "Fields for --map: phone, first_name, last_name, name, email, source, consent, consent_at.",
        "Exit codes: 0 imported (or nothing to import), 1 error, 2 bad usage,",
        "            4 rejected: nothing imported because of errors in the file."
      })
  int importFile(
      @Parameters(paramLabel = "FILE", description = "the CSV file") Path file,
      @Option(names = "--list", description = "lead list name, e.g. summer") String list,
      @Option(
              names = "--campaign",
              paramLabel = "CAMPAIGN",
              description =
                  "a campaign file, or the name of one stored in the data directory: its list,"
                      + " region and DNC lists")
          String campaignRef,
      @Option(
              names = "--region",
              description =
                  "region for numbers without country code (default: the campaign's, else DE)")
          String region,
      @Option(names = "--delimiter", description = "field separator: , ; | or tab")
          String delimiter,
      @Option(names = "--encoding", description = "e.g. utf-8, windows-1252, iso-8859-1")
          String encoding,
      @Option(
              names = "--map",
              paramLabel = "HEADER=FIELD",
              description = "map a header to a field, e.g. 'Rufnr=phone' (repeatable)")
          List<String> mappings,
      @Option(
              names = "--dnc",
              paramLabel = "LIST",
              description = "also scrub against this DNC list (repeatable)")
          List<String> dncLists,
      @Option(names = "--skip-invalid", description = "import the good rows, leave out bad ones")
          boolean skipInvalid,
      @Option(names = "--json", description = "print the report as one JSON object") boolean json)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isRegularFile(file)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "no such file: " + file + " (give the path of a CSV file)");
    }
    Optional<Campaign> campaign =
        campaignRef == null ? Optional.empty() : Optional.of(campaign(campaignRef));
    if (campaign.isPresent()) {
      List<String> lists = campaign.get().lists();
      if (list == null && lists.size() != 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--campaign "
                + campaignRef
                + " dials lists "
                + lists
                + ": name the one to import into with --list");
      }
      if (list != null && !lists.contains(list)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--list '"
                + list
                + "': campaign "
                + campaign.get().name()
                + " dials "
                + lists
                + "; give one of them, or add it to the campaign's lists");
      }
      list = list != null ? list : lists.getFirst();
      region = region != null ? region : campaign.get().defaultRegion();
      List<String> scrub = new ArrayList<>(dncLists == null ? List.of() : dncLists);
      campaign.get().dncLists().stream().filter(l -> !scrub.contains(l)).forEach(scrub::add);
      dncLists = scrub;
    }
    if (list == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give the lead list: --list NAME (or --campaign CAMPAIGN)");
    }
    region = region != null ? region : "DE";
    if (!list.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--list '" + list + "': use 1-64 letters, digits, '-', '_' or '.', e.g. summer-2026");
    }
    try {
      new PhoneNumbers(region);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--region '" + region + "': not a region code such as DE, AT, GB or US");
    }
    var options =
        new LeadImporter.Options(
            list,
            region.toUpperCase(Locale.ROOT),
            parseDelimiter(delimiter),
            parseEncoding(encoding),
            parseMappings(mappings),
            dncLists == null ? List.of() : dncLists,
            skipInvalid);
    try (Database database = DataOptions.open(root.dataDir())) {
      var importer = new LeadImporter(new JdbcLeadStore(database), Clock.systemUTC());
      ImportReport report;
      try (var progress = ProgressBar.forImport(spec.commandLine().getErr(), json)) {
        report = importer.importFile(file, options, progress);
      } catch (LeadFileException e) {
        if (json) {
          Map<String, Object> error = new LinkedHashMap<>();
          error.put("error", e.getMessage());
          error.put("line", e.line());
          error.put("imported", 0);
          out.println(JSON.writeValueAsString(error));
        } else {
          spec.commandLine().getErr().println("pingdialer: " + e.getMessage());
        }
        return PingdialerCommand.EXIT_REJECTED;
      }
      if (json) {
        out.println(JSON.writeValueAsString(toJson(report)));
      } else {
        out.print(report.toText());
      }
      out.flush();
      return report.failed() ? PingdialerCommand.EXIT_REJECTED : 0;
    }
  }

  /** A campaign file, or a name stored over the API in the data directory's campaigns/. */
  private Campaign campaign(String ref) {
    Path file = Path.of(ref);
    if (!Files.isRegularFile(file)) {
      Path stored = root.dataDir().resolve("campaigns");
      var library = new CampaignLibrary(stored);
      if (!ref.matches("[a-z0-9][a-z0-9-]{0,31}") || !Files.isRegularFile(library.fileOf(ref))) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--campaign '"
                + ref
                + "': no such file, and no campaign of that name stored in "
                + stored
                + " (give the campaign file, or store it: PUT /api/v1/campaigns/NAME/definition)");
      }
      file = library.fileOf(ref);
    }
    try {
      return CampaignFiles.load(file);
    } catch (CampaignFileException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--campaign '"
              + ref
              + "': "
              + e.getMessage()
              + " (check it: pingdialer campaign validate)");
    }
  }

  @Command(
      name = "generate",
      description = {
        "Draw a lab lead list (\"bought data\") from a persona mix: each persona gets its share",
        "of the leads, with numbers that route to it in the simulated network. The same mix,",
        "count and seed give the same list. Import it with 'leads import'."
      },
      footer = {
        "",
        "Example:",
        "  ./pingdialer leads generate --mix asterisk-config/personas/demo-mix.yaml --leads 300 \\",
        "      --out bought.csv",
        "",
        "Exit codes: 0 written, 4 the mix file has problems (each is listed), 2 bad options."
      })
  int generate(
      @Option(names = "--mix", required = true, paramLabel = "FILE", description = "persona mix")
          Path mixFile,
      @Option(names = "--leads", defaultValue = "300", description = "how many (default 300)")
          int count,
      @Option(names = "--seed", description = "overrides the mix's seed") Long seed,
      @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV to write")
          Path out,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    if (count < 1 || count > 100_000) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--leads must be between 1 and 100000, was " + count);
    }
    PersonaMix mix;
    try {
      mix = PersonaMix.load(mixFile);
    } catch (PersonaMixException e) {
      e.problems().forEach(spec.commandLine().getErr()::println);
      return PingdialerCommand.EXIT_REJECTED;
    }
    long usedSeed = seed == null ? mix.seed() : seed;
    var rows = BoughtList.generate(mix, count, usedSeed, Clock.systemUTC().instant());
    try (var writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      BoughtList.writeCsv(rows, writer);
    }
    Map<String, Long> personas = new TreeMap<>();
    rows.forEach(row -> personas.merge(row.persona().key(), 1L, Long::sum));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("file", out.toString());
    report.put("leads", rows.size());
    report.put("seed", usedSeed);
    report.put("personas", personas);
    if (json) {
      stdout.println(JSON.writeValueAsString(report));
    } else {
      stdout.println(rows.size() + " leads written to " + out + " (seed " + usedSeed + ")");
      personas.forEach((persona, n) -> stdout.printf("  %6d  %s%n", n, persona));
    }
    return 0;
  }

  @Command(
      name = "show",
      description = {
        "One lead's history: its state now, every state change from the audit trail, and every",
        "call to its number with outcome, cause, timeline and the events Asterisk reported."
      },
      footer = {"", "Example:", "  ./pingdialer leads show 42 --json"})
  int show(
      @Parameters(paramLabel = "ID", description = "the lead's id") long id,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Database database = DataOptions.open(root.dataDir())) {
      var history = LeadHistory.of(database, id);
      if (history.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println("no lead " + id + " in " + root.dataDir() + ": see ./pingdialer leads count");
        return PingdialerCommand.EXIT_REJECTED;
      }
      Map<String, Object> lead = history.get();
      if (json) {
        out.println(JSON.writeValueAsString(lead));
        return 0;
      }
      out.printf(
          "lead %s %s (list %s, line %s): %s since %s%n",
          lead.get("id"),
          lead.get("number"),
          lead.get("list"),
          lead.get("line"),
          lead.get("state"),
          lead.get("stateSince"));
      for (Object change : (List<?>) lead.get("history")) {
        var c = (Map<?, ?>) change;
        out.printf("  %s  %s %s%n", c.get("at"), c.get("action"), c.get("detail"));
      }
      for (Object call : (List<?>) lead.get("calls")) {
        var c = (Map<?, ?>) call;
        out.printf(
            "  call %s (%s) placed %s: %s, cause %s%s%n",
            c.get("id"),
            c.get("kind"),
            c.get("placedAt"),
            c.containsKey("outcome") ? c.get("outcome") : "in flight",
            c.containsKey("cause") ? c.get("cause") : "-",
            c.containsKey("agent") ? ", agent " + c.get("agent") : "");
      }
      return 0;
    }
  }

  @Command(name = "count", description = "How many leads a list has in each state.")
  int count(
      @Option(names = "--list", required = true, description = "lead list name") String list,
      @Option(names = "--json", description = "print JSON") boolean json)
      throws Exception {
    try (Database database = DataOptions.open(root.dataDir())) {
      Map<LeadState, Long> counts = new JdbcLeadStore(database).countByState(list);
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("list", list);
      long total = 0;
      for (LeadState state : LeadState.values()) {
        long n = counts.getOrDefault(state, 0L);
        report.put(state.name().toLowerCase(Locale.ROOT), n);
        total += n;
      }
      report.put("total", total);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(JSON.writeValueAsString(report));
      } else {
        report.forEach((key, value) -> out.println(key + ": " + value));
      }
      return 0;
    }
  }

  static Map<String, Object> toJson(ImportReport report) {
    return report.summary();
  }

  private Optional<Character> parseDelimiter(String delimiter) {
    if (delimiter == null) {
      return Optional.empty();
    }
    return switch (delimiter.toLowerCase(Locale.ROOT)) {
      case ",", "comma" -> Optional.of(',');
      case ";", "semicolon" -> Optional.of(';');
      case "tab", "\\t", "\t" -> Optional.of('\t');
      case "|", "pipe" -> Optional.of('|');
      default ->
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--delimiter '" + delimiter + "': use one of , ; | tab (or leave it out to detect)");
    };
  }

  private Optional<Charset> parseEncoding(String encoding) {
    if (encoding == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          Charset.forName(encoding.equalsIgnoreCase("latin1") ? "ISO-8859-1" : encoding));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--encoding '" + encoding + "': unknown; use utf-8, windows-1252 or iso-8859-1");
    }
  }

  private Map<String, LeadField> parseMappings(List<String> mappings) {
    Map<String, LeadField> parsed = new LinkedHashMap<>();
    if (mappings == null) {
      return parsed;
    }
    for (String mapping : mappings) {
      int eq = mapping.lastIndexOf('=');
      String field = eq < 0 ? "" : mapping.substring(eq + 1).strip().toUpperCase(Locale.ROOT);
      try {
        if (eq <= 0) {
          throw new IllegalArgumentException();
        }
        parsed.put(mapping.substring(0, eq).strip(), LeadField.valueOf(field));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--map '"
                + mapping
                + "': write HEADER=FIELD with FIELD one of phone, first_name, last_name, name,"
                + " email, source, consent, consent_at");
      }
    }
    return parsed;
  }
}
