package org.pingdialer.host;

/**
 * A program pingdialer needs is not installed on this host; the message names it, what it is needed
 * for and the command that installs it.
 */
public final class MissingProgramException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String program;

  MissingProgramException(String message, String program, Throwable cause) {
    super(message, cause);
    this.program = program;
  }

  /** The missing program's file name, e.g. {@code baresip}. */
  public String program() {
    return program;
  }
}
