package org.sparklinear.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.train.EpochRecord;
import org.sparklinear.train.TrainingListener;

/**
 * The latest figures of the run training on this driver, as Dropwizard gauges that Spark's metrics sinks (the
 * Prometheus servlet, JMX, Graphite, ...) report next to Spark's own. Written by the training thread, read by the
 * sinks' threads: each figure is a volatile field, so a scrape sees every value a step or epoch published (values of
 * one scrape may straddle two steps). Before the first step, and for a run without a validation split, a figure is
 * NaN.
 */
public final class TrainingGauges implements TrainingListener {
  /** The gauges' names in the plugin's registry; Spark prefixes them with the application and the plugin. */
  public static final String LOSS = "loss";
  public static final String EPOCH_LOSS = "epochLoss";
  public static final String VALIDATION_ACCURACY = "validationAccuracy";
  public static final String EXAMPLES_PER_SECOND = "examplesPerSecond";
  public static final String STEP_SECONDS = "stepSeconds";
  public static final String STEP = "step";
  public static final String EPOCH = "epoch";

  private volatile double loss = Double.NaN;
  private volatile double epochLoss = Double.NaN;
  private volatile double validationAccuracy = Double.NaN;
  private volatile double examplesPerSecond = Double.NaN;
  private volatile double stepSeconds = Double.NaN;
  private volatile long step;
  private volatile long epoch;
  // the training thread's own clock: when the previous step (or the epoch) ended, and the step count then
  private long lastNanos = -1;
  private long lastStep;

  /** Adds the gauges to {@code registry}. */
  public void register(MetricRegistry registry) {
    registry.register(LOSS, (Gauge<Double>) () -> loss);
    registry.register(EPOCH_LOSS, (Gauge<Double>) () -> epochLoss);
    registry.register(VALIDATION_ACCURACY, (Gauge<Double>) () -> validationAccuracy);
    registry.register(EXAMPLES_PER_SECOND, (Gauge<Double>) () -> examplesPerSecond);
    registry.register(STEP_SECONDS, (Gauge<Double>) () -> stepSeconds);
    registry.register(STEP, (Gauge<Long>) () -> step);
    registry.register(EPOCH, (Gauge<Long>) () -> epoch);
  }

  /** Validation and checkpoints between epochs are not a step's time: the clock restarts with each epoch. */
  @Override
  public void epochStarted(int epoch, long step) {
    lastNanos = System.nanoTime();
    lastStep = step;
    this.epoch = epoch + 1;
  }

  @Override
  public void afterStep(long step, int epoch, double loss, long examples, LinearWeights weights) {
    long now = System.nanoTime();
    if (lastNanos >= 0 && step > lastStep) {
      double seconds = (now - lastNanos) / 1e9;
      stepSeconds = seconds / (step - lastStep); // a round of local steps counts as its steps
      examplesPerSecond = examples / Math.max(seconds, 1e-9);
    }
    lastNanos = now;
    lastStep = step;
    this.loss = loss;
    this.step = step;
    this.epoch = epoch + 1;
  }

  @Override
  public void afterEpoch(EpochRecord record) {
    epochLoss = record.trainLoss();
    validationAccuracy = record.validationAccuracy();
  }
}
