package org.sparklinear.train;

/** The training data does not fit in the memory Spark gives the cache; training would re-read it every step. */
public final class InsufficientMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InsufficientMemoryException(String message) {
    super(message);
  }
}
