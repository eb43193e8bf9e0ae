package org.sparklinear.loss;

import java.io.Serializable;

/**
 * A multiclass loss on the scores of a block of rows: the part of the objective that differs between losses.
 *
 * <p>Everything matrix-shaped (scores from rows, gradients back to {@code W} and {@code b}) is shared by
 * {@link BlockObjective}; a loss only sees the {@code n x K} score matrix.
 */
public interface ScoreLoss extends Serializable {

  /**
   * Sums the loss over {@code n} rows and replaces each score with the derivative of that sum with respect to it.
   *
   * @param scores row-major {@code n x classes} scores; overwritten with {@code dLoss/dScores}
   * @param labels the true class of each row
   * @return the summed (not averaged) loss of the rows
   */
  double lossAndScoreGradient(double[] scores, int[] labels, int n, int classes);

  /** The loss of one row whose scores are all equal, as at initialisation with small weights. */
  double expectedInitialLoss(int classes);

  /** The scores this loss is defined on; the bias takes no part in cosine scores. */
  default ScoreSpace scoreSpace() {
    return ScoreSpace.LINEAR;
  }

  /** Whether {@link #probabilities} gives calibrated class probabilities. */
  default boolean hasProbabilities() {
    return false;
  }

  /** Class probabilities for one row's scores; only for losses with {@link #hasProbabilities()}. */
  default double[] probabilities(double[] scores) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no probabilities");
  }
}
