package org.sparklinear.train;

import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;

/** What one block contributes to a minibatch or a full pass; shared by the distributed and the local objective. */
final class BlockSums {
  private BlockSums() {}

  static ReproducibleSum minibatch(BlockObjective objective, LinearWeights w, FeatureBlock block, MinibatchPlan plan,
      int epoch, int step) {
    long started = System.nanoTime();
    int from = plan.sliceStart(block.rows(), step);
    int count = plan.sliceEnd(block.rows(), step) - from;
    double[] gradient = new double[LinearWeights.parameterCount(w.classes(), w.features())];
    double loss = 0;
    if (count > 0) {
      int[] order = plan.order(epoch, block.partitionIndex(), block.rows());
      loss = objective.accumulate(w, block, order, from, count, gradient);
    }
    return ReproducibleSum.of(gradient, loss, count).withComputeNanos(System.nanoTime() - started);
  }

  static ReproducibleSum fullPass(BlockObjective objective, LinearWeights w, FeatureBlock block) {
    long started = System.nanoTime();
    double[] gradient = new double[LinearWeights.parameterCount(w.classes(), w.features())];
    double loss = objective.accumulateAll(w, block, gradient);
    return ReproducibleSum.of(gradient, loss, block.rows()).withComputeNanos(System.nanoTime() - started);
  }
}
