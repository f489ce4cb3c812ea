package org.pingdialer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 17, property-based: whatever JSON object a {@code POST /api/v1/dnc/{list}} carries, reading
 * it gives numbers in E.164 or a 400 problem naming the field, never another exception.
 */
class DncBodyPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Property(tries = 500)
  void anyBodyGivesNumbersOrAProblemNamingItsField(@ForAll("bodies") String text) throws Exception {
    JsonNode body = JSON.readTree(text);
    try {
      LeadRoutes.DncAddition addition = LeadRoutes.DncAddition.of(body, "DE");
      // E.164 as libphonenumber writes it: German numbers may have national numbers of up to 15
      // digits (seen: +4920100000000000), more than ITU's 15 in all.
      assertThat(addition.e164s()).isNotEmpty().allMatch(n -> n.matches("\\+[1-9]\\d{6,19}"));
      assertThat(addition.reason()).isNotNull();
    } catch (Problem.Raised e) {
      assertThat(e.problem.status()).isEqualTo(400);
      assertThat(e.problem.field()).matches("numbers(\\[\\d+\\])?|reason");
    }
  }

  @Example
  void nationalNumbersAreReadInTheRegionAndTheReasonIsKept() throws Exception {
    var addition =
        LeadRoutes.DncAddition.of(
            JSON.readTree("{\"numbers\":[\"030 1234567\"],\"reason\":\"asked\"}"), "DE");
    assertThat(addition).isEqualTo(new LeadRoutes.DncAddition(List.of("+49301234567"), "asked"));
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.of("\"030 1234567\"", "\"+49301234567\"", "\"+1 212 555 0100\"", "\"x\""),
            Arbitraries.strings().numeric().ofMaxLength(20).map(d -> "\"" + d + "\""),
            Arbitraries.strings()
                .withCharRange(' ', '~')
                .ofMaxLength(20)
                .map(DncBodyPropertiesTest::quoted),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.of("null", "true", "{}", "[]", "[\"+49301234567\"]"));
    Arbitrary<String> numbers =
        Arbitraries.oneOf(
            number.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"), number);
    Arbitrary<String> reason =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(30).map(DncBodyPropertiesTest::quoted),
            Arbitraries.of("null", "42", "[]", "{\"a\":1}", "false"));
    Arbitrary<String> extra =
        Arbitraries.strings().alpha().ofMaxLength(8).map(k -> quoted(k) + ":1");
    return Combinators.combine(numbers.optional(), reason.optional(), extra.list().ofMaxSize(2))
        .as(
            (n, r, extras) -> {
              List<String> fields = new ArrayList<>(extras);
              n.ifPresent(v -> fields.add("\"numbers\":" + v));
              r.ifPresent(v -> fields.add("\"reason\":" + v));
              return "{" + String.join(",", fields) + "}";
            });
  }

  private static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
