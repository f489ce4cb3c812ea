package org.pingdialer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.compliance.WhyNot;
import org.pingdialer.lead.ImportReport;
import org.pingdialer.lead.Lead;
import org.pingdialer.lead.LeadFileException;
import org.pingdialer.lead.LeadImporter;
import org.pingdialer.lead.LeadState;
import org.pingdialer.lead.PhoneNumbers;
import org.pingdialer.store.Database;
import org.pingdialer.store.JdbcLeadStore;
import org.pingdialer.store.LeadHistory;

/**
 * {@code /api/v1/leads} and {@code /api/v1/dnc}: search leads, one lead's history with every call
 * and its evidence, import a CSV, add numbers to a DNC list and check one. Numbers are read with
 * the default region of the campaign that dials the list (the first campaign for a list none dials,
 * and for DNC numbers), as its lead files are.
 *
 * @param campaigns the controller's campaigns, in the order they started
 * @param leadsArrived told after an import that stored its file: the campaigns' dialers ask their
 *     hoppers again at once
 */
record LeadRoutes(Database database, Supplier<List<Campaign>> campaigns, Runnable leadsArrived) {
  static final int MAX_LIMIT = 1000;

  /**
   * The largest lead file {@code POST /leads/import} takes (about 250,000 leads of a usual file). A
   * bigger list is imported with {@code pingdialer leads import}, which streams any size from disk;
   * the API's limit keeps one request from filling the disk or the dialing database while a
   * campaign runs.
   */
  static final long MAX_IMPORT_BYTES = 8L * 1024 * 1024;

  void search(Context ctx) {
    Optional<String> list = query(ctx, "list");
    Optional<LeadState> state =
        query(ctx, "state")
            .map(
                text -> {
                  try {
                    return LeadState.valueOf(text.toUpperCase(Locale.ROOT));
                  } catch (IllegalArgumentException e) {
                    throw bad("state", "one of " + states() + ", was " + text);
                  }
                });
    Optional<String> number = query(ctx, "number").map(text -> e164("number", text));
    int limit = number(ctx, "limit", 100, 1, MAX_LIMIT);
    long after = number(ctx, "after", 0, 0, Long.MAX_VALUE);
    List<Lead> found = new JdbcLeadStore(database).search(list, state, number, after, limit);
    List<Map<String, Object>> leads = new ArrayList<>();
    found.forEach(lead -> leads.add(summary(lead)));
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("leads", leads);
    if (found.size() == limit) {
      page.put("next", "/api/v1/leads?" + nextQuery(ctx, found.getLast().id()));
    }
    ctx.json(page);
  }

  void one(Context ctx) {
    long id = pathId(ctx);
    ctx.json(
        LeadHistory.of(database, id)
            .orElseThrow(() -> Problem.notFound("no lead " + id + "; see GET /api/v1/leads")));
  }

  /** Every reason the campaign does not dial this lead now (empty: dialable). */
  void why(Context ctx) {
    long id = pathId(ctx);
    Lead lead =
        new JdbcLeadStore(database)
            .find(id)
            .orElseThrow(() -> Problem.notFound("no lead " + id + "; see GET /api/v1/leads"));
    List<String> reasons =
        new WhyNot(new JdbcLeadStore(database)).lead(campaignOf(lead.list()), lead, Instant.now());
    Map<String, Object> why = new LinkedHashMap<>();
    why.put("lead", id);
    why.put("number", lead.e164());
    why.put("state", lead.state().name().toLowerCase(Locale.ROOT));
    why.put("dialable", reasons.isEmpty());
    why.put("reasons", reasons);
    ctx.json(why);
  }

