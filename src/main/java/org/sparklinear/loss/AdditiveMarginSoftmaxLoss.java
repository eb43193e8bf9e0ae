package org.sparklinear.loss;

/**
 * Additive-margin softmax (AM-softmax, CosFace): softmax cross-entropy on {@code s * (cos(theta_j) - m [j = y])},
 * so the true class must win by a margin {@code m} in cosine; features and class weights are L2-normalised by
 * {@link BlockObjective}.
 */
public final class AdditiveMarginSoftmaxLoss implements ScoreLoss {
  private static final long serialVersionUID = 1L;
  private final double scale;
  private final double margin;

  public AdditiveMarginSoftmaxLoss(double scale, double margin) {
    if (!(scale > 0) || Double.isInfinite(scale) || !(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("AM-softmax needs scale > 0 and margin >= 0, got " + scale + ", " + margin);
    }
    this.scale = scale;
    this.margin = margin;
  }

  @Override
  public ScoreSpace scoreSpace() {
    return ScoreSpace.COSINE;
  }

  @Override
  public double lossAndScoreGradient(double[] cosines, int[] labels, int n, int classes) {
    double total = 0;
    double[] logits = new double[classes];
    for (int r = 0; r < n; r++) {
      int base = r * classes;
      int y = labels[r];
      for (int k = 0; k < classes; k++) {
        logits[k] = scale * (cosines[base + k] - (k == y ? margin : 0));
      }
      double[] p = SoftmaxLoss.softmax(logits);
      total += -Math.log(Math.max(p[y], Double.MIN_NORMAL));
      for (int k = 0; k < classes; k++) {
        cosines[base + k] = scale * (p[k] - (k == y ? 1 : 0));
      }
    }
    return total;
  }

  /** All cosines 0: {@code log(1 + (K - 1) e^{s m})}. */
  @Override
  public double expectedInitialLoss(int classes) {
    return Math.log1p((classes - 1) * Math.exp(scale * margin));
  }

  public double scale() {
    return scale;
  }

  public double margin() {
    return margin;
  }

  @Override
  public String toString() {
    return "am-softmax(s=" + scale + ", m=" + margin + ")";
  }
}
