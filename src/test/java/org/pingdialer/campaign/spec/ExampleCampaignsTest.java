package org.pingdialer.campaign.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pingdialer.call.DialPolicy;
import org.pingdialer.call.DialPolicy.Profile;
import org.pingdialer.campaign.spec.Campaign.LineCheck;

/** The commented examples in campaigns/ are what engineers copy: they must load. */
class ExampleCampaignsTest {
  @Test
  void theStrictExampleLoads() throws CampaignFileException {
    Campaign campaign =
        CampaignFiles.load(Path.of("asterisk-config/campaigns/example-strict.yaml"));

    assertThat(campaign.profile()).isEqualTo(Profile.STRICT);
    assertThat(campaign.lineCheck()).isEqualTo(LineCheck.OFF);
    // The call engine accepts it: DialPolicy checks the strict rules again on its own.
    assertThat(campaign.dialPolicy().profile()).isEqualTo(Profile.STRICT);
    assertThat(campaign.dialPolicy().machineDetection())
        .contains(new DialPolicy.MachineDetection(DialPolicy.OnMachine.DROP_MESSAGE, 0.15));
  }

  @Test
  void theLabExampleLoads() throws CampaignFileException {
    Campaign campaign = CampaignFiles.load(Path.of("asterisk-config/campaigns/lab-demo.yaml"));

    assertThat(campaign.profile()).isEqualTo(Profile.LAB);
    assertThat(campaign.lineCheck()).isEqualTo(LineCheck.PING);
  }

  @Test
  void theDemosSecondCampaignLoadsAboveTheFirst() throws CampaignFileException {
    Campaign first = CampaignFiles.load(Path.of("asterisk-config/campaigns/lab-demo.yaml"));
    Campaign second = CampaignFiles.load(Path.of("asterisk-config/campaigns/lab-renewals.yaml"));

    assertThat(second.profile()).isEqualTo(Profile.LAB);
    assertThat(second.lineCheck()).isEqualTo(LineCheck.OFF);
    assertThat(second.share().priority()).isGreaterThan(first.share().priority());
  }

  /** The strict demo's second campaign is strict too, with the same place above the first. */
  @Test
  void theStrictDemosSecondCampaignIsStrictAndAboveTheFirst() throws CampaignFileException {
    Campaign first = CampaignFiles.load(Path.of("asterisk-config/campaigns/demo-strict.yaml"));
    Campaign second =
        CampaignFiles.load(Path.of("asterisk-config/campaigns/demo-strict-renewals.yaml"));
    Campaign lab = CampaignFiles.load(Path.of("asterisk-config/campaigns/lab-renewals.yaml"));

    assertThat(second.profile()).isEqualTo(Profile.STRICT);
    assertThat(second.lists()).isEqualTo(lab.lists());
    assertThat(second.share()).isEqualTo(lab.share());
    assertThat(second.share().priority()).isGreaterThan(first.share().priority());
  }

  @Test
  void aMissingFileIsAProblemNamingIt() {
    assertThat(
            CampaignFilesTest.problemsOf(() -> CampaignFiles.load(Path.of("campaigns/nope.yaml"))))
        .singleElement()
        .asString()
        .startsWith("campaigns/nope.yaml: file: cannot be read (java.nio.file.NoSuchFileException");
  }
}
