package org.pingdialer.serve;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pingdialer.agent.AgentAccount;
import org.pingdialer.call.ami.AmiEndpoint;
import org.pingdialer.call.ari.AriEndpoint;

/**
 * The controller's configuration: one YAML file, every key overridable from the environment ({@code
 * PINGDIALER_<KEY>}, e.g. {@code pbx.ari_url} → {@code PINGDIALER_ARI_URL}), secrets only from the
 * environment or from files the configuration names — never in the file itself, and no defaults for
 * them. The keys and their variables are listed in {@code docker/controller.yaml}.
 *
 * @param campaign the campaign file the controller runs
 * @param dataDir where the embedded database lives (when no database URL is given)
 * @param database PostgreSQL (or another JDBC URL) instead of the embedded database
 * @param pbx where Asterisk is: the running local stack ({@code pingdialer stack up}) or endpoints
 * @param apiHost the REST API's address
 * @param apiPort the REST API's port (0: any free port)
 * @param apiTokens bearer tokens; empty: the controller makes one and saves it for the CLI
 * @param labAgents lab agents on baresip to log in (lab stacks only; 0: none)
 * @param labAccounts agent accounts for the lab agents when the PBX is given by endpoints
 * @param labLeads a bought list to draw and import at start when the campaign has no leads yet (lab
 *     stacks only: the Docker stack's first start)
 * @param zone the agents' time zone (callback times typed on the phone)
 * @param queues inbound queue files served by the same agents (asterisk-config/queues/*.yaml)
 * @param agentGroups the agent groups file: who works a campaign or queue by its agent_group
 * @param labCallers calls per hour the simulated network makes to the queues' numbers (lab stacks
 *     only; 0: none)
 */
