package org.sparklinear.loss;

import org.sparklinear.linalg.LinearWeights;

/**
 * {@code lambda * sum |W|} on the class templates only. Its subgradient {@code lambda * sign(W)} (0 at 0) pushes
 * weights towards zero at a constant rate; with SGD they hover near zero rather than land on it exactly.
 */
public final class L1Regularization implements Regularization {
  private final double lambda;

  public L1Regularization(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("L1 strength must be a number >= 0, got " + lambda);
    }
    this.lambda = lambda;
  }

  @Override
  public double addTo(LinearWeights weights, double[] gradient) {
    if (lambda == 0) {
      return 0;
    }
    double[] p = weights.parameters();
    double sumAbs = 0;
    for (int i = 0, n = weights.biasOffset(); i < n; i++) {
      sumAbs += Math.abs(p[i]);
      gradient[i] += lambda * Math.signum(p[i]);
    }
    return lambda * sumAbs;
  }
}
