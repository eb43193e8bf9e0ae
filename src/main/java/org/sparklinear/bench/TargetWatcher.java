package org.sparklinear.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.train.TrainingListener;

/**
 * Measures a training run's time to a validation accuracy: evaluates every {@code every} steps with the clock
 * stopped, so evaluation does not count against the trainer, and records the accuracy curve.
 */
final class TargetWatcher implements TrainingListener {
  record Point(long step, double seconds, double accuracy) {}

  private final ToDoubleFunction<LinearWeights> accuracy;
  private final int every;
  private final double target;
  private final boolean stopAtTarget;
  private final long started = System.nanoTime();
  private long excludedNanos;
  private double secondsToTarget = Double.NaN;
  private long stepsToTarget = -1;
  private final List<Point> curve = new ArrayList<>();
  private final List<Double> stepMillis = new ArrayList<>();
  private long lastStepEnd = System.nanoTime();
  private long lastStep;

  TargetWatcher(ToDoubleFunction<LinearWeights> accuracy, int every, double target, boolean stopAtTarget) {
    this.accuracy = accuracy;
    this.every = every;
    this.target = target;
    this.stopAtTarget = stopAtTarget;
  }

  @Override
  public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
    long now = System.nanoTime();
    // a round of local steps advances several steps at once: evaluate whenever a multiple of every is passed
    boolean evaluate = step / every > lastStep / every;
    lastStep = step;
    stepMillis.add((now - lastStepEnd) / 1e6); // ends before this call's evaluation, began after the last one's
    if (evaluate) {
      double acc = accuracy.applyAsDouble(weights);
      double seconds = (now - started - excludedNanos) / 1e9;
      curve.add(new Point(step, seconds, acc));
      if (acc >= target && stepsToTarget < 0) {
        stepsToTarget = step;
        secondsToTarget = seconds;
      }
      excludedNanos += System.nanoTime() - now;
    }
    lastStepEnd = System.nanoTime();
  }

  @Override
  public boolean stopRequested() {
    return stopAtTarget && stepsToTarget >= 0;
  }

  double secondsToTarget() {
    return secondsToTarget;
  }

  long stepsToTarget() {
    return stepsToTarget;
  }

  List<Point> curve() {
    return curve;
  }

  /** Accuracy at the last evaluation at or before {@code step}. */
  double accuracyAt(long step) {
    double acc = Double.NaN;
    for (Point p : curve) {
      if (p.step() <= step) {
        acc = p.accuracy();
      }
    }
    return acc;
  }

  /** Median wall time of the steps (or rounds of local steps), evaluations left out. */
  double medianStepMillis() {
    return Stats.median(stepMillis);
  }
}
