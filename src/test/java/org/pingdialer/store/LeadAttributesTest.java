package org.pingdialer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pingdialer.lead.LeadAttributesText;

/** The importer's width check and the store's JSON writer agree, and the store never cuts. */
class LeadAttributesTest {
  @Test
  void theImportersLengthIsTheLengthTheStoreWrites() {
    List<String> tricky =
        List.of(
            "",
            "plain",
            "Müller, Jörg",
            "say \"hi\"",
            "back\\slash",
            "line\nbreak\r\ttab\b\f",
            "ctrl\u0001\u001f",
            "emoji \uD83D\uDE00",
            "</script>",
            "\u007f del",
            "x".repeat(300));
    for (String key : tricky) {
      for (String value : tricky) {
        Map<String, String> one = Map.of(key.isEmpty() ? "k" : key, value);
        assertThat(LeadAttributesText.jsonLength(one))
            .as("%s=%s", key, value)
            .isEqualTo(LeadAttributes.toText(one).length());
      }
    }
    Map<String, String> several = new HashMap<>();
    for (int i = 0; i < tricky.size(); i++) {
      several.put("c" + i + tricky.get(i), tricky.get(tricky.size() - 1 - i));
    }
    assertThat(LeadAttributesText.jsonLength(several))
        .isEqualTo(LeadAttributes.toText(several).length());
    assertThat(LeadAttributes.fromText(LeadAttributes.toText(several))).isEqualTo(several);
  }

  @Test
  void attributesWiderThanTheColumnAreRefusedNotCut() {
    Map<String, String> wide = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      wide.put("column" + i, "value" + i);
    }
    assertThat(LeadAttributesText.jsonLength(wide)).isGreaterThan(LeadAttributesText.MAX_LENGTH);
    assertThatThrownBy(() -> LeadAttributes.toText(wide))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 4000 fit");
    assertThat(LeadAttributes.toText(Map.of())).isNull();
  }
}
