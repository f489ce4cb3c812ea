package org.pingdialer.call.ari;

import java.net.URI;
import java.util.Objects;

/**
 * Where and as whom the controller talks ARI.
 *
 * @param baseUrl e.g. {@code http://127.0.0.1:18088/ari} (no trailing slash needed)
 * @param application the Stasis app this controller owns; one WebSocket per app (a second
 *     controller with the same name takes it over)
 */
public record AriEndpoint(URI baseUrl, String user, String password, String application) {
  public AriEndpoint {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(application, "application");
    String url = baseUrl.toString();
    if (url.endsWith("/")) {
      baseUrl = URI.create(url.substring(0, url.length() - 1));
    }
    if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
      throw new IllegalArgumentException(
          "ARI base URL must start with http:// or https://, was " + url);
    }
  }

  @Override
  public String toString() {
    return "AriEndpoint[" + baseUrl + ", user=" + user + ", app=" + application + "]";
  }
}
