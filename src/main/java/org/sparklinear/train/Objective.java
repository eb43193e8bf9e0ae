package org.sparklinear.train;

import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.Regularization;
import org.sparklinear.optim.Optimizer;

/**
 * Summed loss and gradient of the data term over the training blocks: on Spark ({@link DistributedObjective}) or
 * in one JVM ({@link LocalObjective}). Both compute every block with {@link BlockSums}, so they agree to the bit.
 */
public interface Objective {

  /** One minibatch step: each block's slice of its epoch permutation. */
  ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step);

  /**
   * A round of local SGD: every block takes {@code steps} steps of the training's optimizer ({@code rule}: its own
   * copy, continued from {@code start}'s state; the data gradient of its slice plus the penalty's, at rate
   * {@code lr}) from {@code start}'s weights on its own slices {@code step .. step+steps-1}. The sum holds, weighted
   * by each block's first slice's rows, its parameters' move followed by its optimizer's final state, and the loss
   * and rows of the first slices (the loss of the shared model): divided by the rows, the mean model's move and the
   * mean state. The optimizer's update being linear in the gradient for SGD with or without momentum, one step is
   * the exact step.
   */
  ReproducibleSum localRound(RoundStart start, Optimizer rule, MinibatchPlan plan, int epoch, int step, int steps,
      double lr, Regularization penalty);

  /** Every training row. */
  ReproducibleSum fullPass(LinearWeights weights);

  /** Total training rows. */
  long rows();

  /** A label for the work that follows (the Spark UI's job description); ignored without Spark. */
  default void describe(String description) {}
}
