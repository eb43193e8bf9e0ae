package org.sparklinear.train;

import java.io.Serializable;

/**
 * Which training settings were left to {@code auto}: chosen on the data once its size is known ({@link TrainingBudget}
 * for the epochs, batch size and decay; {@link SettingSearch} for the learning rate and L2 strength). A setting given
 * explicitly is never changed.
 */
public record AutomaticSettings(boolean epochs, boolean batchSize, boolean learningRateDecay, boolean patience,
    boolean learningRate, boolean regularization) implements Serializable {

  public static final AutomaticSettings NONE = new AutomaticSettings(false, false, false, false, false, false);

  public boolean any() {
    return epochs || batchSize || learningRateDecay || patience || learningRate || regularization;
  }

  public AutomaticSettings withEpochs(boolean v) {
    return new AutomaticSettings(v, batchSize, learningRateDecay, patience, learningRate, regularization);
  }

  public AutomaticSettings withBatchSize(boolean v) {
    return new AutomaticSettings(epochs, v, learningRateDecay, patience, learningRate, regularization);
  }

  public AutomaticSettings withLearningRateDecay(boolean v) {
    return new AutomaticSettings(epochs, batchSize, v, patience, learningRate, regularization);
  }

  public AutomaticSettings withPatience(boolean v) {
    return new AutomaticSettings(epochs, batchSize, learningRateDecay, v, learningRate, regularization);
  }

  public AutomaticSettings withLearningRate(boolean v) {
    return new AutomaticSettings(epochs, batchSize, learningRateDecay, patience, v, regularization);
  }

  public AutomaticSettings withRegularization(boolean v) {
    return new AutomaticSettings(epochs, batchSize, learningRateDecay, patience, learningRate, v);
  }
}
