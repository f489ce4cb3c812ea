package org.pingdialer.api;

import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignLibrary;

/**
 * {@code /api/v1/campaigns/{name}/definition}: the campaign files the controller keeps (YAML, as
 * telephony engineers write them), read, stored after validation (every problem named, nothing
 * stored when one is wrong) and removed. A stored definition is dialed by adding it to a running
 * controller ({@code POST /api/v1/campaigns/{name}/start}) or by starting a controller with it
 * ({@code serve}, {@code campaign start NAME}).
 *
 * @param running the names of the campaigns the controller runs now
 */
record DefinitionRoutes(CampaignLibrary library, Supplier<Set<String>> running) {
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
                  running.get().contains(name)
                      ? "changes take effect when the controller is started again"
                      : "not dialed until started: POST /api/v1/campaigns/"
                          + name
                          + "/start adds it to this controller"));
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
    if (running.get().contains(name)) {
      throw Problem.conflict(
          "campaign " + name + " is one of this controller's campaigns; stop the controller first");
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