  /**
   * The request body is a lead file as people have it (any delimiter, UTF-8 or Windows-1252, quoted
   * fields); streamed to a temporary file and imported all-or-nothing unless {@code
   * skipInvalid=true}. 200 with the import report, or 422 with it when nothing was imported; 413
   * when the body is larger than {@link #MAX_IMPORT_BYTES}. Errors name the file "request body".
   */
  void importFile(Context ctx) throws Exception {
    String list =
        query(ctx, "list")
            .orElseThrow(() -> bad("list", "the lead list to import into, e.g. ?list=summer"));
    boolean skipInvalid = query(ctx, "skipInvalid").map(Boolean::parseBoolean).orElse(false);
    long declared = ctx.contentLength();
    if (declared > MAX_IMPORT_BYTES) {
      throw tooLarge(declared + " bytes");
    }
    Path file = Files.createTempFile("pingdialer-import-", ".csv");
    try {
      // A chunked body declares no length: it is counted while it is copied.
      try (InputStream body = ctx.bodyInputStream();
          OutputStream out = Files.newOutputStream(file)) {
        body.transferTo(new BoundedOutput(out, MAX_IMPORT_BYTES));
      } catch (BoundedOutput.Full e) {
        throw tooLarge("more than " + MAX_IMPORT_BYTES + " bytes");
      }
      ImportReport report;
      try {
        report =
            new LeadImporter(new JdbcLeadStore(database), Clock.systemUTC())
                .importFile(
                    file,
                    "request body",
                    new LeadImporter.Options(
                        list,
                        campaignOf(list).defaultRegion(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of(),
                        campaignOf(list).dncLists(),
                        skipInvalid),
                    LeadImporter.Progress.NONE);
      } catch (LeadFileException e) {
        throw new Problem.Raised(Problem.badField("body", e.getMessage()));
      }
      if (!report.failed()) {
        leadsArrived.run(); // a dialer whose hopper ran dry dials them now, not at its retry
      }
      ctx.status(report.failed() ? 422 : 200).json(report.summary());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Problem.Raised tooLarge(String size) {
    return new Problem.Raised(
        Problem.of(
            413,
            "Content too large",
            "the lead file is "
                + size
                + ", the API takes at most "
                + MAX_IMPORT_BYTES
                + " bytes; split it, or import it on the dialer's host with pingdialer leads"
                + " import FILE"));
  }

  /** Writes through until {@code limit} bytes have passed, then refuses with {@link Full}. */
  private static final class BoundedOutput extends FilterOutputStream {
    private final long limit;
    private long written;

    BoundedOutput(OutputStream out, long limit) {
      super(out);
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      count(1);
      out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      count(length);
      out.write(bytes, offset, length);
    }

    private void count(int n) throws Full {
      written += n;
      if (written > limit) {
        throw new Full();
      }
    }

    static final class Full extends IOException {
      private static final long serialVersionUID = 1L;
    }
  }

  /** {@code {"numbers": ["+49301234567", ...], "reason": "..."}} onto the DNC list of the path. */
  void addDnc(Context ctx) throws Exception {
    String list = ctx.pathParam("list");
    DncAddition addition = DncAddition.of(ApiServer.body(ctx), first().defaultRegion());
    int added =
        new JdbcLeadStore(database)
            .addDnc(list, addition.e164s(), addition.reason(), Instant.now());
    ctx.status(201).json(Map.of("list", list, "numbers", addition.e164s().size(), "added", added));
  }

  /** What a {@code POST /dnc/{list}} body asks for: numbers in E.164 and why. */
  record DncAddition(List<String> e164s, String reason) {
    /**
     * Reads a body: {@code numbers} a non-empty list of phone numbers (read in {@code region} when
     * not international), {@code reason} optional text. Anything else is a 400 naming the field.
     */
    static DncAddition of(JsonNode body, String region) {
      JsonNode numbers = body.path("numbers");
      if (!numbers.isArray() || numbers.isEmpty()) {
        throw bad("numbers", "a non-empty list of phone numbers, e.g. [\"+49301234567\"]");
      }
      List<String> e164s = new ArrayList<>();
      var parser = new PhoneNumbers(region);
      for (int i = 0; i < numbers.size(); i++) {
        JsonNode number = numbers.get(i);
        String field = "numbers[" + i + "]";
        if (!number.isTextual()) {
          throw bad(field, "a phone number as text, e.g. \"+49301234567\"");
        }
        switch (parser.parse(number.asText())) {
          case PhoneNumbers.Parsed.Valid valid -> e164s.add(valid.number().e164());
          case PhoneNumbers.Parsed.Rejected rejected -> throw bad(field, rejected.reason());
        }
      }
      JsonNode reason = body.path("reason");
      if (!reason.isMissingNode() && !reason.isNull() && !reason.isTextual()) {
        throw bad("reason", "text, e.g. \"asked on the phone\"");
      }
      return new DncAddition(
          List.copyOf(e164s), reason.isTextual() ? reason.asText() : "added via the API");
    }
  }

  void checkDnc(Context ctx) {
    String number =
        e164(
            "number",
            query(ctx, "number")
                .orElseThrow(
                    () -> bad("number", "the number to check, e.g. ?number=%2B49301234567")));
    List<String> lists = new JdbcLeadStore(database).dncListsHolding(number, first().dncLists());
    ctx.json(Map.of("number", number, "onDnc", !lists.isEmpty(), "lists", lists));
  }

  static Map<String, Object> summary(Lead lead) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", lead.id());
    view.put("list", lead.list());
    view.put("number", lead.e164());
    view.put("state", lead.state().name().toLowerCase(Locale.ROOT));
    view.put("stateSince", lead.stateSince().toString());
    lead.waitReason().ifPresent(r -> view.put("waitReason", r.name().toLowerCase(Locale.ROOT)));
    lead.dueAt().ifPresent(due -> view.put("dueAt", due.toString()));
    lead.doneReason().ifPresent(r -> view.put("doneReason", r.name().toLowerCase(Locale.ROOT)));
    view.put("attempts", lead.attempts());
    return view;
  }

  private String e164(String field, String text) {
    return switch (new PhoneNumbers(first().defaultRegion()).parse(text)) {
      case PhoneNumbers.Parsed.Valid valid -> valid.number().e164();
      case PhoneNumbers.Parsed.Rejected rejected -> throw bad(field, rejected.reason());
    };
  }

  private static Optional<String> query(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(s -> !s.isEmpty());
  }

  private static int number(Context ctx, String name, int fallback, int min, int max) {
    return (int) number(ctx, name, (long) fallback, min, max);
  }

  private static long number(Context ctx, String name, long fallback, long min, long max) {
    Optional<String> text = query(ctx, name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(text.get());
      if (n < min || n > max) {
        throw bad(name, "must be " + min + " to " + max + ", was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw bad(name, "must be a whole number, was " + text.get());
    }
  }

  private static long pathId(Context ctx) {
    String text = ctx.pathParam("id");
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw bad("id", "a lead id is a whole number, was " + text);
    }
  }

  private static String nextQuery(Context ctx, long lastId) {
    StringBuilder query = new StringBuilder();
    for (String name : List.of("list", "state", "number", "limit")) {
      query(ctx, name)
          .ifPresent(
              v ->
                  query
                      .append(name)
                      .append('=')
                      .append(URLEncoder.encode(v, StandardCharsets.UTF_8))
                      .append('&'));
    }
    return query.append("after=").append(lastId).toString();
  }

  private static String states() {
    List<String> names = new ArrayList<>();
    for (LeadState state : LeadState.values()) {
      names.add(state.name().toLowerCase(Locale.ROOT));
    }
    return String.join(", ", names);
  }

  private static Problem.Raised bad(String field, String reason) {
    return new Problem.Raised(Problem.badField(field, reason));
  }

  /** The campaign that dials {@code list}; the first campaign when none does. */
  private Campaign campaignOf(String list) {
    return campaigns.get().stream()
        .filter(c -> c.lists().contains(list))
        .findFirst()
        .orElseGet(this::first);
  }

  private Campaign first() {
    return campaigns.get().getFirst();
  }
}
