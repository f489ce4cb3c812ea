package org.pingdialer.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error as RFC 9457 {@code application/problem+json}: what went wrong, and for bad input the
 * field and how to fix it.
 *
 * @param field the request field at fault, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {
  static final String CONTENT_TYPE = "application/problem+json";

  static Problem of(int status, String title, String detail) {
    return new Problem("about:blank", title, status, detail, null);
  }

  static Problem badField(String field, String detail) {
    return new Problem("about:blank", "Bad request", 400, detail, field);
  }

  /** 404, for a handler to throw: {@code detail} names what is missing and where to look. */
  static Raised notFound(String detail) {
    return new Raised(of(404, "Not found", detail));
  }

  /** 409, for a handler to throw: {@code detail} says what stands in the way and what to do. */
  static Raised conflict(String detail) {
    return new Raised(of(409, "Conflict", detail));
  }

  /** Thrown by a handler to answer with this problem. */
  static final class Raised extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // a record of strings and an int
    final Problem problem;

    Raised(Problem problem) {
      super(problem.detail());
      this.problem = problem;
    }
  }
}