public record ServeConfig(
    Path campaign,
    Path dataDir,
    Optional<Database> database,
    Pbx pbx,
    String apiHost,
    int apiPort,
    Set<String> apiTokens,
    int labAgents,
    List<AgentAccount> labAccounts,
    Optional<LabLeads> labLeads,
    ZoneId zone,
    List<Path> queues,
    Optional<Path> agentGroups,
    int labCallers) {

  public ServeConfig {
    queues = List.copyOf(queues);
    apiTokens = Set.copyOf(apiTokens);
    labAccounts = List.copyOf(labAccounts);
  }

  /** Never prints secrets. */
  @Override
  public String toString() {
    return "ServeConfig[campaign="
        + campaign
        + ", dataDir="
        + dataDir
        + ", database="
        + database.map(Database::url).orElse("embedded")
        + ", pbx="
        + pbx
        + ", api="
        + apiHost
        + ":"
        + apiPort
        + ", labAgents="
        + labAgents
        + labLeads.map(l -> ", labLeads=" + l.count()).orElse("")
        + "]";
  }

  /** How many lab leads to draw, from which persona mix (asterisk-config/personas/). */
  public record LabLeads(int count, Path personaMix) {}

  /** A JDBC database. */
  public record Database(String url, String user, String password) {
    @Override
    public String toString() {
      return "Database[" + url + ", user=" + user + "]";
    }
  }

  /** Where Asterisk is. */
  public sealed interface Pbx {
    /** The stack {@code pingdialer stack up} started on this machine (its saved settings). */
    record LocalStack() implements Pbx {}

    /**
     * Given by endpoints (Docker compose, a PBX elsewhere).
     *
     * @param sipPort the PBX's SIP port, where lab agents' phones register
     */
    record Endpoints(AriEndpoint ari, AmiEndpoint ami, int sipPort) implements Pbx {}
  }

  /** The configuration is wrong; every problem names the key (or variable) and the fix. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    ConfigException(List<String> problems) {
      super(String.join("\n", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  /** Every key the file may have, with its environment variable. */
  static final Map<String, String> KEYS =
      ordered(
          "campaign", "PINGDIALER_CAMPAIGN",
          "queues", "PINGDIALER_QUEUES",
          "agent_groups", "PINGDIALER_AGENT_GROUPS",
          "data_dir", "PINGDIALER_DATA_DIR",
          "time_zone", "PINGDIALER_TIME_ZONE",
          "lab_agents", "PINGDIALER_LAB_AGENTS",
          "lab_accounts_file", "PINGDIALER_AGENTS_FILE",
          "lab_leads", "PINGDIALER_LAB_LEADS",
          "lab_persona_mix", "PINGDIALER_LAB_PERSONA_MIX",
          "lab_callers", "PINGDIALER_LAB_CALLERS",
          "database.url", "PINGDIALER_DB_URL",
          "database.user", "PINGDIALER_DB_USER",
          "database.password_file", "PINGDIALER_DB_PASSWORD_FILE",
          "pbx.stack", "PINGDIALER_STACK",
          "pbx.ari_url", "PINGDIALER_ARI_URL",
          "pbx.ari_user", "PINGDIALER_ARI_USER",
          "pbx.ari_password_file", "PINGDIALER_ARI_PASSWORD_FILE",
          "pbx.ari_app", "PINGDIALER_ARI_APP",
          "pbx.ami_host", "PINGDIALER_AMI_HOST",
          "pbx.ami_port", "PINGDIALER_AMI_PORT",
          "pbx.ami_user", "PINGDIALER_AMI_USER",
          "pbx.ami_secret_file", "PINGDIALER_AMI_SECRET_FILE",
          "pbx.sip_port", "PINGDIALER_SIP_PORT",
          "api.listen", "PINGDIALER_API_LISTEN",
          "api.tokens_file", "PINGDIALER_API_TOKENS_FILE");

  private static Map<String, String> ordered(String... keysAndVariables) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (int i = 0; i < keysAndVariables.length; i += 2) {
      keys.put(keysAndVariables[i], keysAndVariables[i + 1]);
    }
    return Collections.unmodifiableMap(keys);
  }

  /** Secrets: only from these variables (or the files the *_file keys name). */
  private static final List<String> SECRET_KEYS =
      List.of("database.password", "pbx.ari_password", "pbx.ami_secret", "api.tokens");

  /**
   * Reads {@code file} (may be absent: then everything comes from {@code env} and the defaults)
   * with {@code env} over it; relative paths in the file are resolved against {@code baseDir}.
   */
  public static ServeConfig read(Optional<Path> file, Map<String, String> env, Path baseDir)
      throws ConfigException {
    String where = file.map(Path::toString).orElse("(no config file)");
    List<String> problems = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    if (file.isPresent()) {
      flatten(file.get(), where, problems, values);
    }
    KEYS.forEach(
        (key, variable) -> {
          String fromEnv = env.get(variable);
          if (fromEnv != null && !fromEnv.isBlank()) {
            values.put(key, fromEnv.strip());
          }
        });
    var reader = new Reader(where, values, env, problems, baseDir);
    ServeConfig config = reader.config();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  private static void flatten(
      Path file, String where, List<String> problems, Map<String, String> values) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (IOException e) {
      problems.add(where + ": cannot read it: " + e.getMessage());
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return; // an empty file: all from the environment
    }
    if (!root.isObject()) {
      problems.add(where + ": must be a map of keys, e.g. campaign: my-campaign.yaml");
      return;
    }
    root.properties()
        .forEach(
            field -> {
              if (field.getValue().isObject()) {
                field
                    .getValue()
                    .properties()
                    .forEach(
                        inner ->
                            put(
                                where,
                                field.getKey() + "." + inner.getKey(),
                                inner.getValue(),
                                problems,
                                values));
              } else {
                put(where, field.getKey(), field.getValue(), problems, values);
              }
            });
  }

  private static void put(
      String where, String key, JsonNode value, List<String> problems, Map<String, String> values) {
    if (SECRET_KEYS.contains(key)) {
      problems.add(
          where
              + ": "
              + key
              + ": secrets are not kept in the config file; set "
              + secretVariable(key)
              + " or name a file with "
              + key
              + "_file");
    } else if (!KEYS.containsKey(key)) {
      problems.add(
          where + ": " + key + ": unknown key; known keys: " + String.join(", ", KEYS.keySet()));
    } else if (key.equals("queues") && value.isArray()) {
      // A list of files; the variable holds them comma-separated.
      List<String> files = new ArrayList<>();
      value.forEach(item -> files.add(item.asText()));
      values.put(key, String.join(",", files));
    } else if (!value.isValueNode() || value.isNull()) {
      problems.add(where + ": " + key + ": must be a single value, was " + value);
    } else {
      values.put(key, value.asText());
    }
  }

  private static String secretVariable(String key) {
    return switch (key) {
      case "database.password" -> "PINGDIALER_DB_PASSWORD";
      case "pbx.ari_password" -> "PINGDIALER_ARI_PASSWORD";
      case "pbx.ami_secret" -> "PINGDIALER_AMI_SECRET";
      default -> "PINGDIALER_API_TOKENS";
    };
  }

  /** Turns the merged values into a config, collecting problems. */
  private record Reader(
      String where,
      Map<String, String> values,
      Map<String, String> env,
      List<String> problems,
      Path baseDir) {

    ServeConfig config() {
      Path dataDir =
          text("data_dir")
              .map(this::path)
              .orElse(Path.of(System.getProperty("user.home"), ".local", "share", "pingdialer"));
      Optional<String> campaignText = text("campaign");
      if (campaignText.isEmpty()) {
        problem(
            "campaign",
            "is required: the campaign file to run (e.g. asterisk-config/campaigns/lab-demo.yaml)"
                + " or the name of one stored in the data directory");
      }
      // A bare name is a campaign stored over the API in the data directory's campaigns/.
      Path campaign =
          campaignText
              .map(
                  text ->
                      text.matches("[a-z0-9][a-z0-9-]{0,31}")
                          ? dataDir.resolve("campaigns").resolve(text + ".yaml")
                          : path(text))
              .orElse(Path.of(""));
      if (campaignText.isPresent() && !Files.isRegularFile(campaign)) {
        problem("campaign", "no such file: " + campaign);
      }
      ZoneId zone = zone();
      Optional<Database> database =
          text("database.url")
              .map(
                  url -> {
                    if (!url.startsWith("jdbc:")) {
                      problem(
                          "database.url",
                          "must be a JDBC URL such as"
                              + " jdbc:postgresql://127.0.0.1:5432/pingdialer, was "
                              + url);
                    }
                    return new Database(
                        url,
                        text("database.user").orElse("pingdialer"),
                        secret("database.password_file", "PINGDIALER_DB_PASSWORD").orElse(""));
                  });
      Pbx pbx = pbx();
      String listen = text("api.listen").orElse("127.0.0.1:0");
      String apiHost = "127.0.0.1";
      int apiPort = 0;
      int colon = listen.lastIndexOf(':');
      if (colon <= 0) {
        problem("api.listen", "must be HOST:PORT such as 127.0.0.1:8080, was " + listen);
      } else {
        apiHost = listen.substring(0, colon);
        apiPort = port("api.listen", listen.substring(colon + 1), true);
      }
      Set<String> tokens = new LinkedHashSet<>();
      secret("api.tokens_file", "PINGDIALER_API_TOKENS")
          .ifPresent(
              all ->
                  Arrays.stream(all.split("[,\\s]+"))
                      .filter(t -> !t.isBlank())
                      .forEach(tokens::add));
      for (String token : tokens) {
        if (token.length() < 16) {
          problem("api.tokens", "every API token must be at least 16 characters long");
          break;
        }
      }
      int labAgents = number("lab_agents", 0, 20).orElse(0);
      List<AgentAccount> accounts = labAccounts(labAgents, pbx);
      Optional<LabLeads> labLeads = labLeads();
      List<Path> queues = new ArrayList<>();
      for (String file : text("queues").map(t -> t.split(",")).orElse(new String[0])) {
        if (file.isBlank()) {
          continue;
        }
        Path queue = path(file.strip());
        if (!Files.isRegularFile(queue)) {
          problem("queues", "no such file: " + queue);
        }
        queues.add(queue);
      }
      Optional<Path> agentGroups = text("agent_groups").map(this::path);
      if (agentGroups.isPresent() && !Files.isRegularFile(agentGroups.get())) {
        problem("agent_groups", "no such file: " + agentGroups.get());
      }
      int labCallers = number("lab_callers", 0, 36_000).orElse(0);
      if (labCallers > 0 && queues.isEmpty()) {
        problem("lab_callers", "calls the queues' numbers: name the queues (queues: [file])");
      }
      return new ServeConfig(
          campaign,
          dataDir,
          database,
          pbx,
          apiHost,
          apiPort,
          tokens,
          labAgents,
          accounts,
          labLeads,
          zone,
          queues,
          agentGroups,
          labCallers);
    }

    private Optional<LabLeads> labLeads() {
      int count = number("lab_leads", 0, 100_000).orElse(0);
      if (count == 0) {
        return Optional.empty();
      }
      Optional<String> mix = text("lab_persona_mix");
      if (mix.isEmpty()) {
        problem(
            "lab_persona_mix",
            "is required with lab_leads: the persona mix to draw the leads from, e.g."
                + " asterisk-config/personas/demo-mix.yaml");
        return Optional.empty();
      }
      Path file = path(mix.get());
      if (!Files.isRegularFile(file)) {
        problem("lab_persona_mix", "no such file: " + file);
        return Optional.empty();
      }
      return Optional.of(new LabLeads(count, file));
    }

    private Pbx pbx() {
      boolean endpoints = text("pbx.ari_url").isPresent();
      String stack = text("pbx.stack").orElse(endpoints ? "none" : "local");
      if (stack.equals("local")) {
        if (endpoints) {
          problem("pbx.stack", "is local, so pbx.ari_url must not be set (choose one)");
        }
        return new Pbx.LocalStack();
      }
      if (!stack.equals("none")) {
        problem(
            "pbx.stack",
            "must be local (the stack of 'pingdialer stack up') or none, was " + stack);
      }
      if (!endpoints) {
        problem(
            "pbx.ari_url",
            "is required unless pbx.stack is local, e.g. http://127.0.0.1:18088/ari");
        return new Pbx.LocalStack();
      }
      URI ari = URI.create("http://invalid/");
      String url = text("pbx.ari_url").orElseThrow();
      try {
        ari = URI.create(url);
        if (!"http".equals(ari.getScheme()) && !"https".equals(ari.getScheme())) {
          problem(
              "pbx.ari_url",
              "must be an http(s) URL such as http://127.0.0.1:18088/ari, was " + url);
        }
      } catch (IllegalArgumentException e) {
        problem("pbx.ari_url", "is not a URL: " + e.getMessage());
      }
      String ariPassword = requiredSecret("pbx.ari_password_file", "PINGDIALER_ARI_PASSWORD");
      String amiSecret = requiredSecret("pbx.ami_secret_file", "PINGDIALER_AMI_SECRET");
      int amiPort = port("pbx.ami_port", text("pbx.ami_port").orElse("5038"), false);
      int sipPort = port("pbx.sip_port", text("pbx.sip_port").orElse("5060"), false);
      String user = text("pbx.ari_user").orElse("pingdialer");
      String app = text("pbx.ari_app").orElse("pingdialer");
      AriEndpoint ariEndpoint = null; // only when the URL is usable: its problem is reported above
      if ("http".equals(ari.getScheme()) || "https".equals(ari.getScheme())) {
        ariEndpoint = new AriEndpoint(ari, user, ariPassword, app);
      }
      return new Pbx.Endpoints(
          ariEndpoint,
          new AmiEndpoint(
              text("pbx.ami_host").orElse("127.0.0.1"),
              amiPort,
              text("pbx.ami_user").orElse("pingdialer"),
              amiSecret),
          sipPort);
    }

    /** Lab agents' accounts, as the pbx service gets them: {@code id:password:pin,...}. */
    private List<AgentAccount> labAccounts(int count, Pbx pbx) {
      if (count == 0 || pbx instanceof Pbx.LocalStack) {
        return List.of(); // none wanted, or the local stack's own accounts
      }
      // The variable, else the file (the Docker stack's generated accounts).
      String agents = env.getOrDefault("PINGDIALER_AGENTS", env.getOrDefault("AGENTS", ""));
      if (agents.isBlank()) {
        agents = secret("lab_accounts_file", "PINGDIALER_AGENTS").orElse("");
      }
      List<AgentAccount> accounts = new ArrayList<>();
      // Commas or spaces: the pbx container's entrypoint reads the same variable space-separated.
      for (String entry : agents.split("[,\\s]+")) {
        if (entry.isBlank()) {
          continue;
        }
        String[] parts = entry.strip().split(":");
        if (parts.length != 3) {
          problems.add(
              "AGENTS: each agent is id:password:pin (as for the pbx service), was an entry with "
                  + parts.length
                  + " parts");
          return List.of();
        }
        try {
          accounts.add(new AgentAccount(parts[0], parts[1], parts[2]));
        } catch (IllegalArgumentException e) {
          problems.add("AGENTS: " + e.getMessage());
          return List.of();
        }
      }
      if (accounts.size() < count) {
        problem(
            "lab_agents",
            "asks for "
                + count
                + " lab agents but AGENTS (id:password:pin,...) names "
                + accounts.size());
      }
      return accounts;
    }

    private ZoneId zone() {
      String text = text("time_zone").orElse(ZoneId.systemDefault().getId());
      try {
        return ZoneId.of(text);
      } catch (DateTimeException e) {
        problem("time_zone", "must be a time zone id such as Europe/Berlin, was " + text);
        return ZoneId.of("UTC");
      }
    }

    private Optional<String> text(String key) {
      return Optional.ofNullable(values.get(key)).map(String::strip).filter(s -> !s.isEmpty());
    }

    private Path path(String text) {
      Path path = Path.of(text);
      return path.isAbsolute() ? path : baseDir.resolve(path).normalize();
    }

    private Optional<Integer> number(String key, int min, int max) {
      Optional<String> text = text(key);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      try {
        int n = Integer.parseInt(text.get());
        if (n < min || n > max) {
          problem(key, "must be " + min + " to " + max + ", was " + n);
          return Optional.empty();
        }
        return Optional.of(n);
      } catch (NumberFormatException e) {
        problem(key, "must be a whole number, was " + text.get());
        return Optional.empty();
      }
    }

    private int port(String key, String text, boolean zeroAllowed) {
      try {
        int port = Integer.parseInt(text);
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
          problem(key, "port must be " + (zeroAllowed ? 0 : 1) + " to 65535, was " + text);
        }
        return port;
      } catch (NumberFormatException e) {
        problem(key, "port must be a number, was " + text);
        return 0;
      }
    }

    /** A secret from its variable, else from the file a *_file key (or variable) names. */
    private Optional<String> secret(String fileKey, String variable) {
      String direct = env.get(variable);
      if (direct != null && !direct.isBlank()) {
        return Optional.of(direct.strip());
      }
      Optional<String> file = text(fileKey);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Files.readString(path(file.get())).strip());
      } catch (IOException e) {
        problem(fileKey, "cannot read " + path(file.get()) + ": " + e.getMessage());
        return Optional.empty();
      }
    }

    private String requiredSecret(String fileKey, String variable) {
      Optional<String> secret = secret(fileKey, variable);
      if (secret.isEmpty() && text(fileKey).isEmpty()) {
        problems.add(
            where
                + ": "
                + fileKey.replace("_file", "")
                + ": no secret given; set "
                + variable
                + " or name a file with "
                + fileKey
                + " (or "
                + KEYS.get(fileKey)
                + ")");
      }
      return secret.orElse("");
    }

    private void problem(String key, String what) {
      String variable = KEYS.get(key);
      String from =
          variable != null && env.containsKey(variable) && !env.get(variable).isBlank()
              ? variable
              : where + ": " + key;
      problems.add(from + ": " + what);
    }
  }
}
