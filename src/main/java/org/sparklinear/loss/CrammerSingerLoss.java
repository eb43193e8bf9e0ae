package org.sparklinear.loss;

/**
 * Crammer–Singer multiclass hinge: only the highest-scoring wrong class counts,
 * {@code max(0, max_{j != y} s_j - s_y + delta)}. (Ties go to the lowest class index, a valid subgradient.)
 */
public final class CrammerSingerLoss implements ScoreLoss {
  private static final long serialVersionUID = 1L;
  private final double delta;

  public CrammerSingerLoss(double delta) {
    this.delta = MulticlassHingeLoss.requireMargin(delta);
  }

  @Override
  public double lossAndScoreGradient(double[] scores, int[] labels, int n, int classes) {
    double total = 0;
    for (int r = 0; r < n; r++) {
      int base = r * classes;
      int y = labels[r];
      int worst = -1;
      for (int k = 0; k < classes; k++) {
        if (k != y && (worst < 0 || scores[base + k] > scores[base + worst])) {
          worst = k;
        }
      }
      double margin = scores[base + worst] - scores[base + y] + delta;
      java.util.Arrays.fill(scores, base, base + classes, 0);
      if (margin > 0) {
        total += margin;
        scores[base + worst] = 1;
        scores[base + y] = -1;
      }
    }
    return total;
  }

  @Override
  public double expectedInitialLoss(int classes) {
    return delta;
  }

  @Override
  public String toString() {
    return "crammer-singer(delta=" + delta + ")";
  }
}
