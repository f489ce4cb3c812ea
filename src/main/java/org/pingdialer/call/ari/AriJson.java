package org.pingdialer.call.ari;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one ObjectMapper for ARI. Lenient on purpose: Asterisk keeps adding fields ({@code
 * tech_cause}, {@code channelvars}, {@code tenantid}...), so unknown properties are ignored here
 * (the REST API's own mapper stays strict). Thread-safe once built.
 */
public final class AriJson {
  /** Asterisk writes {@code 2026-11-28T14:59:30.514+0000}: no colon in the offset. */
  static final DateTimeFormatter ASTERISK_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  private static final ObjectMapper MAPPER = newMapper();

  private AriJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Decodes one WebSocket frame.
   *
   * @throws AriDecodingException naming the event type and the broken field when the frame is not
   *     an ARI event we can read
   */
  public static AriEvent decodeEvent(String frame) {
    try {
      return MAPPER.readValue(frame, AriEvent.class);
    } catch (JsonProcessingException e) {
      throw new AriDecodingException(
          "cannot decode ARI event ("
              + e.getOriginalMessage()
              + " at "
              + e.getLocation()
              + "); frame: "
              + abbreviate(frame),
          e);
    }
  }

  static Instant parseTimestamp(String text) {
    try {
      return OffsetDateTime.parse(text, ASTERISK_TIMESTAMP).toInstant();
    } catch (DateTimeParseException asteriskFormatFailed) {
      // Asterisk's own format failed; accept ISO-8601 (with a colon in the offset) as well.
      return OffsetDateTime.parse(text).toInstant();
    }
  }

  private static String abbreviate(String frame) {
    return frame.length() <= 400 ? frame : frame.substring(0, 400) + "...";
  }

  private static ObjectMapper newMapper() {
    var module = new SimpleModule("asterisk-time");
    module.addDeserializer(
        Instant.class,
        new JsonDeserializer<Instant>() {
          @Override
          public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null || text.isBlank()) {
              return null;
            }
            try {
              return parseTimestamp(text);
            } catch (DateTimeParseException e) {
              return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, e.getMessage());
            }
          }
        });
    return new ObjectMapper()
        .registerModule(module)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, false);
  }
}
