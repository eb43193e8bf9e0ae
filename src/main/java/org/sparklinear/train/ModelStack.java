package org.sparklinear.train;

import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.Regularization;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.loss.StackedLoss;
import org.sparklinear.optim.LearningRateSchedule;
import org.sparklinear.optim.Optimizer;

/**
 * A sweep's models trained as one: model {@code m} owns classes {@code m*K .. (m+1)*K-1} of a stacked weight matrix,
 * so every step shares one broadcast, one pass over each partition and one aggregation. Each model keeps its own
 * learning rate (its gradient slice is scaled by {@code lr_m / lr}, exact for SGD with or without momentum) and its
 * own L2 strength.
 *
 * @param learningRates per model
 * @param l2 per model
 */
public record ModelStack(int classes, double[] learningRates, double[] l2) {

  public ModelStack {
    if (learningRates.length != l2.length || learningRates.length < 1) {
      throw new IllegalArgumentException("one learning rate and one L2 strength per model");
    }
    learningRates = learningRates.clone();
    l2 = l2.clone();
  }

  public int models() {
    return learningRates.length;
  }

  /** The rate the optimiser runs at; each model's gradient is scaled relative to it. */
  public double baseLearningRate() {
    double max = 0;
    for (double r : learningRates) {
      max = Math.max(max, r);
    }
    return max;
  }

  /** The stack in which every model starts from {@code single}: models then differ only by their settings. */
  public LinearWeights replicate(LinearWeights single) {
    int features = single.features();
    LinearWeights stacked = LinearWeights.zeros(models() * classes, features);
    double[] to = stacked.parameters();
    for (int m = 0; m < models(); m++) {
      System.arraycopy(single.parameters(), 0, to, m * classes * features, classes * features);
      System.arraycopy(single.parameters(), single.biasOffset(), to, stacked.biasOffset() + m * classes, classes);
    }
    return stacked;
  }

  /** Model {@code m}'s weights, copied out of the stack. */
  public LinearWeights slice(LinearWeights stacked, int m) {
    int features = stacked.features();
    LinearWeights w = LinearWeights.zeros(classes, features);
    double[] from = stacked.parameters();
    double[] to = w.parameters();
    System.arraycopy(from, m * classes * features, to, 0, classes * features);
    System.arraycopy(from, stacked.biasOffset() + m * classes, to, w.biasOffset(), classes);
    return w;
  }

  /** Each model's {@code l2_m * sum W_m^2}; biases free as always. */
  public Regularization regularization(int features) {
    return (weights, gradient) -> {
      double[] p = weights.parameters();
      double penalty = 0;
      for (int m = 0; m < models(); m++) {
        double lambda = l2[m];
        for (int i = m * classes * features, end = (m + 1) * classes * features; i < end; i++) {
          penalty += lambda * p[i] * p[i];
          gradient[i] += 2 * lambda * p[i];
        }
      }
      return penalty;
    };
  }

  /**
   * The stack as the training loop sees it: the configuration's loss applied to each model's slice of the scores
   * (in the loss's own score space), each model's L2 strength and rate, every model starting from the same weights.
   */
  public TrainingProblem problem(TrainingConfig config) {
    if (config.optimizer() != org.sparklinear.optim.OptimizerKind.SGD) {
      throw new IllegalArgumentException("a sweep trains with sgd (per-model rates scale the gradient, which the"
          + " adaptive optimizers undo); got " + config.optimizer().cliName());
    }
    if (config.localSteps() != 1) {
      throw new IllegalArgumentException("a sweep trains with --local-steps 1 (each model has its own rate, which"
          + " the partitions' local steps do not know); got " + config.localSteps());
    }
    TrainingProblem one = TrainingProblem.single(config);
    return new TrainingProblem() {
      @Override
      public int models() {
        return ModelStack.this.models();
      }

      @Override
      public ScoreLoss loss() {
        return new StackedLoss(one.loss(), models());
      }

      @Override
      public Regularization regularization(int features) {
        return ModelStack.this.regularization(features);
      }

      @Override
      public Optimizer optimizer(int features) {
        return ModelStack.this.optimizer(one.optimizer(features), features);
      }

      @Override
      public LearningRateSchedule schedule() {
        return LearningRateSchedule.parse(config.learningRateDecay(), baseLearningRate());
      }

      @Override
      public LinearWeights initialWeights(int classes, int features) {
        return replicate(one.initialWeights(classes, features));
      }
    };
  }

  /** Wraps an SGD-family optimiser so that model m moves at its own rate. */
  public Optimizer optimizer(Optimizer sgd, int features) {
    double base = baseLearningRate();
    int biasOffset = models() * classes * features;
    return new Optimizer() {
      @Override
      public void step(double[] params, double[] gradient, double learningRate) {
        for (int m = 0; m < models(); m++) {
          double factor = learningRates[m] / base;
          for (int i = m * classes * features, end = (m + 1) * classes * features; i < end; i++) {
            gradient[i] *= factor;
          }
          for (int i = biasOffset + m * classes, end = biasOffset + (m + 1) * classes; i < end; i++) {
            gradient[i] *= factor;
          }
        }
        sgd.step(params, gradient, learningRate);
      }

      @Override
      public double[] state(int parameterCount) {
        return sgd.state(parameterCount);
      }

      @Override
      public void restoreState(double[] state) {
        sgd.restoreState(state);
      }

      @Override
      public Optimizer fresh() {
        // only rounds of local steps ask, and a sweep refuses them (problem above)
        throw new UnsupportedOperationException("a sweep's stacked models take no local steps");
      }

      @Override
      public String toString() {
        return sgd + " with the rates of " + models() + " models";
      }
    };
  }
}
