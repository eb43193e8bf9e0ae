package org.sparklinear.train;

import org.sparklinear.linalg.LinearWeights;

/**
 * Summed loss and gradient of the data term over the training blocks: on Spark ({@link DistributedObjective}) or
 * in one JVM ({@link LocalObjective}). Both compute every block with {@link BlockSums}, so they agree to the bit.
 */
public interface Objective {

  /** One minibatch step: each block's slice of its epoch permutation. */
  ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step);

  /** Every training row. */
  ReproducibleSum fullPass(LinearWeights weights);

  /** Total training rows. */
  long rows();

  /** A label for the work that follows (the Spark UI's job description); ignored without Spark. */
  default void describe(String description) {}
}
