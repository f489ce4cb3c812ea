package org.pingdialer.lab.stack;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a block of free ports on 127.0.0.1 so several stacks run side by side. Blocks lie below
 * Linux's ephemeral range (32768+) so outgoing connections do not take them meanwhile.
 */
public final class PortAllocator {
  private static final int BLOCK = 2000;
  private static final int FIRST_BLOCK = 10_000;
  private static final int LAST_BLOCK = 30_000;

  private PortAllocator() {}

  /** A block of ports nothing listens on now (a stack of ours, or a compose stack in a test). */
  public static StackSettings.Ports freeBlock() {
    for (int tries = 0; tries < 50; tries++) {
      int base =
          FIRST_BLOCK
              + BLOCK * ThreadLocalRandom.current().nextInt((LAST_BLOCK - FIRST_BLOCK) / BLOCK);
      var ports = layout(base);
      if (allFree(ports)) {
        return ports;
      }
    }
    throw new IllegalStateException(
        "found no free block of ports between " + FIRST_BLOCK + " and " + (LAST_BLOCK + BLOCK));
  }

  /**
   * The fixed layout inside one block of 2000 ports: signalling at the start, then 1000 media ports
   * for the PBX and 900 for the network (a call takes an RTP/RTCP pair on each side; 50 calls in
   * flight next to 100 parked agent lines exhausted a 400-port range).
   */
  static StackSettings.Ports layout(int base) {
    return new StackSettings.Ports(
        base,
        base + 2,
        base + 8,
        base + 9,
        base + 100,
        base + 1099,
        base + 10,
        base + 12,
        base + 1100,
        base + 1999);
  }

  private static boolean allFree(StackSettings.Ports ports) {
    for (String spec : concat(ports)) {
      String[] parts = spec.split(":");
      if (!free(parts[0], Integer.parseInt(parts[1]))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> concat(StackSettings.Ports ports) {
    var all = new ArrayList<>(ports.pbxListening());
    all.addAll(ports.pstnListening());
    return all;
  }

  static boolean free(String protocol, int port) {
    try {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      if (protocol.equals("tcp")) {
        try (var socket = new ServerSocket()) {
          socket.setReuseAddress(false);
          socket.bind(new InetSocketAddress(loopback, port));
        }
      } else {
        try (var socket = new DatagramSocket(new InetSocketAddress(loopback, port))) {
          socket.setReuseAddress(false);
        }
      }
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }
}
