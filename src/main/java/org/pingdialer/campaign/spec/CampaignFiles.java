package org.pingdialer.campaign.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads campaign files: YAML edited by hand (see {@code
 * asterisk-config/campaigns/example-strict.yaml}). The YAML is read into a tree and converted by
 * hand, so that every problem names its dotted path; all problems are reported together.
 * Thread-safe.
 */
public final class CampaignFiles {
  /** The PBX's trunks to the lab's simulated network, the only ones a lab campaign may use. */
  public static final Set<String> SIMULATED_TRUNKS = Set.of("carrier", "carrier-noreason");

  // A key written twice would otherwise silently keep the last value.
  static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private CampaignFiles() {}

  /** Reads {@code file}; problems name it as given (e.g. {@code campaigns/summer.yaml}). */
  public static Campaign load(Path file) throws CampaignFileException {
    return load(file, SIMULATED_TRUNKS);
  }

  /**
   * Reads {@code file}, allowing lab campaigns only on {@code simulatedTrunks}.
   *
   * @param simulatedTrunks the PJSIP endpoints that lead to the simulated network
   */
  public static Campaign load(Path file, Set<String> simulatedTrunks) throws CampaignFileException {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      Problems problems = new Problems(file.toString());
      problems.add("file", "cannot be read (" + e + ")");
      throw problems.exception();
    }
    return parse(yaml, file.toString(), simulatedTrunks);
  }

  /**
   * Reads campaign YAML from memory.
   *
   * @param sourceName names the file in problems, e.g. {@code campaigns/summer.yaml}
   */
  public static Campaign parse(String yaml, String sourceName) throws CampaignFileException {
    return parse(yaml, sourceName, SIMULATED_TRUNKS);
  }

  /** Reads campaign YAML from memory, allowing lab campaigns only on {@code simulatedTrunks}. */
  public static Campaign parse(String yaml, String sourceName, Set<String> simulatedTrunks)
      throws CampaignFileException {
    Problems problems = new Problems(sourceName);
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      syntaxError(e, problems);
      throw problems.exception();
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      problems.add("file", "is empty; start from asterisk-config/campaigns/example-strict.yaml");
      throw problems.exception();
    }
    return new CampaignReader(problems, simulatedTrunks)
        .read(root)
        .orElseThrow(problems::exception);
  }

  static void syntaxError(JsonProcessingException e, Problems problems) {
    // SnakeYAML marks the character it stumbled on; Jackson's location is its last good token.
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      String context =
          marked.getContext() == null || marked.getContextMark() == null
              ? ""
              : " ("
                  + marked.getContext()
                  + " at line "
                  + (marked.getContextMark().getLine() + 1)
                  + ")";
      problems.add(
          "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1),
          "not valid YAML: " + marked.getProblem() + context);
      return;
    }
    JsonLocation location = e.getLocation();
    String place =
        location == null
            ? "file"
            : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    String message = e.getOriginalMessage();
    problems.add(
        place,
        message.startsWith("Duplicate field")
            ? "a key is written twice (" + message + "); keep one"
            : "not valid YAML: " + message);
  }
}
