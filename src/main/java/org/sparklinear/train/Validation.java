package org.sparklinear.train;

import org.sparklinear.linalg.LinearWeights;

/** The held-out rows the training loop measures accuracy on after each epoch. */
public interface Validation {

  /** Rows held out; 0 turns validation off. */
  long rows();

  /** Accuracy of the weights on the held-out rows. */
  double accuracy(LinearWeights weights);

  /**
   * For cosine losses: the mean cosine between each held-out row and its true class's template, and the mean of
   * that cosine minus the highest wrong class's; null where not measured.
   */
  default double[] cosineDiagnostics(LinearWeights weights) {
    return null;
  }

  /** No held-out rows: the loop skips validation. */
  Validation NONE = new Validation() {
    @Override
    public long rows() {
      return 0;
    }

    @Override
    public double accuracy(LinearWeights weights) {
      throw new IllegalStateException("there are no validation rows");
    }
  };
}
