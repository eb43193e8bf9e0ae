package org.sparklinear.optim;

/** The momentum variants of {@link SgdOptimizer}. */
public enum Momentum {
  /** Plain SGD: {@code x -= lr * g}. */
  NONE,
  /** Heavy ball: {@code v = mu v - lr g; x += v}. */
  STANDARD,
  /** Nesterov's lookahead in the form that needs no second gradient: {@code x += -mu v_prev + (1 + mu) v}. */
  NESTEROV
}
