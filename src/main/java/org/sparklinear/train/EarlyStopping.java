package org.sparklinear.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.linalg.LinearWeights;

/**
 * Patience on validation accuracy: remembers the best epoch's weights and says when {@code patience} epochs have
 * passed without improvement. With patience 0 it only watches.
 */
final class EarlyStopping {
  private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

  private final int patience;
  private LinearWeights best;
  private double bestAccuracy = Double.NEGATIVE_INFINITY;
  private int epochsWithoutImprovement;

  EarlyStopping(int patience) {
    this.patience = patience;
  }

  /** Continues from a checkpoint's state. */
  void restore(double bestAccuracy, LinearWeights best, int epochsWithoutImprovement) {
    this.bestAccuracy = bestAccuracy;
    this.best = best;
    this.epochsWithoutImprovement = epochsWithoutImprovement;
  }

  /** Records an epoch's accuracy; true when training should stop. */
  boolean afterEpoch(int epoch, double accuracy, LinearWeights weights) {
    if (patience == 0) {
      return false;
    }
    if (accuracy > bestAccuracy) {
      bestAccuracy = accuracy;
      best = weights.copy();
      epochsWithoutImprovement = 0;
      return false;
    }
    if (++epochsWithoutImprovement < patience) {
      return false;
    }
    LOG.info("validation accuracy has not improved for {} epochs: stopping early, keeping epoch {}'s weights ({})",
        patience, epoch + 1 - patience, String.format("%.4f", bestAccuracy));
    return true;
  }

  /** The weights to keep: the best epoch's when it beat the last one. */
  LinearWeights choose(LinearWeights last, double lastAccuracy) {
    return best != null && bestAccuracy > lastAccuracy ? best : last;
  }

  double accuracyOf(LinearWeights chosen, double lastAccuracy) {
    return chosen == best && best != null ? bestAccuracy : lastAccuracy;
  }

  double bestAccuracy() {
    return bestAccuracy;
  }

  LinearWeights best() {
    return best;
  }

  int epochsWithoutImprovement() {
    return epochsWithoutImprovement;
  }
}
