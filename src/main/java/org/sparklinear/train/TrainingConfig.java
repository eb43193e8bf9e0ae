package org.sparklinear.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparklinear.loss.LossKind;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.optim.LearningRateSchedule;
import org.sparklinear.optim.Momentum;
import org.sparklinear.optim.Optimizer;
import org.sparklinear.optim.OptimizerKind;
import org.sparklinear.loss.Regularization;
import org.sparklinear.preprocess.Scaling;

/**
 * Everything that determines a training run, typed and validated. The command line builds it from
 * {@code conf/train.properties} plus overrides; tests build it directly.
 *
 * @param maxSteps stop after this many steps in all (0: only the epoch count limits)
 * @param patience stop when validation accuracy has not improved for this many epochs (0: never stop early)
 * @param partitions how many partitions the training data is spread over (0: Spark's default parallelism)
 * @param treeDepth depth of {@code treeAggregate} (0: chosen from the partition count)
 * @param initScale standard deviation of the initial class templates
 * @param logEvery log a progress line every this many steps
 */
public record TrainingConfig(LossKind loss, double hingeDelta, int epochs, long maxSteps, int batchSize,
    double learningRate, String learningRateDecay, double regularization, double momentum, boolean nesterov,
    long seed, double validationFraction, int partitions, int treeDepth, int patience, double initScale,
    Scaling scaling, int logEvery, OptimizerKind optimizer, double l1, double amScale, double amMargin)
    implements Serializable {

  /** SGD (with the given momentum) and no L1 penalty. */
  public TrainingConfig(LossKind loss, double hingeDelta, int epochs, long maxSteps, int batchSize,
      double learningRate, String learningRateDecay, double regularization, double momentum, boolean nesterov,
      long seed, double validationFraction, int partitions, int treeDepth, int patience, double initScale,
      Scaling scaling, int logEvery) {
    this(loss, hingeDelta, epochs, maxSteps, batchSize, learningRate, learningRateDecay, regularization, momentum,
        nesterov, seed, validationFraction, partitions, treeDepth, patience, initScale, scaling, logEvery,
        OptimizerKind.SGD, 0, LossKind.AM_SCALE, LossKind.AM_MARGIN);
  }

  public TrainingConfig {
    require(epochs >= 1, "epochs must be at least 1, got " + epochs);
    require(maxSteps >= 0, "max steps must be >= 0, got " + maxSteps);
    require(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
    require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
    require(regularization >= 0 && Double.isFinite(regularization), "reg must be >= 0, got " + regularization);
    require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
    require(validationFraction >= 0 && validationFraction < 1,
        "validation fraction must be in [0, 1), got " + validationFraction);
    require(partitions >= 0, "partitions must be >= 0, got " + partitions);
    require(treeDepth >= 0, "tree depth must be >= 0, got " + treeDepth);
    require(patience >= 0, "patience must be >= 0, got " + patience);
    require(initScale >= 0 && Double.isFinite(initScale), "init scale must be >= 0, got " + initScale);
    require(hingeDelta > 0 && Double.isFinite(hingeDelta), "hinge delta must be > 0, got " + hingeDelta);
    require(logEvery >= 1, "log interval must be at least 1 step, got " + logEvery);
    require(optimizer != null, "optimizer must be given");
    require(l1 >= 0 && Double.isFinite(l1), "l1 must be >= 0, got " + l1);
    require(amScale > 0 && Double.isFinite(amScale), "am-scale must be > 0, got " + amScale);
    require(amMargin >= 0 && Double.isFinite(amMargin), "am-margin must be >= 0, got " + amMargin);
    schedule(learningRateDecay, learningRate);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static LearningRateSchedule schedule(String spec, double rate) {
    return LearningRateSchedule.parse(spec, rate);
  }

  public ScoreLoss createLoss() {
    return loss.create(hingeDelta, amScale, amMargin);
  }

  public LearningRateSchedule schedule() {
    return schedule(learningRateDecay, learningRate);
  }

  public Optimizer createOptimizer() {
    Momentum kind = momentum == 0 ? Momentum.NONE : nesterov ? Momentum.NESTEROV : Momentum.STANDARD;
    return optimizer.create(kind, momentum);
  }

  public Regularization createRegularization() {
    return Regularization.of(regularization, l1);
  }

  /** The configuration as the option names and values of the command line, for logs and model metadata. */
  public Map<String, String> toOptions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("loss", loss.cliName());
    m.put("hinge-delta", Double.toString(hingeDelta));
    m.put("epochs", Integer.toString(epochs));
    m.put("max-steps", Long.toString(maxSteps));
    m.put("batch-size", Integer.toString(batchSize));
    m.put("lr", Double.toString(learningRate));
    m.put("lr-decay", learningRateDecay);
    m.put("reg", Double.toString(regularization));
    m.put("momentum", Double.toString(momentum));
    m.put("nesterov", Boolean.toString(nesterov));
    m.put("seed", Long.toString(seed));
    m.put("val-fraction", Double.toString(validationFraction));
    m.put("partitions", Integer.toString(partitions));
    m.put("tree-depth", Integer.toString(treeDepth));
    m.put("patience", Integer.toString(patience));
    m.put("init-scale", Double.toString(initScale));
    m.put("scaling", scaling.cliName());
    m.put("log-every", Integer.toString(logEvery));
    m.put("optimizer", optimizer.cliName());
    m.put("l1", Double.toString(l1));
    m.put("am-scale", Double.toString(amScale));
    m.put("am-margin", Double.toString(amMargin));
    return m;
  }
}
