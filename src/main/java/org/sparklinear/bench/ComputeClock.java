package org.sparklinear.bench;

import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.optim.Optimizer;
import org.sparklinear.train.MinibatchPlan;
import org.sparklinear.train.Objective;
import org.sparklinear.train.ReproducibleSum;
import org.sparklinear.train.RoundStart;

/**
 * Adds up the compute part of every step an objective runs: the slowest partition, or the partitions' total over
 * the cores when there are more partitions than cores (then tasks queue for a core).
 */
final class ComputeClock {
  private final int cores;
  private long nanos;

  ComputeClock(int cores) {
    this.cores = cores;
  }

  void reset() {
    nanos = 0;
  }

  double seconds() {
    return nanos / 1e9;
  }

  private void add(ReproducibleSum s, int partitions) {
    nanos += Math.max(s.computeNanos(), s.totalComputeNanos() / Math.max(1, Math.min(partitions, cores)));
  }

  Objective wrap(Objective inner, int partitions) {
    return new Objective() {
      @Override
      public ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step) {
        ReproducibleSum s = inner.minibatch(weights, plan, epoch, step);
        add(s, partitions);
        return s;
      }

      @Override
      public ReproducibleSum localRound(RoundStart start, Optimizer rule, MinibatchPlan plan, int epoch,
          int step, int steps, double lr, org.sparklinear.loss.Regularization penalty) {
        ReproducibleSum s = inner.localRound(start, rule, plan, epoch, step, steps, lr, penalty);
        add(s, partitions);
        return s;
      }

      @Override
      public ReproducibleSum fullPass(LinearWeights weights) {
        ReproducibleSum s = inner.fullPass(weights);
        add(s, partitions);
        return s;
      }

      @Override
      public long rows() {
        return inner.rows();
      }
    };
  }
}
