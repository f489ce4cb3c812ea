package org.pingdialer.campaign.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The campaign definitions a controller keeps: one YAML file per campaign, {@code <name>.yaml} in a
 * directory (the data directory's {@code campaigns/}), as telephony engineers write them. A file is
 * stored only when it validates and its {@code name} is the one it is stored under; it replaces the
 * old one atomically, so a failed save leaves the stored definition as it was.
 */
public final class CampaignLibrary {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  private final Path dir;

  public CampaignLibrary(Path dir) {
    this.dir = dir;
  }

  /** The stored campaigns' names, sorted. */
  public List<String> names() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = new ArrayList<>();
      files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".yaml"))
          .map(f -> f.substring(0, f.length() - ".yaml".length()))
          .filter(n -> NAME.matcher(n).matches())
          .sorted()
          .forEach(names::add);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The stored definition's text, as it was saved. */
  public Optional<String> read(String name) {
    Path file = fileOf(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Validates {@code yaml} and stores it as {@code name}.
   *
   * @return true when it was new, false when it replaced a stored one
   * @throws CampaignFileException with every problem (nothing stored) when it does not validate or
   *     names another campaign
   */
  public boolean save(String name, String yaml) throws CampaignFileException {
    String source = name + ".yaml";
    Campaign campaign = CampaignFiles.parse(yaml, source);
    if (!campaign.name().equals(name)) {
      throw new CampaignFileException(
          List.of(
              source
                  + ": name: must be the name it is stored under ("
                  + name
                  + "), was "
                  + campaign.name()));
    }
    Path file = fileOf(name);
    try {
      Files.createDirectories(dir);
      boolean created = !Files.exists(file);
      Path temp = Files.createTempFile(dir, "." + name, ".tmp");
      Files.writeString(temp, yaml, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store " + file, e);
    }
  }

  /** Removes the stored definition; false when there was none. */
  public boolean delete(String name) {
    try {
      return Files.deleteIfExists(fileOf(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + fileOf(name), e);
    }
  }

  /** The file of a stored campaign (whether or not it exists). */
  public Path fileOf(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a campaign name is lower-case letters, digits and '-', up to 32, not starting with '-';"
              + " was "
              + name);
    }
    return dir.resolve(name + ".yaml");
  }
}
