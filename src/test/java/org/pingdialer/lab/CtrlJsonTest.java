package org.pingdialer.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shapes baresip 1.0.0's ctrl_tcp sends, as seen on the wire. */
class CtrlJsonTest {
  @Test
  void aResponseDecodesWithItsEscapedData() {
    Map<String, Object> response =
        CtrlJson.decodeObject(
            "{\"response\":true,\"ok\":true,\"data\":\"\\n--- User Agents (1) ---\\n"
                + "> sip:agent1@127.0.0.1:5060 \\u001B[33mzzz\\u001B[;m\\n\",\"token\":\"t1\"}");
    assertThat(response)
        .containsEntry("response", true)
        .containsEntry("ok", true)
        .containsEntry("token", "t1");
    assertThat((String) response.get("data")).contains("\u001B[33mzzz");
  }

  @Test
  void anEventWithNestedStatisticsDecodes() {
    Map<String, Object> event =
        CtrlJson.decodeObject(
            "{\"event\":true,\"type\":\"CALL_RTCP\",\"class\":\"call\",\"param\":\"audio\","
                + "\"rtcp_stats\":{\"tx\":{\"sent\":12,\"lost\":0,\"jit\":-1.5e0},\"rtt\":3},"
                + "\"list\":[1,\"a\",null,false]}");
    assertThat(event).containsEntry("type", "CALL_RTCP").containsEntry("event", true);
    assertThat(event.get("rtcp_stats")).isInstanceOf(Map.class);
    assertThat(event.get("list")).isEqualTo(java.util.Arrays.asList(1L, "a", null, false));
  }

  @Test
  void commandsAreEncodedWithEscapes() {
    var fields = new LinkedHashMap<String, String>();
    fields.put("command", "dial");
    fields.put("params", "sip:\"x\"\\\n");
    assertThat(CtrlJson.encode(fields))
        .isEqualTo("{\"command\":\"dial\",\"params\":\"sip:\\\"x\\\"\\\\\\n\"}");
    assertThat(CtrlJson.decodeObject(CtrlJson.encode(fields))).isEqualTo(fields);
  }

  @Test
  void brokenJsonNamesTheOffset() {
    assertThatThrownBy(() -> CtrlJson.decodeObject("{\"a\":tru}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 5");
  }
}
