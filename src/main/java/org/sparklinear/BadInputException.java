package org.sparklinear;

/**
 * Input the job cannot use: a malformed file or record, an impossible option, a model that does not fit the data.
 * The message names the file, record or option and what is wrong; the command line turns it into exit code 2.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first {@code BadInputException} in a cause chain (Spark wraps executor failures), or null. */
  public static BadInputException findIn(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BadInputException bad) {
        return bad;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
