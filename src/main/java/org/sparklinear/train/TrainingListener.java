package org.sparklinear.train;

import org.sparklinear.linalg.LinearWeights;

/** Hooks into the training loop, for benchmarks, metrics files and progress displays. */
public interface TrainingListener {

  /** After the update of a step; {@code weights} is live, copy it to keep it. {@code step} counts from 1. */
  default void afterStep(long step, int epoch, double loss, LinearWeights weights) {}

  /** After an epoch's validation. */
  default void afterEpoch(EpochRecord record) {}

  /** True to stop training after the current step (e.g. a benchmark reached its target). */
  default boolean stopRequested() {
    return false;
  }

  TrainingListener NONE = new TrainingListener() {};
}
