package org.sparklinear.train;

import org.sparklinear.linalg.LinearWeights;

/** Hooks into the training loop, for benchmarks, metrics files and progress displays. */
public interface TrainingListener {

  /** Before the first step of an epoch ({@code epoch} counts from 0), {@code step} steps done so far. */
  default void epochStarted(int epoch, long step) {}

  /**
   * After the update of a step (or of a round of local steps); {@code weights} is live, copy it to keep it.
   * {@code step} counts from 1; {@code examples} are the rows stepped on since the previous call.
   */
  default void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {}

  /** After an epoch's validation. */
  default void afterEpoch(EpochRecord record) {}

  /** True to stop training after the current step (e.g. a benchmark reached its target). */
  default boolean stopRequested() {
    return false;
  }

  TrainingListener NONE = new TrainingListener() {};
}
