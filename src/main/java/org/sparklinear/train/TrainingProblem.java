package org.sparklinear.train;

import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.Regularization;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.optim.LearningRateSchedule;
import org.sparklinear.optim.Optimizer;

/**
 * What the training loop trains: one model of the configuration ({@link #single}), or a sweep's stack of models
 * ({@link ModelStack#problem}). The loop asks it for every piece that differs, and never branches on which it is.
 */
public interface TrainingProblem {
  /** How many models share the weight matrix (1 unless stacked). */
  int models();

  ScoreLoss loss();

  Regularization regularization(int features);

  Optimizer optimizer(int features);

  LearningRateSchedule schedule();

  /** The starting weights for {@code classes} classes of one model: replicated once per model of a stack. */
  LinearWeights initialWeights(int classes, int features);

  /** One model with the configuration's loss, penalties, optimiser and schedule. */
  static TrainingProblem single(TrainingConfig config) {
    return new TrainingProblem() {
      @Override
      public int models() {
        return 1;
      }

      @Override
      public ScoreLoss loss() {
        return config.createLoss();
      }

      @Override
      public Regularization regularization(int features) {
        return config.createRegularization();
      }

      @Override
      public Optimizer optimizer(int features) {
        return config.createOptimizer();
      }

      @Override
      public LearningRateSchedule schedule() {
        return config.schedule();
      }

      @Override
      public LinearWeights initialWeights(int classes, int features) {
        return Trainer.initialWeights(classes, features, config.initScale(), config.seed());
      }
    };
  }
}
