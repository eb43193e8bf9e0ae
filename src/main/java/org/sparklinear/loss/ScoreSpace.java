package org.sparklinear.loss;

import org.sparklinear.linalg.CosineScores;
import org.sparklinear.linalg.LinearWeights;

/**
 * What a loss sees of a row: the linear scores {@code W x + b}, or the cosines between the row and each class
 * template (see {@link CosineScores}). The objective, the evaluator and the saved model all ask the loss for it.
 */
public enum ScoreSpace {
  LINEAR,
  COSINE;

  /** The weights a prediction uses: as trained, or, for cosines, unit templates with zero biases. */
  public LinearWeights forPrediction(LinearWeights trained) {
    return this == COSINE ? CosineScores.unitTemplates(trained) : trained;
  }
}
