package io.automerge;

/**
 * Something a user gave us is wrong: a file, a tensor, a recipe field. The message is one line
 * that names what is wrong and where; the CLI prints it as is and exits non-zero.
 */
public class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
