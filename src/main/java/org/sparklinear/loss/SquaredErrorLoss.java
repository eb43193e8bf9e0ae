package org.sparklinear.loss;

/**
 * Squared error against one-hot targets, the regression loss the lecture notes compare the classification losses
 * with: per row {@code 1/2 sum_k (s_k - t_k)^2}, summed over all K classes, with {@code t_y = 1} and {@code t_k = 0}
 * otherwise; the gradient is {@code s - t}. (The objective averages rows, so {@code --loss mse} is the mean over rows
 * of this per-row sum.)
 *
 * <p>It punishes a correct class scored far above 1 as much as a wrong one scored too high, and pulls every score
 * towards an exact value rather than ranking the right class first: the reason the notes prefer softmax or a hinge.
 */
public final class SquaredErrorLoss implements ScoreLoss {
  private static final long serialVersionUID = 1L;

  @Override
  public double lossAndScoreGradient(double[] scores, int[] labels, int n, int classes) {
    double total = 0;
    for (int r = 0; r < n; r++) {
      int base = r * classes;
      for (int k = 0; k < classes; k++) {
        double error = scores[base + k] - (k == labels[r] ? 1 : 0);
        total += 0.5 * error * error;
        scores[base + k] = error;
      }
    }
    return total;
  }

  /** All scores 0: only the true class misses its target, by 1. */
  @Override
  public double expectedInitialLoss(int classes) {
    return 0.5;
  }

  @Override
  public String toString() {
    return "mse";
  }
}
