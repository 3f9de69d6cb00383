package rag.app.api;

import rag.storage.problem.ProblemType;

/** An error the API answers with a problem of a fixed type and a detail for the person. */
public class ProblemException extends RuntimeException {
  private final ProblemType type;

  public ProblemException(ProblemType type, String detail) {
    super(detail);
    this.type = type;
  }

  public ProblemType type() {
    return type;
  }

  public static ProblemException notFound(String what, String id) {
    return new ProblemException(ProblemType.NOT_FOUND, "no " + what + " with id '" + id + "'");
  }

  /** 409: what the request would create exists already. */
  public static ProblemException conflict(String detail) {
    return new ProblemException(ProblemType.CONFLICT, detail);
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(ProblemType.BAD_REQUEST, detail);
  }

  /** Checks a numeric parameter; the message names the parameter, the value and the allowed range. */
  public static int requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw badRequest("illegal " + name + " " + value + ", must be in " + min + ".." + max);
    }
    return value;
  }
}
