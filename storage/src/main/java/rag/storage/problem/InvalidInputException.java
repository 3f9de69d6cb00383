package rag.storage.problem;

/**
 * A value that came from a caller (a request field, a parameter, a name) is not acceptable; the message says which
 * value and what is allowed. The API answers it with {@link ProblemType#BAD_REQUEST}; any other
 * {@link IllegalArgumentException} is a defect of the service and answered as an internal error.
 */
public class InvalidInputException extends IllegalArgumentException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
