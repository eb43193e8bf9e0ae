package org.sparklinear.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.Regularization;
import org.sparklinear.optim.Optimizer;

/**
 * The same objective over blocks held in this JVM, one thread per block up to {@code threads}: the no-Spark limit
 * for benchmarks, and a reference the distributed objective must match bit for bit.
 */
public final class LocalObjective implements Objective, AutoCloseable {
  private final List<FeatureBlock> blocks;
  private final BlockObjective objective;
  private final ExecutorService pool;
  private final long rows;

  public LocalObjective(List<FeatureBlock> blocks, BlockObjective objective, int threads) {
    this.blocks = List.copyOf(blocks);
    this.objective = objective;
    this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "local-objective");
      t.setDaemon(true);
      return t;
    });
    this.rows = blocks.stream().mapToLong(FeatureBlock::rows).sum();
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step) {
    return sum(block -> BlockSums.minibatch(objective, weights, block, plan, epoch, step));
  }

  @Override
  public ReproducibleSum localRound(RoundStart start, Optimizer rule, MinibatchPlan plan, int epoch, int step,
      int steps, double lr, Regularization penalty) {
    return sum(block -> BlockSums.localRound(objective, penalty, start, rule, block, plan, epoch, step, steps, lr));
  }

  @Override
  public ReproducibleSum fullPass(LinearWeights weights) {
    return sum(block -> BlockSums.fullPass(objective, weights, block));
  }

  private ReproducibleSum sum(java.util.function.Function<FeatureBlock, ReproducibleSum> perBlock) {
    List<Future<ReproducibleSum>> parts = new ArrayList<>();
    for (FeatureBlock block : blocks) {
      parts.add(pool.submit(() -> perBlock.apply(block)));
    }
    return merged(parts);
  }

  /** The parts' sums merged in their order, or null if a part is null (a block its thread could not get). */
  static ReproducibleSum merged(List<Future<ReproducibleSum>> parts) {
    ReproducibleSum total = ReproducibleSum.empty();
    boolean complete = true;
    try {
      for (Future<ReproducibleSum> part : parts) {
        ReproducibleSum sum = part.get(); // every part is awaited, so none is still running when this returns
        complete &= sum != null;
        if (sum != null) {
          total.merge(sum);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("block computation failed: " + e.getCause(), e.getCause());
    }
    return complete ? total : null;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
