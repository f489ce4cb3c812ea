package org.pingdialer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * One call to the running controller's REST API for a CLI command: address and token from {@link
 * ApiAccess}, the answer printed as JSON ({@code --json}) or as the command's text, a refusal as
 * its problem detail with exit code 4.
 */
final class ApiCall {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ApiCall() {}

  static int request(
      CommandLine commandLine,
      String api,
      boolean json,
      String method,
      String path,
      Map<String, Object> body,
      Function<JsonNode, String> table)
      throws Exception {
    PrintWriter out = commandLine.getOut();
    PrintWriter err = commandLine.getErr();
    ApiAccess access;
    try {
      access = ApiAccess.find(api);
    } catch (IllegalStateException e) {
      err.println("pingdialer: " + e.getMessage());
      return 1;
    }
    var request =
        HttpRequest.newBuilder(URI.create(access.url() + path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + access.token())
            .header("Content-Type", "application/json");
    request =
        method.equals("POST")
            ? request.POST(
                HttpRequest.BodyPublishers.ofString(
                    body == null ? "" : JSON.writeValueAsString(body)))
            : request.GET();
    HttpResponse<String> response;
    try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println(
          "pingdialer: no controller API at "
              + access.url()
              + " ("
              + e.getMessage()
              + "): is ./pingdialer demo or serve running?");
      return 1;
    }
    String text = response.body();
    JsonNode answer = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    if (response.statusCode() >= 400) {
      if (json) {
        out.println(JSON.writeValueAsString(answer));
      } else {
        err.println("pingdialer: " + answer.path("detail").asText("HTTP " + response.statusCode()));
      }
      return PingdialerCommand.EXIT_REJECTED;
    }
    out.println(json ? JSON.writeValueAsString(answer) : table.apply(answer));
    return 0;
  }

  /**
   * Whether a controller is known (the {@code --api} option, the environment or the state file) and
   * its API answers at all (any HTTP status): what is not running cannot be asked.
   */
  static boolean controllerAnswers(String api) {
    ApiAccess access;
    try {
      access = ApiAccess.find(api);
    } catch (IllegalStateException none) {
      return false;
    }
    var request =
        HttpRequest.newBuilder(URI.create(access.url() + "/api/v1/openapi.json"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
      client.send(request, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException gone) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
