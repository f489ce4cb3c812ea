package org.pingdialer.lab.stack;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.pingdialer.agent.AgentAccount;

/**
 * Everything that differs between two stacks on one machine: ports, credentials, the Stasis app
 * name and the agent accounts. These values fill the {@code ${NAME}} placeholders of the templates
 * in {@code asterisk-config/} (see its README for each name).
 */
public record StackSettings(
    Ports ports,
    String ariUser,
    String ariPassword,
    String ariApp,
    String amiUser,
    String amiSecret,
    List<AgentAccount> agents) {

  public StackSettings {
    Objects.requireNonNull(ports, "ports");
    agents = List.copyOf(agents);
  }

  /**
   * The ports of one stack; all bind to 127.0.0.1.
   *
   * @param pbxSip the PBX's SIP port (trunk with Q.850 Reason headers, agent phones)
   * @param pbxSipNoReason the PBX's second SIP port, for the trunk whose far end sends no Reason
   *     header (bare SIP code to cause mapping)
   */
  public record Ports(
      int pbxSip,
      int pbxSipNoReason,
      int pbxHttp,
      int pbxAmi,
      int pbxRtpStart,
      int pbxRtpEnd,
      int pstnSip,
      int pstnSipNoReason,
      int pstnRtpStart,
      int pstnRtpEnd) {

    /** The signalling ports each instance listens on, as {@code udp:N}/{@code tcp:N} lines. */
    List<String> pbxListening() {
      return List.of("udp:" + pbxSip, "udp:" + pbxSipNoReason, "tcp:" + pbxHttp, "tcp:" + pbxAmi);
    }

    List<String> pstnListening() {
      return List.of("udp:" + pstnSip, "udp:" + pstnSipNoReason);
    }
  }

  /** Lab settings with fresh random credentials, so no stack ever runs on a known password. */
  public static StackSettings lab(Ports ports, int agentCount) {
    var random = new SecureRandom();
    List<AgentAccount> agents =
        IntStream.rangeClosed(1, agentCount)
            .mapToObj(i -> new AgentAccount("agent" + i, secret(random), pin(random)))
            .toList();
    return new StackSettings(
        ports, "pingdialer", secret(random), "pingdialer", "pingdialer", secret(random), agents);
  }

  /** The placeholder values, by template name. */
  Map<String, String> placeholders() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("PBX_SIP_PORT", Integer.toString(ports.pbxSip()));
    values.put("PBX_SIP_PORT_NOREASON", Integer.toString(ports.pbxSipNoReason()));
    values.put("PBX_HTTP_PORT", Integer.toString(ports.pbxHttp()));
    values.put("PBX_AMI_PORT", Integer.toString(ports.pbxAmi()));
    values.put("PBX_RTP_START", Integer.toString(ports.pbxRtpStart()));
    values.put("PBX_RTP_END", Integer.toString(ports.pbxRtpEnd()));
    values.put("PSTN_SIP_PORT", Integer.toString(ports.pstnSip()));
    values.put("PSTN_SIP_PORT_NOREASON", Integer.toString(ports.pstnSipNoReason()));
    values.put("PSTN_RTP_START", Integer.toString(ports.pstnRtpStart()));
    values.put("PSTN_RTP_END", Integer.toString(ports.pstnRtpEnd()));
    values.put("ARI_USER", ariUser);
    values.put("ARI_PASSWORD", ariPassword);
    values.put("ARI_APP", ariApp);
    values.put("AMI_USER", amiUser);
    values.put("AMI_SECRET", amiSecret);
    return values;
  }

  private static String secret(SecureRandom random) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** A lab PIN: six random digits, so no stack ever accepts a known PIN. */
  private static String pin(SecureRandom random) {
    return String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
  }

  @Override
  public String toString() {
    // Never print secrets.
    return "StackSettings[" + ports + ", ariApp=" + ariApp + ", agents=" + agents.size() + "]";
  }
}
