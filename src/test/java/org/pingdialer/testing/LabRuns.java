package org.pingdialer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Optional;
import org.pingdialer.campaign.CampaignRun;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.lab.agents.LabAgent;
import org.pingdialer.lab.agents.LabAgents;
import org.pingdialer.lab.stack.AsteriskStack;
import org.pingdialer.store.Database;

/**
 * What the campaign ITs set up the same way: a fresh embedded database under {@code target/}, a
 * campaign run on a lab stack (Berlin time, two I/O threads, 10 s to start), and lab agents on
 * baresip logging in to it.
 */
public final class LabRuns {
  /** The lab's time zone: its numbers are Berlin numbers. */
  public static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private LabRuns() {}

  /**
   * An empty embedded database in a new directory under {@code target/} named from {@code prefix}.
   */
  public static Database database(String prefix) {
    try {
      return Database.embedded(Files.createTempDirectory(Path.of("target"), prefix));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code campaign} on the stack's PBX, claiming leads as {@code claimer}. */
  public static CampaignRun start(
      AsteriskStack stack, Campaign campaign, Database database, String claimer) throws Exception {
    return CampaignRun.start(
        campaign,
        new CampaignRun.Settings(
            stack.ari(), Optional.of(stack.ami()), database, claimer, BERLIN, 2),
        InstantSource.system(),
        Duration.ofSeconds(10));
  }

  /** Logs {@code count} lab agents in to the run's desk, their phones' logs in target/baresip. */
  public static LabAgents agents(
      AsteriskStack stack, CampaignRun run, int count, LabAgent.Behaviour behaviour, long seed) {
    return LabAgents.start(
        stack.settings().orElseThrow(),
        run.desk(),
        count,
        behaviour,
        seed,
        BERLIN,
        Path.of("target/baresip"));
  }
}
