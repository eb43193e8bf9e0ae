package org.sparklinear.loss;

import org.sparklinear.linalg.LinearWeights;

/** {@code lambda * sum W^2} on the class templates only; the biases are never regularised. */
public final class L2Regularization implements Regularization {
  private final double lambda;

  public L2Regularization(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("regularisation strength must be a number >= 0, got " + lambda);
    }
    this.lambda = lambda;
  }

  public double lambda() {
    return lambda;
  }

  /** Adds {@code 2 lambda W} to the gradient and returns {@code lambda sum W^2}. */
  @Override
  public double addTo(LinearWeights weights, double[] gradient) {
    if (lambda == 0) {
      return 0;
    }
    double[] p = weights.parameters();
    double sumSquares = 0;
    for (int i = 0, n = weights.biasOffset(); i < n; i++) {
      sumSquares += p[i] * p[i];
      gradient[i] += 2 * lambda * p[i];
    }
    return lambda * sumSquares;
  }
}
