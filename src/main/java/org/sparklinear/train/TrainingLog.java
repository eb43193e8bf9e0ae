package org.sparklinear.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a person watching the run sees: a log line every {@code log-every} steps (loss over the window, rate,
 * examples/s, ETA) or, on a terminal, the live progress line; and one line per epoch.
 */
final class TrainingLog {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final int epochs;
  private final int logEvery;
  private final ProgressLine progress;
  private final int stepsPerEpoch;
  private final long totalSteps;
  private final long firstGlobalStep;
  private final long started = System.nanoTime();
  private long examples;
  private long windowStarted;
  private long windowRows;
  private double windowLoss;

  TrainingLog(int epochs, int logEvery, ProgressLine progress, int stepsPerEpoch, long totalSteps,
      long firstGlobalStep) {
    this.epochs = epochs;
    this.logEvery = logEvery;
    this.progress = progress;
    this.stepsPerEpoch = stepsPerEpoch;
    this.totalSteps = totalSteps;
    this.firstGlobalStep = firstGlobalStep;
  }

  void startEpoch() {
    windowStarted = System.nanoTime();
    windowRows = 0;
    windowLoss = 0;
  }

  /** @param step the global step just done, counting from 0 */
  void afterStep(int epoch, int stepInEpoch, long step, double loss, long rows, double lr) {
    afterSteps(epoch, stepInEpoch, step, 1, loss, rows, lr);
  }

  /** After a round of {@code steps} local steps ending with global step {@code step} (counting from 0). */
  void afterSteps(int epoch, int stepInEpoch, long step, int steps, double loss, long rows, double lr) {
    windowLoss += loss * rows;
    windowRows += rows;
    examples += rows;
    if (progress != null) {
      progress.update(epoch + 1, epochs, stepInEpoch + 1, stepsPerEpoch, loss, step + 1 - firstGlobalStep,
          totalSteps - firstGlobalStep, examples);
    } else if ((step + 1) / logEvery > (step + 1 - steps) / logEvery) {
      double seconds = (System.nanoTime() - windowStarted) / 1e9;
      double eta = elapsed() / (step + 1) * (totalSteps - step - 1);
      LOG.info(String.format("epoch %d/%d step %d/%d  loss %.4f  lr %.3g  %.0f examples/s  ETA %s", epoch + 1, epochs,
          stepInEpoch + 1, stepsPerEpoch, windowLoss / windowRows, lr, windowRows / Math.max(seconds, 1e-9),
          Trainer.formatDuration(eta)));
      startEpoch();
    }
  }

  /** @param rows training rows of the epoch; @param step global steps done so far */
  void afterEpoch(EpochRecord r, long rows, boolean validated, long step) {
    if (progress != null) {
      progress.validationAccuracy(r.validationAccuracy());
      progress.clear();
    }
    LOG.info(String.format("epoch %d/%d done: train loss %.4f  validation accuracy %s  %.1f s  %.0f examples/s"
        + "  ETA %s", r.epoch(), epochs, r.trainLoss(), validated ? String.format("%.4f", r.validationAccuracy())
        : "n/a", r.seconds(), rows / Math.max(r.seconds(), 1e-9),
        Trainer.formatDuration(elapsed() / Math.max(step, 1) * (totalSteps - step))));
  }

  void clear() {
    if (progress != null) {
      progress.clear();
    }
  }

  double elapsed() {
    return (System.nanoTime() - started) / 1e9;
  }
}
