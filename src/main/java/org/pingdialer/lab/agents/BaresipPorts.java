package org.pingdialer.lab.agents;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loopback ports of one baresip phone.
 *
 * <p>They come from Linux's ephemeral range (32768+), which stacks never use: PortAllocator puts
 * their blocks at 10000-31999. baresip binds its SIP port on UDP and TCP and the next port for TLS,
 * so all three must be free. Ports handed to a phone of this JVM are remembered until released, so
 * two phones starting at once cannot pick the same ones.
 *
 * @param sip SIP listen port (UDP and TCP; {@code sip + 1} is taken for TLS)
 * @param ctrl ctrl_tcp's TCP port
 * @param rtpFirst first port of the RTP/RTCP range (even)
 * @param rtpLast last port of the range
 */
record BaresipPorts(int sip, int ctrl, int rtpFirst, int rtpLast) {
  /** Five RTP/RTCP pairs: a lab phone has one call, re-INVITEs may take a fresh pair. */
  private static final int RTP_PORTS = 10;

  private static final Set<Integer> TAKEN = ConcurrentHashMap.newKeySet();

  /** Picks free ports and reserves them in this JVM until {@link #release}. */
  static BaresipPorts pick() {
    for (int tries = 0; tries < 50; tries++) {
      int sip = ephemeral();
      int ctrl = ephemeral();
      int rtp = ephemeral() & ~1;
      if (sip == 0 || ctrl == 0 || rtp == 0) {
        continue;
      }
      var ports = new BaresipPorts(sip, ctrl, rtp, rtp + RTP_PORTS - 1);
      if (ports.allFree() && ports.reserve()) {
        return ports;
      }
    }
    throw new IllegalStateException("found no free loopback ports for a baresip phone in 50 tries");
  }

  void release() {
    all().forEach(TAKEN::remove);
  }

  private List<Integer> all() {
    var ports = new ArrayList<Integer>(List.of(sip, sip + 1, ctrl));
    for (int p = rtpFirst; p <= rtpLast; p++) {
      ports.add(p);
    }
    return ports;
  }

  private boolean reserve() {
    var mine = new ArrayList<Integer>();
    for (int port : all()) {
      if (!TAKEN.add(port)) {
        mine.forEach(TAKEN::remove);
        return false;
      }
      mine.add(port);
    }
    return true;
  }

  private boolean allFree() {
    if (!(udpFree(sip) && tcpFree(sip) && tcpFree(sip + 1) && tcpFree(ctrl))) {
      return false;
    }
    for (int p = rtpFirst; p <= rtpLast; p++) {
      if (!udpFree(p) || p == sip || p == sip + 1 || p == ctrl) {
        return false;
      }
    }
    return sip != ctrl && sip + 1 != ctrl;
  }

  /** A port the kernel just found free, or 0. */
  private static int ephemeral() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = socket.getLocalPort();
      return port + RTP_PORTS < 65_536 ? port : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static boolean tcpFree(int port) {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }

  private static boolean udpFree(int port) {
    try (var socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      return socket.isBound();
    } catch (IOException inUse) {
      return false;
    }
  }
}
