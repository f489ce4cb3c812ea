package org.pingdialer.call.ari;

import java.util.List;

/** ARI's Bridge object. {@code channels} lists the ids of the channels in the bridge. */
public record AriBridge(
    String id,
    String technology,
    String bridgeType,
    String bridgeClass,
    String name,
    List<String> channels) {

  public AriBridge {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }
}
