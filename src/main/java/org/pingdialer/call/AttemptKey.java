package org.pingdialer.call;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which call this is: the campaign and the attempt number. Its {@link #channelId()} is the ARI
 * channel id we mint for the call, so an event names its campaign and attempt without any lookup
 * table, and a retried originate reuses the same id (ARI refuses a live duplicate with 409).
 *
 * <p>A campaign id may hold '-' (campaign files name campaigns like {@code summer-2026}): the
 * fixed-width attempt number at the end keeps the id unambiguous.
 *
 * <p>The attempt number is zero-padded to a fixed width: Asterisk 22 rejects an id that is a prefix
 * of a live channel's id ({@code pd-c-1} while {@code pd-c-11} exists).
 */
public record AttemptKey(String campaign, long attempt) {
  private static final Pattern CHANNEL_ID =
      Pattern.compile("pd-([a-z0-9][a-z0-9_-]{0,31})-(\\d{12})");

  public AttemptKey {
    if (!campaign.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException(
          "campaign id '"
              + campaign
              + "' must be 1-32 lower-case letters, digits, '-' or '_' (it becomes part of channel ids)");
    }
    if (attempt < 1 || attempt > 999_999_999_999L) {
      throw new IllegalArgumentException("attempt number out of range: " + attempt);
    }
  }

  /** {@code pd-<campaign>-<attempt, 12 digits>}. */
  public String channelId() {
    return String.format("pd-%s-%012d", campaign, attempt);
  }

  /** The playback id of this call's drop message. */
  String dropPlaybackId() {
    return channelId() + "-drop";
  }

  /** The key a channel id of ours encodes; empty for channels we did not create. */
  public static Optional<AttemptKey> fromChannelId(String channelId) {
    if (channelId == null) {
      return Optional.empty();
    }
    Matcher matcher = CHANNEL_ID.matcher(channelId);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(new AttemptKey(matcher.group(1), Long.parseLong(matcher.group(2))));
  }

  @Override
  public String toString() {
    return channelId();
  }
}
