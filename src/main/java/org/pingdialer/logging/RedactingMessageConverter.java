package org.pingdialer.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.regex.Pattern;

/**
 * {@code %msg} with secrets blanked, for every logger at every level: Jetty's HTTP parser logs each
 * request header at DEBUG (the API's {@code Authorization: Bearer …} among them), OkHttp and
 * libraries may log URLs with {@code ?token=} or {@code api_key=}. Registered in logback.xml as the
 * {@code msg} conversion word, so no appender can print a message unredacted.
 */
public final class RedactingMessageConverter extends MessageConverter {
  private static final String HIDDEN = "***";

  /** {@code Bearer <token>} and {@code Basic <credentials>}, wherever they appear. */
  private static final Pattern AUTH_SCHEME =
      Pattern.compile("(?i)\\b(bearer|basic)(\\s+)[A-Za-z0-9._~+/=:-]+");

  /** {@code token=…}, {@code password: …}, {@code api_key=…} in URLs, forms and key-value logs. */
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)\\b(token|password|passwd|secret|api_key|pin)(\\s*[=:]\\s*)([^&\\s,;\"')}]+)");

  @Override
  public String convert(ILoggingEvent event) {
    return redact(super.convert(event));
  }

  /** {@code message} with every secret it names replaced by {@value #HIDDEN}. */
  public static String redact(String message) {
    if (message == null || message.isEmpty()) {
      return message;
    }
    String redacted = AUTH_SCHEME.matcher(message).replaceAll("$1$2" + HIDDEN);
    return SECRET_PARAMETER.matcher(redacted).replaceAll("$1$2" + HIDDEN);
  }
}
