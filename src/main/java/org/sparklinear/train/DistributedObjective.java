package org.sparklinear.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.Regularization;
import org.sparklinear.optim.Optimizer;
import org.sparklinear.spark.BroadcastAggregate;

/**
 * The objective over cached blocks on Spark: broadcast the weights, let every partition sum the loss and gradient
 * of its rows, {@code treeAggregate} the sums to the driver, destroy the broadcast. The only place that schedules
 * gradient jobs.
 */
public final class DistributedObjective implements Objective {
  private final JavaSparkContext sc;
  private final JavaRDD<FeatureBlock> blocks;
  private final BlockObjective objective;
  private final int treeDepth;
  private final long rows;

  public DistributedObjective(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, long rows, BlockObjective objective,
      int treeDepth) {
    this.sc = sc;
    this.blocks = blocks;
    this.rows = rows;
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

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void describe(String description) {
    sc.setJobDescription(description);
  }

  @Override
  public ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step) {
    BlockObjective obj = objective;
    return aggregate(weights, (w, block) -> BlockSums.minibatch(obj, w, block, plan, epoch, step));
  }

  @Override
  public ReproducibleSum localRound(RoundStart start, Optimizer rule, MinibatchPlan plan, int epoch, int step,
      int steps, double lr, Regularization penalty) {
    BlockObjective obj = objective;
    Optimizer stateless = rule.fresh(); // the tasks take the rule only: the state travels once, in the broadcast
    return aggregate(start, (s, block) -> BlockSums.localRound(obj, penalty, s, stateless, block, plan, epoch, step,
        steps, lr));
  }

  @Override
  public ReproducibleSum fullPass(LinearWeights weights) {
    BlockObjective obj = objective;
    return aggregate(weights, (w, block) -> BlockSums.fullPass(obj, w, block));
  }

  /** What one block contributes to an aggregate, given the broadcast value (the weights, or a round's start). */
  interface BlockSum<V> extends java.io.Serializable {
    ReproducibleSum compute(V value, FeatureBlock block) throws Exception;
  }

  private <V> ReproducibleSum aggregate(V weights, BlockSum<V> perBlock) {
    // no copy to broadcast: the weights do not change until the job has returned, and a copy costs the driver
    // another model's worth of heap at the peak of the step
    return BroadcastAggregate.run(sc, blocks, weights, (w, it) -> {
      ReproducibleSum sum = ReproducibleSum.empty();
      while (it.hasNext()) {
        sum.merge(perBlock.compute(w, it.next()));
      }
      return sum;
    }, ReproducibleSum.empty(), ReproducibleSum::merge, treeDepth);
  }
}
