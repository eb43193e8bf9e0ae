package org.sparklinear.loss;

/**
 * One-vs-all: K binary SVMs trained together, class k against the rest, each with the binary hinge
 * {@code max(0, delta - t_k s_k)} where {@code t_k} is +1 for the true class and -1 for the others.
 */
public final class OneVsAllHingeLoss implements ScoreLoss {
  private static final long serialVersionUID = 1L;
  private final double delta;

  public OneVsAllHingeLoss(double delta) {
    this.delta = MulticlassHingeLoss.requireMargin(delta);
  }

  @Override
  public double lossAndScoreGradient(double[] scores, int[] labels, int n, int classes) {
    double total = 0;
    for (int r = 0; r < n; r++) {
      int base = r * classes;
      for (int k = 0; k < classes; k++) {
        double t = k == labels[r] ? 1 : -1;
        double margin = delta - t * scores[base + k];
        if (margin > 0) {
          total += margin;
          scores[base + k] = -t;
        } else {
          scores[base + k] = 0;
        }
      }
    }
    return total;
  }

  @Override
  public double expectedInitialLoss(int classes) {
    return classes * delta;
  }

  @Override
  public String toString() {
    return "one-vs-all(delta=" + delta + ")";
  }
}
