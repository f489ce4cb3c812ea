package org.pingdialer.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttemptKeyTest {
  @Test
  void channelIdEncodesCampaignAndAttemptAndParsesBack() {
    var key = new AttemptKey("spring_sale", 42);
    assertThat(key.channelId()).isEqualTo("pd-spring_sale-000000000042");
    assertThat(AttemptKey.fromChannelId(key.channelId())).contains(key);
  }

  @Test
  void campaignNamesFromCampaignFilesWithDashesParseBack() {
    // Campaign files name campaigns like lab-demo; the key must take those names as they are.
    var key = new AttemptKey("lab-demo", 7);
    assertThat(key.channelId()).isEqualTo("pd-lab-demo-000000000007");
    assertThat(AttemptKey.fromChannelId(key.channelId())).contains(key);
    assertThat(AttemptKey.fromChannelId("pd-lab-demo-000000000007-drop")).isEmpty();
  }

  @Test
  void idsOfOneCampaignAreNeverPrefixesOfEachOther() {
    // Asterisk 22 rejects an id that is a prefix of a live channel's id.
    String one = new AttemptKey("c", 1).channelId();
    String eleven = new AttemptKey("c", 11).channelId();
    assertThat(eleven).doesNotStartWith(one);
    assertThat(one).hasSameSizeAs(eleven);
  }

  @Test
  void channelsWeDidNotCreateHaveNoKey() {
    assertThat(AttemptKey.fromChannelId("agent-1234")).isEmpty();
    assertThat(AttemptKey.fromChannelId("pd-c-12")).isEmpty();
    assertThat(AttemptKey.fromChannelId(null)).isEmpty();
  }

  @Test
  void campaignIdsThatWouldBreakChannelIdsAreRejected() {
    assertThatThrownBy(() -> new AttemptKey("Spring Sale", 1))
        .hasMessageContaining("'Spring Sale'");
  }
}
