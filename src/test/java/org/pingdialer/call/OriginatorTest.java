package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.ari.AriClient.ChannelSpec;
import org.pingdialer.call.ari.AriException;
import org.pingdialer.call.ari.FakeAriClient;

class OriginatorTest {
  private final FakeAriClient ari = new FakeAriClient();
  private final ChannelSpec spec =
      ChannelSpec.of("PJSIP/4930999100001@carrier", new AttemptKey("c1", 7).channelId());

  @Test
  void lostResponseIsRetriedWithTheSameIdAndMakesNoSecondCall() {
    ari.loseResponsesOfNextCreates(1);

    Originator.create(ari, spec);

    assertThat(ari.requests())
        .containsExactly("create pd-c1-000000000007", "create pd-c1-000000000007");
    assertThat(ari.channels()).hasSize(1);
  }

  @Test
  void requestThatNeverArrivedIsSentAgain() {
    ari.dropNextCreates(2);
    Originator.create(ari, spec);
    assertThat(ari.channels()).hasSize(1);
    assertThat(ari.requests()).hasSize(3);
  }

  @Test
  void givesUpAfterThreeTriesWithTheLastError() {
    ari.dropNextCreates(5);
    assertThatThrownBy(() -> Originator.create(ari, spec)).isInstanceOf(UncheckedIOException.class);
    assertThat(ari.channels()).isEmpty();
    assertThat(ari.requests()).hasSize(Originator.MAX_TRIES);
  }

  @Test
  void aConflictOnTheFirstTryIsNotOursAndFails() {
    Originator.create(ari, spec);
    assertThatThrownBy(() -> Originator.create(ari, spec))
        .isInstanceOfSatisfying(
            AriException.class, e -> assertThat(e.kind()).isEqualTo(AriException.Kind.CONFLICT));
  }
}
