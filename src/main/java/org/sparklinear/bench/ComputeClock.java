package org.sparklinear.bench;

import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.train.MinibatchPlan;
import org.sparklinear.train.Objective;
import org.sparklinear.train.ReproducibleSum;

/** Adds up the compute time (slowest partition) of every step an objective runs. */
final class ComputeClock {
  private long nanos;

  void reset() {
    nanos = 0;
  }

  double seconds() {
    return nanos / 1e9;
  }

  Objective wrap(Objective inner) {
    return new Objective() {
      @Override
      public ReproducibleSum minibatch(LinearWeights weights, MinibatchPlan plan, int epoch, int step) {
        ReproducibleSum s = inner.minibatch(weights, plan, epoch, step);
        nanos += s.computeNanos();
        return s;
      }

      @Override
      public ReproducibleSum fullPass(LinearWeights weights) {
        ReproducibleSum s = inner.fullPass(weights);
        nanos += s.computeNanos();
        return s;
      }

      @Override
      public long rows() {
        return inner.rows();
      }
    };
  }
}
