package org.sparklinear.linalg;

/**
 * The cosine score space, {@code cos_rj = w_j . x_r / (|x_r| |w_j|)} with the bias unused: the one implementation
 * that training (the AM-softmax gradient), validation diagnostics and the saved model share.
 */
public final class CosineScores {
  /** Norms are never taken as smaller than this, so an all-zero row or template scores 0 rather than NaN. */
  public static final double MIN_NORM = 1e-12;

  private CosineScores() {}

  /** {@code |w_j|} of each class template. */
  public static double[] classNorms(LinearWeights weights) {
    int k = weights.classes();
    int d = weights.features();
    double[] w = weights.parameters();
    double[] norms = new double[k];
    for (int c = 0; c < k; c++) {
      norms[c] = norm(w, c * d, d);
    }
    return norms;
  }

  /** {@code |x_r|} of each of the {@code n} row-major rows of width {@code d}. */
  public static double[] rowNorms(double[] rows, int n, int d) {
    double[] norms = new double[n];
    for (int r = 0; r < n; r++) {
      norms[r] = norm(rows, r * d, d);
    }
    return norms;
  }

  private static double norm(double[] values, int from, int length) {
    double sum = 0;
    for (int i = from, end = from + length; i < end; i++) {
      sum += values[i] * values[i];
    }
    return Math.max(Math.sqrt(sum), MIN_NORM);
  }

  /**
   * Turns the row-major {@code n x K} linear scores {@code w_j . x_r + b_j} into cosines, in place.
   *
   * @param rowNorms {@code |x_r|}, from {@link #rowNorms}
   * @param classNorms {@code |w_j|}, from {@link #classNorms}
   */
  public static void toCosines(double[] scores, int n, LinearWeights weights, double[] rowNorms,
      double[] classNorms) {
    int k = weights.classes();
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < k; c++) {
        scores[r * k + c] = (scores[r * k + c] - weights.bias(c)) / (rowNorms[r] * classNorms[c]);
      }
    }
  }

  /**
   * Class templates scaled to unit length and zero biases: plain linear scores with them are {@code |x| cos_j},
   * whose argmax is the cosine model's prediction. This is how a cosine model is saved and evaluated.
   */
  public static LinearWeights unitTemplates(LinearWeights w) {
    LinearWeights unit = w.copy();
    double[] p = unit.parameters();
    double[] norms = classNorms(w);
    for (int c = 0; c < w.classes(); c++) {
      for (int i = c * w.features(), end = i + w.features(); i < end; i++) {
        p[i] /= norms[c];
      }
      p[unit.biasOffset() + c] = 0;
    }
    return unit;
  }
}
