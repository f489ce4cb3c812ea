package org.pingdialer.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.pingdialer.campaign.spec.Campaign;
import org.pingdialer.campaign.spec.CampaignFileException;
import org.pingdialer.campaign.spec.CampaignFiles;

/**
 * Finds a campaign by file or by name among the campaign files of a directory: reports need the
 * campaign's file for its calling windows, limits and lists, and the database keeps only its name.
 */
public final class CampaignDirectory {
  private CampaignDirectory() {}

  /** A campaign file and the name in it (empty when the file is not a valid campaign). */
  public record Entry(Path file, Optional<String> name) {}

  /**
   * The campaign {@code nameOrFile} names: an existing file is read (and must be valid); otherwise
   * the first valid file in {@code dir} (sorted by file name) whose campaign has that name.
   *
   * @throws CampaignFileException when {@code nameOrFile} is a file with problems
   */
  public static Optional<Campaign> find(String nameOrFile, Path dir) throws CampaignFileException {
    Path file = Path.of(nameOrFile);
    if (Files.isRegularFile(file)) {
      return Optional.of(CampaignFiles.load(file));
    }
    for (Path candidate : files(dir)) {
      try {
        Campaign campaign = CampaignFiles.load(candidate);
        if (campaign.name().equals(nameOrFile)) {
          return Optional.of(campaign);
        }
      } catch (CampaignFileException invalid) {
        // Not the one asked for unless its name matches, and an invalid file has none we trust.
      }
    }
    return Optional.empty();
  }

  /** The campaign files in {@code dir} with their names, sorted by file name. */
  public static List<Entry> list(Path dir) {
    List<Entry> entries = new ArrayList<>();
    for (Path file : files(dir)) {
      Optional<String> name;
      try {
        name = Optional.of(CampaignFiles.load(file).name());
      } catch (CampaignFileException invalid) {
        name = Optional.empty();
      }
      entries.add(new Entry(file, name));
    }
    return entries;
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> listing = Files.list(dir)) {
      return listing
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the campaign files in " + dir, e);
    }
  }
}
