package org.pingdialer.campaign.spec;

import java.io.Serial;
import java.util.List;

/**
 * A campaign file that cannot be used. Carries every problem found, not just the first, each of the
 * form {@code <file>: <dotted.path>: <what is wrong>, was <value>}.
 */
public final class CampaignFileException extends Exception {
  @Serial private static final long serialVersionUID = 1L;

  private final List<String> problems;

  CampaignFileException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, in file order where there is one. */
  public List<String> problems() {
    return problems;
  }
}
