package org.sparklinear.train;

import java.io.IOException;
import org.sparklinear.BadInputException;
import org.sparklinear.optim.Optimizer;

/**
 * When and what the loop checkpoints: every {@code every} steps and at each epoch's end, into a store, tagged with
 * the configuration and data so that a resume on anything else is refused.
 */
final class CheckpointPolicy {
  private final CheckpointStore store;
  private final int every;
  private final String configHash;
  private final String dataFingerprint;

  CheckpointPolicy(CheckpointStore store, int every, String configHash, String dataFingerprint) {
    if (every < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1 step, got " + every);
    }
    this.store = store;
    this.every = every;
    this.configHash = configHash;
    this.dataFingerprint = dataFingerprint;
  }

  boolean dueAfterStep(long globalStep) {
    return globalStep % every == 0;
  }

  /** The newest checkpoint of this configuration and data, or null to start from the beginning. */
  Checkpoint resume() {
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

  /** Saves the loop's position; a diverged state is never written over a good checkpoint. */
  void save(int epoch, int stepInEpoch, long globalStep, double[] params, Optimizer optimizer, EarlyStopping stopping,
      double initialLoss) {
    for (double v : params) {
      if (!Double.isFinite(v)) {
        return; // the loop reports the divergence
      }
    }
    try {
      store.write(new Checkpoint(configHash, dataFingerprint, epoch, stepInEpoch, globalStep, params.clone(),
          optimizer.state(params.length), stopping.bestAccuracy(), stopping.best() == null ? null
          : stopping.best().parameters().clone(), stopping.epochsWithoutImprovement(), initialLoss));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a checkpoint: " + e.getMessage(), e);
    }
  }
}
