package org.sparklinear.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;

/**
 * The data term of the objective over cached blocks: broadcast the weights, let every partition sum the loss and
 * gradient of its rows, {@code treeAggregate} the sums to the driver. The only place that schedules gradient jobs.
 */
public final class DistributedObjective {
  private final JavaSparkContext sc;
  private final JavaRDD<FeatureBlock> blocks;
  private final BlockObjective objective;
  private final int treeDepth;

  public DistributedObjective(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, BlockObjective objective,
      int treeDepth) {
    this.sc = sc;
    this.blocks = blocks;
    this.objective = objective;
    this.treeDepth = treeDepth > 0 ? treeDepth : depthFor(blocks.getNumPartitions());
  }

  /** Two levels once a flat merge would make the driver receive many partial sums. */
  static int depthFor(int partitions) {
    return partitions <= 8 ? 1 : 2;
  }

  public int treeDepth() {
    return treeDepth;
  }

  /** Loss and gradient sums of one minibatch step: each partition's slice of its epoch permutation. */
  public ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step) {
    BlockObjective obj = objective;
    return aggregate(weights, (w, block) -> {
      int from = plan.sliceStart(block.rows(), step);
      int count = plan.sliceEnd(block.rows(), step) - from;
      double[] gradient = new double[LinearWeights.parameterCount(w.classes(), w.features())];
      if (count == 0) {
        return ReproducibleSum.of(gradient, 0, 0);
      }
      int[] order = plan.order(epoch, block.partitionIndex(), block.rows());
      double loss = obj.accumulate(w, block, order, from, count, gradient);
      return ReproducibleSum.of(gradient, loss, count);
    });
  }

  /** Loss and gradient sums over every cached row. */
  public ReproducibleSum fullPass(LinearWeights weights) {
    BlockObjective obj = objective;
    return aggregate(weights, (w, block) -> {
      double[] gradient = new double[LinearWeights.parameterCount(w.classes(), w.features())];
      double loss = obj.accumulateAll(w, block, gradient);
      return ReproducibleSum.of(gradient, loss, block.rows());
    });
  }

  /** What one partition contributes to an aggregate. */
  interface PartitionSum extends java.io.Serializable {
    ReproducibleSum compute(LinearWeights weights, FeatureBlock block) throws Exception;
  }

  private ReproducibleSum aggregate(LinearWeights weights, PartitionSum perPartition) {
    Broadcast<LinearWeights> bc = sc.broadcast(weights.copy());
    try {
      return blocks.mapPartitions(it -> {
        ReproducibleSum sum = ReproducibleSum.empty();
        while (it.hasNext()) {
          sum.merge(perPartition.compute(bc.value(), it.next()));
        }
        return List.of(sum).iterator();
      }).treeAggregate(ReproducibleSum.empty(), ReproducibleSum::merge, ReproducibleSum::merge, treeDepth);
    } finally {
      bc.destroy();
    }
  }
}
