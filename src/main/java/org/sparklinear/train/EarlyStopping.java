package org.sparklinear.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.linalg.LinearWeights;

/**
 * Patience on validation accuracy: remembers the best epoch's weights and says when {@code patience} epochs have
 * passed without improvement. With patience 0 it only watches. The best epoch's weights are kept only when they beat
 * the last epoch's by more than the noise of the split (one standard error of its accuracy): with a decaying rate the
 * last epoch is as good or better in expectation, and on a split of a few hundred rows the best of ten epochs is
 * mostly the luckiest (CIFAR-10's 918 validation rows: keeping the best cost 0.8 points of test accuracy).
 */
final class EarlyStopping {
  private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

  private final int patience;
  private final long validationRows;
  private LinearWeights best;
  private double bestAccuracy = Double.NEGATIVE_INFINITY;
  private int epochsWithoutImprovement;

  EarlyStopping(int patience, long validationRows) {
    this.patience = patience;
    this.validationRows = validationRows;
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
    LOG.info("validation accuracy has not improved for {} epochs: stopping early (the best was epoch {}'s, {})",
        patience, epoch + 1 - patience, String.format("%.4f", bestAccuracy));
    return true;
  }

  /** The weights to keep: the best epoch's when it beat the last one by more than the split's noise. */
  LinearWeights choose(LinearWeights last, double lastAccuracy) {
    double noise = validationRows > 0 && lastAccuracy >= 0 && lastAccuracy <= 1
        ? Math.sqrt(lastAccuracy * (1 - lastAccuracy) / validationRows) : 0;
    return best != null && bestAccuracy > lastAccuracy + noise ? best : last;
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
