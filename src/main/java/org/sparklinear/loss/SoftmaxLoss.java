package org.sparklinear.loss;

/**
 * Softmax cross-entropy, {@code -s_y + log sum_j exp(s_j)}, computed after subtracting the row's largest score so
 * that large scores cannot overflow.
 */
public final class SoftmaxLoss implements ScoreLoss {
  private static final long serialVersionUID = 1L;

  @Override
  public double lossAndScoreGradient(double[] scores, int[] labels, int n, int classes) {
    double total = 0;
    for (int r = 0; r < n; r++) {
      int base = r * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < classes; k++) {
        max = Math.max(max, scores[base + k]);
      }
      int y = labels[r];
      double shiftedCorrect = scores[base + y] - max;
      double sum = 0;
      for (int k = 0; k < classes; k++) {
        double e = Math.exp(scores[base + k] - max);
        scores[base + k] = e;
        sum += e;
      }
      // -log p_y from the shifted score itself: exp of it may underflow to 0, its log must not become -inf
      total += Math.log(sum) - shiftedCorrect;
      for (int k = 0; k < classes; k++) {
        scores[base + k] /= sum;
      }
      scores[base + y] -= 1.0;
    }
    return total;
  }

  @Override
  public double expectedInitialLoss(int classes) {
    return Math.log(classes);
  }

  @Override
  public boolean hasProbabilities() {
    return true;
  }

  @Override
  public double[] probabilities(double[] scores) {
    return softmax(scores);
  }

  /** {@code e^{s_k} / sum_j e^{s_j}}, computed after subtracting the largest score so no exponential overflows. */
  public static double[] softmax(double[] scores) {
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      max = Math.max(max, s);
    }
    double[] p = new double[scores.length];
    double sum = 0;
    for (int k = 0; k < scores.length; k++) {
      p[k] = Math.exp(scores[k] - max);
      sum += p[k];
    }
    for (int k = 0; k < scores.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  @Override
  public String toString() {
    return "softmax";
  }
}
