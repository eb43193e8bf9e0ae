package org.sparklinear.train;

import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.Regularization;

/**
 * Summed loss and gradient of the data term over the training blocks: on Spark ({@link DistributedObjective}) or
 * in one JVM ({@link LocalObjective}). Both compute every block with {@link BlockSums}, so they agree to the bit.
 */
public interface Objective {

  /** One minibatch step: each block's slice of its epoch permutation. */
  ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step);

  /**
   * A round of local SGD: every block takes {@code steps} plain SGD steps (data gradient of its slice plus the
   * penalty's, at rate {@code lr}) from {@code weights} on its own slices {@code step .. step+steps-1}. The sum
   * holds each block's summed update direction weighted by its first slice's rows, and the loss and rows of that
   * first slice (the loss of the shared model), so that one step is the exact step's mean gradient plus penalty.
   */
  ReproducibleSum localRound(LinearWeights weights, MinibatchPlan plan, int epoch, int step, int steps, double lr,
      Regularization penalty);

  /** Every training row. */
  ReproducibleSum fullPass(LinearWeights weights);

  /** Total training rows. */
  long rows();

  /** A label for the work that follows (the Spark UI's job description); ignored without Spark. */
  default void describe(String description) {}
}
