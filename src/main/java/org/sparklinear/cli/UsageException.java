package org.sparklinear.cli;

import org.sparklinear.BadInputException;

/** A command line that cannot be run: unknown command or option, missing or malformed value. */
public final class UsageException extends BadInputException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
