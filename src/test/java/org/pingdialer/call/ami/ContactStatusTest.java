package org.pingdialer.call.ami;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContactStatusTest {
  @Test
  void mapsAsterisk22StatusNamesIncludingNonQualified() {
    assertThat(ContactStatus.Status.fromAmi("NonQualified"))
        .isEqualTo(ContactStatus.Status.NON_QUALIFIED);
    assertThat(ContactStatus.Status.fromAmi("Reachable")).isEqualTo(ContactStatus.Status.REACHABLE);
    assertThat(ContactStatus.Status.fromAmi("Removed")).isEqualTo(ContactStatus.Status.REMOVED);
    assertThat(ContactStatus.Status.fromAmi("Sleeping")).isEqualTo(ContactStatus.Status.UNKNOWN);
  }

  @Test
  void onlyLiveStatesCountAsRegistered() {
    assertThat(ContactStatus.Status.REACHABLE.isRegistered()).isTrue();
    assertThat(ContactStatus.Status.UNREACHABLE.isRegistered()).isFalse();
    assertThat(ContactStatus.Status.REMOVED.isRegistered()).isFalse();
  }
}
