package org.sparklinear.train;

import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.Regularization;
import org.sparklinear.optim.Optimizer;

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

  /**
   * A block's round of local steps: {@code steps} updates of the training's own optimizer ({@code rule}, continued
   * from the round's start state) on the block's slices from {@code firstStep}. The sum holds the parameters' move
   * and the optimizer's final state, both weighted by the first slice's rows, so that the driver's division by the
   * rows gives the row-weighted mean model and state ({@link Objective#localRound}).
   */
  static ReproducibleSum localRound(BlockObjective objective, Regularization penalty, RoundStart start,
      Optimizer rule, FeatureBlock block, MinibatchPlan plan, int epoch, int firstStep, int steps, double lr) {
    long started = System.nanoTime();
    LinearWeights w = start.weights().copy();
    double[] params = w.parameters();
    Optimizer optimizer = rule.fresh();
    optimizer.restoreState(start.optimizerState());
    double[] gradient = new double[params.length];
    double firstLoss = 0;
    int firstRows = 0;
    int[] order = block.rows() == 0 ? null : plan.order(epoch, block.partitionIndex(), block.rows());
    for (int h = 0; h < steps; h++) {
      int from = plan.sliceStart(block.rows(), firstStep + h);
      int count = plan.sliceEnd(block.rows(), firstStep + h) - from;
      if (count == 0) {
        continue;
      }
      java.util.Arrays.fill(gradient, 0);
      double loss = objective.accumulate(w, block, order, from, count, gradient);
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] /= count;
      }
      penalty.addTo(w, gradient);
      if (h == 0) {
        firstLoss = loss;
        firstRows = count;
      }
      optimizer.step(params, gradient, lr);
    }
    double[] shared = start.weights().parameters();
    double[] state = optimizer.state(params.length);
    double[] moveAndState = new double[params.length + state.length];
    for (int i = 0; i < params.length; i++) {
      moveAndState[i] = (params[i] - shared[i]) * firstRows;
    }
    for (int i = 0; i < state.length; i++) {
      moveAndState[params.length + i] = state[i] * firstRows;
    }
    return ReproducibleSum.of(moveAndState, firstLoss, firstRows).withComputeNanos(System.nanoTime() - started);
  }

  static ReproducibleSum fullPass(BlockObjective objective, LinearWeights w, FeatureBlock block) {
    long started = System.nanoTime();
    double[] gradient = new double[LinearWeights.parameterCount(w.classes(), w.features())];
    double loss = objective.accumulateAll(w, block, gradient);
    return ReproducibleSum.of(gradient, loss, block.rows()).withComputeNanos(System.nanoTime() - started);
  }
}
