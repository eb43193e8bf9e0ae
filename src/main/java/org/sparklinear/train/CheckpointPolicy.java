package org.sparklinear.train;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.optim.IterateAverage;
import org.sparklinear.optim.Optimizer;

/**
 * When and what the loop checkpoints: every {@code every} steps and at each epoch's end, into a store, tagged with
 * the configuration and data so that a resume on anything else is refused.
 */
final class CheckpointPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private final CheckpointStore store;
  private final int every;
  private final String configHash;
  private final String dataFingerprint;

  CheckpointPolicy(CheckpointStore store, int every, String configHash, String dataFingerprint) {
    this.store = store;
    this.every = every;
    this.configHash = configHash;
    this.dataFingerprint = dataFingerprint;
  }

  /** Whether a checkpoint falls due in the steps after {@code before} up to {@code after} (one step or a round). */
  boolean dueBetween(long before, long after) {
    return after / every > before / every;
  }

  /** The newest checkpoint of this configuration and data, or null to start from the beginning. */
  private Checkpoint resume() {
    try {
      Checkpoint c = store.latest();
      if (c == null) {
        return null;
      }
      if (!c.configHash().equals(configHash)) {
        throw new BadInputException("the checkpoint in --checkpoint-dir was written by another configuration ("
            + c.configHash().substring(c.configHash().indexOf(':') + 1) + "); use another --checkpoint-dir or"
            + " delete it to start over");
      }
      if (!c.dataFingerprint().equals(dataFingerprint)) {
        throw new BadInputException("the checkpoint in --checkpoint-dir was written for other data or partitioning ("
            + c.dataFingerprint() + ", now " + dataFingerprint + "); use another --checkpoint-dir or delete it");
      }
      return c;
    } catch (IOException e) {
      throw new BadInputException("cannot read the checkpoint directory: " + e.getMessage(), e);
    }
  }

  /**
   * Where the loop continues: its global step, epoch, step within the epoch, the run's first loss, and the iterate
   * average's state (null when the run does not average).
   */
  record Position(long step, int epoch, int stepInEpoch, double initialLoss, double[] averageState) {
    static final Position START = new Position(0, 0, 0, Double.NaN, null);
  }

  /**
   * Restores the newest checkpoint's weights, optimiser state and early-stopping state into the loop's, and returns
   * where it stopped (with the iterate average's state); {@link Position#START} when there is none.
   */
  Position resumeInto(LinearWeights weights, Optimizer optimizer, EarlyStopping stopping) {
    Checkpoint c = resume();
    if (c == null) {
      return Position.START;
    }
    double[] params = weights.parameters();
    if (c.parameters().length != params.length) {
      throw new BadInputException("checkpoint has " + c.parameters().length + " parameters, this model "
          + params.length);
    }
    System.arraycopy(c.parameters(), 0, params, 0, params.length);
    optimizer.restoreState(c.optimizerState());
    stopping.restore(c.bestAccuracy(), c.bestParameters() == null ? null
        : new LinearWeights(weights.classes(), weights.features(), c.bestParameters()), c.epochsWithoutImprovement());
    LOG.info("resuming from the checkpoint after step {} (epoch {}, step {})", c.globalStep(), c.epoch() + 1,
        c.stepInEpoch() + 1);
    return new Position(c.globalStep(), c.epoch(), c.stepInEpoch(), c.initialLoss(), c.averageState());
  }

  /** Saves the loop's position; a diverged state is never written over a good checkpoint. */
  void save(int epoch, int stepInEpoch, long globalStep, double[] params, Optimizer optimizer, IterateAverage average,
      EarlyStopping stopping, double initialLoss) {
    for (double v : params) {
      if (!Double.isFinite(v)) {
        return; // the loop reports the divergence
      }
    }
    try {
      store.write(new Checkpoint(configHash, dataFingerprint, epoch, stepInEpoch, globalStep, params.clone(),
          optimizer.state(params.length), stopping.bestAccuracy(), stopping.best() == null ? null
          : stopping.best().parameters().clone(), stopping.epochsWithoutImprovement(), initialLoss,
          average == null ? null : average.state()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a checkpoint: " + e.getMessage(), e);
    }
  }
}
