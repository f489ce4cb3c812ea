package org.pingdialer.call.ari;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AriExceptionTest {
  @Test
  void statusesMapToWhatTheyMeanForTheDialer() {
    assertThat(new AriException(404, "GET /channels/x", "Channel not found").kind())
        .isEqualTo(AriException.Kind.GONE);
    assertThat(new AriException(409, "POST /channels/create", "dup").kind())
        .isEqualTo(AriException.Kind.CONFLICT);
    assertThat(new AriException(412, "POST /channels/x/play", "state").kind())
        .isEqualTo(AriException.Kind.WRONG_STATE);
    assertThat(new AriException(422, "POST /bridges/b/addChannel", "not in Stasis").kind())
        .isEqualTo(AriException.Kind.WRONG_STATE);
    assertThat(new AriException(500, "POST /channels/create", "Allocation failed").kind())
        .isEqualTo(AriException.Kind.SERVER_ERROR);
  }

  @Test
  void messageNamesRequestStatusAndAriMessage() {
    assertThat(new AriException(409, "POST /channels/create", "Channel exists").getMessage())
        .isEqualTo("POST /channels/create failed with HTTP 409: Channel exists");
  }
}
