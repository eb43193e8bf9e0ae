package org.sparklinear.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.Regularization;
import org.sparklinear.optim.Optimizer;
import org.sparklinear.spark.LocalBlocks;
import org.sparklinear.spark.PartitionSubset;

/**
 * The objective over training data cached on disk as chunks (one small block per partition): a step's job runs a
 * task only for the chunks its minibatch uses ({@link MinibatchPlan#chunks}), each reading its chunk whole, so an
 * epoch reads every chunk once, sequentially, and no task holds more than one chunk.
 *
 * <p>With a local master the driver's JVM stores every chunk, so a step can read its chunks from the block manager
 * itself, one thread per chunk, without a Spark job (which is most of a step's time on small chunks): the same
 * chunks, the same per-chunk sums, the same bits. A chunk this JVM does not hold sends that step back to a job.
 */
final class ChunkedObjective implements Objective, AutoCloseable {
  private final JavaSparkContext sc;
  private final JavaRDD<FeatureBlock> chunks;
  private final BlockObjective objective;
  /** The whole data's objective: full passes, and the description of the jobs. */
  private final DistributedObjective all;
  /** Threads reading and computing chunks in this JVM, or null when every step is a Spark job. */
  private final ExecutorService inJvm;

  /** @param threads of the steps run in this JVM (a local master only), or 0 for a Spark job per step */
  ChunkedObjective(JavaSparkContext sc, JavaRDD<FeatureBlock> chunks, long rows, BlockObjective objective,
      int treeDepth, int threads) {
    this.sc = sc;
    this.chunks = chunks;
    this.objective = objective;
    this.all = new DistributedObjective(sc, chunks, rows, objective, treeDepth);
    this.inJvm = threads <= 0 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "chunk-objective");
      t.setDaemon(true);
      return t;
    });
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
    if (inJvm != null) {
      ReproducibleSum read = sumInJvm(weights, wanted);
      if (read != null) {
        return read;
      }
    }
    // a step's few partial sums are merged on the driver (depth 1) whatever the whole data's depth
    return new DistributedObjective(sc, PartitionSubset.of(chunks, wanted), all.rows(), objective, 1).fullPass(weights);
  }

  /** The chunks' sums read and computed here, or null if a chunk is not stored in this JVM. */
  private ReproducibleSum sumInJvm(LinearWeights weights, int[] wanted) {
    List<Future<ReproducibleSum>> parts = new ArrayList<>(wanted.length);
    for (int chunk : wanted) {
      parts.add(inJvm.submit(() -> {
        List<FeatureBlock> blocks = LocalBlocks.read(chunks, chunk);
        if (blocks == null) {
          return null;
        }
        ReproducibleSum sum = ReproducibleSum.empty();
        for (FeatureBlock block : blocks) {
          sum.merge(BlockSums.fullPass(objective, weights, block));
        }
        return sum;
      }));
    }
    return LocalObjective.merged(parts);
  }

  /**
   * Local SGD takes a partition's next slices from the rows it holds; a chunk is one step's share, so there is no
   * such thing here: {@link Trainer} refuses {@code --local-steps} above 1 on disk data before it gets here.
   */
  @Override
  public ReproducibleSum localRound(RoundStart start, Optimizer rule, MinibatchPlan plan, int epoch, int step,
      int steps, double lr, Regularization penalty) {
    throw new UnsupportedOperationException("local steps need the data cached in memory");
  }

  @Override
  public ReproducibleSum fullPass(LinearWeights weights) {
    return all.fullPass(weights);
  }

  @Override
  public void close() {
    if (inJvm != null) {
      inJvm.shutdownNow();
    }
  }
}
