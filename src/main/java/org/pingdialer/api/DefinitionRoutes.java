package org.pingdialer.api;

import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignLibrary;

/**
 * {@code /api/v1/campaigns/{name}/definition}: the campaign files the controller keeps (YAML, as
 * telephony engineers write them), read, stored after validation (every problem named, nothing
 * stored when one is wrong) and removed. A controller dials the campaign it was started with; a
 * stored definition is dialed by starting a controller with it ({@code serve}, {@code campaign
 * start NAME}).
 */
record DefinitionRoutes(CampaignLibrary library, Optional<String> running) {
  static final String YAML = "application/yaml";

  void read(Context ctx) {
    String name = name(ctx);
    String yaml =
        library
            .read(name)
            .orElseThrow(
                () ->
                    Problem.notFound(
                        "no stored campaign "
                            + name
                            + "; store one with PUT /api/v1/campaigns/"
                            + name
                            + "/definition"));
    ctx.contentType(YAML).result(yaml);
  }

  void store(Context ctx) {
    String name = name(ctx);
    String yaml = ctx.body();
    if (yaml.isBlank()) {
      throw new Problem.Raised(
          Problem.badField("body", "the campaign file as YAML (Content-Type: application/yaml)"));
    }
    try {
      boolean created = library.save(name, yaml);
      ctx.status(created ? 201 : 200)
          .json(
              Map.of(
                  "name",
                  name,
                  "stored",
                  true,
                  "dialing",
                  running.filter(name::equals).isPresent()
                      ? "changes take effect when the controller is started again"
                      : "not dialed until a controller is started with it"));
    } catch (CampaignFileException e) {
      String first = e.problems().getFirst();
      // "name.yaml: pacing.ratio: must be ..." → the field is the key path.
      String[] parts = first.split(": ", 3);
      String field = parts.length == 3 ? parts[1] : "body";
      throw new Problem.Raised(Problem.badField(field, String.join("\n", e.problems())));
    }
  }

  void delete(Context ctx) {
    String name = name(ctx);
    if (running.filter(name::equals).isPresent()) {
      throw Problem.conflict(
          "campaign " + name + " is this controller's campaign; stop the controller first");
    }
    if (!library.delete(name)) {
      throw Problem.notFound("no stored campaign " + name);
    }
    ctx.status(204);
  }

  private String name(Context ctx) {
    String name = ctx.pathParam("name");
    try {
      library.fileOf(name);
      return name;
    } catch (IllegalArgumentException e) {
      throw new Problem.Raised(Problem.badField("name", e.getMessage()));
    }
  }
}
