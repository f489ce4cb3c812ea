package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.testing.AriSession;
import org.pingdialer.testing.LabStack;

/**
 * Closing the events socket returns once Asterisk has let the app go. Asterisk unregisters an app
 * some milliseconds after the close handshake, taking with it a registration a newer socket made
 * meanwhile: a desk started right after another one then saw its agent's login call hung up at
 * Stasis().
 */
@LabStack
class EventStreamCloseIT {
  @Test
  void whenCloseReturnsTheAppIsGoneAndASocketOpenedNextKeepsIt(AsteriskStack stack) {
    var client = new OkHttpAriClient(stack.ari());
    AriSession old = AriSession.open(client, Set.of());
    assertThat(client.applicationState().name()).isEqualTo(stack.ari().application());
    old.close();
    assertThatThrownBy(client::applicationState)
        .isInstanceOfSatisfying(
            AriException.class, e -> assertThat(e.kind()).isEqualTo(AriException.Kind.GONE));
    try (var fresh = AriSession.open(client, Set.of())) {
      String id = fresh.create("4930999300005", AsteriskStack.TRUNK);
      assertThat(fresh.hangUp(id).channel().id()).isEqualTo(id);
      assertThat(client.applicationState().name()).isEqualTo(stack.ari().application());
    }
  }
}
