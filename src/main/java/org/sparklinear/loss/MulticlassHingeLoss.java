package org.sparklinear.loss;

/**
 * Weston–Watkins multiclass hinge, {@code sum_{j != y} max(0, s_j - s_y + delta)}, or its square per term.
 */
public final class MulticlassHingeLoss implements ScoreLoss {
  private static final long serialVersionUID = 1L;

  /** How each margin violation is penalised. */
  public enum Penalty { LINEAR, SQUARED }

  private final double delta;
  private final Penalty penalty;

  public MulticlassHingeLoss(double delta, Penalty penalty) {
    this.delta = requireMargin(delta);
    this.penalty = penalty;
  }

  /** The margin of every hinge-type loss: a positive, finite number. */
  static double requireMargin(double delta) {
    if (!(delta > 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("hinge margin delta must be a positive number, got " + delta);
    }
    return delta;
  }

  public double delta() {
    return delta;
  }

  @Override
  public double lossAndScoreGradient(double[] scores, int[] labels, int n, int classes) {
    double total = 0;
    boolean squared = penalty == Penalty.SQUARED;
    for (int r = 0; r < n; r++) {
      int base = r * classes;
      int y = labels[r];
      double correct = scores[base + y];
      double correctGradient = 0;
      for (int k = 0; k < classes; k++) {
        if (k == y) {
          continue;
        }
        double margin = scores[base + k] - correct + delta;
        if (margin > 0) {
          total += squared ? margin * margin : margin;
          double g = squared ? 2 * margin : 1.0;
          scores[base + k] = g;
          correctGradient -= g;
        } else {
          scores[base + k] = 0;
        }
      }
      scores[base + y] = correctGradient;
    }
    return total;
  }

  @Override
  public double expectedInitialLoss(int classes) {
    return (classes - 1) * (penalty == Penalty.SQUARED ? delta * delta : delta);
  }

  @Override
  public String toString() {
    return (penalty == Penalty.SQUARED ? "squared-hinge" : "hinge") + "(delta=" + delta + ")";
  }
}
