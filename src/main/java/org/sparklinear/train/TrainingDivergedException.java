package org.sparklinear.train;

/** The loss or the weights stopped being finite numbers; nothing is written. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
