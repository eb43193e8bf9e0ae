package org.sparklinear.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.Regularization;
import org.sparklinear.spark.PartitionSubset;

/**
 * The objective over training data cached on disk as chunks (one small block per partition): a step's job runs a
 * task only for the chunks its minibatch uses ({@link MinibatchPlan#chunks}), each reading its chunk whole, so an
 * epoch reads every chunk once, sequentially, and no task holds more than one chunk.
 */
final class ChunkedObjective implements Objective {
  private final JavaSparkContext sc;
  private final JavaRDD<FeatureBlock> chunks;
  private final BlockObjective objective;
  /** The whole data's objective: full passes, and the description of the jobs. */
  private final DistributedObjective all;

  ChunkedObjective(JavaSparkContext sc, JavaRDD<FeatureBlock> chunks, long rows, BlockObjective objective,
      int treeDepth) {
    this.sc = sc;
    this.chunks = chunks;
    this.objective = objective;
    this.all = new DistributedObjective(sc, chunks, rows, objective, treeDepth);
  }

  @Override
  public long rows() {
    return all.rows();
  }

  @Override
  public void describe(String description) {
    all.describe(description);
  }

  @Override
  public ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step) {
    int[] wanted = plan.chunks(epoch, step, chunks.getNumPartitions());
    if (wanted.length == 0) {
      return ReproducibleSum.empty(); // more steps than chunks: the trainer skips an empty step
    }
    // a step's few partial sums are merged on the driver (depth 1) whatever the whole data's depth
    return new DistributedObjective(sc, PartitionSubset.of(chunks, wanted), all.rows(), objective, 1).fullPass(weights);
  }

  /**
   * Local SGD takes a partition's next slices from the rows it holds; a chunk is one step's share, so there is no
   * such thing here: {@link Trainer} refuses {@code --local-steps} above 1 on disk data before it gets here.
   */
  @Override
  public ReproducibleSum localRound(LinearWeights weights, MinibatchPlan plan, int epoch, int step, int steps,
      double lr, Regularization penalty) {
    throw new UnsupportedOperationException("local steps need the data cached in memory");
  }

  @Override
  public ReproducibleSum fullPass(LinearWeights weights) {
    return all.fullPass(weights);
  }
}
