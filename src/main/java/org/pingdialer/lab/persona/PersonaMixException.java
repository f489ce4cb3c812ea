package org.pingdialer.lab.persona;

import java.util.List;

/** A persona mix file with problems; each names its place in the file and the fix. */
public final class PersonaMixException extends Exception {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an immutable List.copyOf
  private final List<String> problems;

  public PersonaMixException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
