package org.pingdialer.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pingdialer.agent.AgentDesk;
import org.pingdialer.api.ApiServer;
import org.pingdialer.call.ari.FakeAriClient;
import org.pingdialer.testing.NoDialer;
import org.slf4j.LoggerFactory;

/**
 * Issue 17: the API token reached the log at DEBUG through Jetty's header parser. With the
 * project's logback.xml no logger at any level prints a token, a password or a PIN.
 */
class SecretsInLogsTest {
  private static final String TOKEN = "secret-token-0123456789abcdef";

  @Test
  void secretsAreBlankedInMessages() {
    assertThat(RedactingMessageConverter.redact("Authorization: Bearer " + TOKEN))
        .isEqualTo("Authorization: Bearer ***");
    assertThat(RedactingMessageConverter.redact("GET /dashboard?token=" + TOKEN + "&x=1"))
        .isEqualTo("GET /dashboard?token=***&x=1");
    assertThat(RedactingMessageConverter.redact("ws://h/ari/events?app=p&api_key=user:pw"))
        .isEqualTo("ws://h/ari/events?app=p&api_key=***");
    assertThat(RedactingMessageConverter.redact("basic dXNlcjpwYXNz, password: hunter2, pin=1234"))
        .isEqualTo("basic ***, password: ***, pin=***");
    // Names of settings and ordinary words stay.
    assertThat(RedactingMessageConverter.redact("ari_password_file: ari-password; tokens_file"))
        .isEqualTo("ari_password_file: ari-password; tokens_file");
  }

  @Test
  void theApiTokenDoesNotReachTheLogAtDebug() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    var captured = new ByteArrayOutputStream();
    var encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%logger %msg%n"); // %msg as logback.xml defines it
    encoder.start();
    var appender = new OutputStreamAppender<ILoggingEvent>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(captured);
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.DEBUG);
    context.getLogger("org.eclipse.jetty").setLevel(Level.DEBUG);
    var desk =
        new AgentDesk(
            new FakeAriClient(),
            new NoDialer(),
            InstantSource.system(),
            ZoneId.of("Europe/Berlin"),
            Duration.ofSeconds(5));
    try (var api =
            ApiServer.start(
                "127.0.0.1", 0, Set.of(TOKEN), desk, List.of(), ApiServer.Extras.none());
        var http = HttpClient.newHttpClient()) {
      var response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + api.port() + "/api/v1/agents"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    } finally {
      root.setLevel(before);
      context.getLogger("org.eclipse.jetty").setLevel(null);
      root.detachAppender(appender);
      appender.stop();
      desk.close();
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    // Jetty did log the request's headers at DEBUG: the test looked where the token was.
    assertThat(log).containsIgnoringCase("authorization");
    assertThat(log).doesNotContain(TOKEN);
  }
}
