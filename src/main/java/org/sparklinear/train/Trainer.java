package org.sparklinear.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.linalg.Blas;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.L2Regularization;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.optim.LearningRateSchedule;
import org.sparklinear.optim.SgdOptimizer;

/**
 * The training loop: distributed minibatch steps, the update on the driver, validation each epoch, early stopping.
 * The command line, tests and benchmarks all train through this one loop.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  /** The first loss is "far" from its expected value beyond this relative gap. */
  private static final double INITIAL_LOSS_TOLERANCE = 0.25;

  private final TrainingConfig config;
  private final TrainingListener listener;

  public Trainer(TrainingConfig config) {
    this(config, TrainingListener.NONE);
  }

  public Trainer(TrainingConfig config, TrainingListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /** Small random templates and zero biases, from the seed. */
  public static LinearWeights initialWeights(int classes, int features, double scale, long seed) {
    LinearWeights w = LinearWeights.zeros(classes, features);
    SplittableRandom random = new SplittableRandom(seed);
    double[] p = w.parameters();
    for (int i = 0; i < w.biasOffset(); i++) {
      p[i] = scale * gaussian(random);
    }
    return w;
  }

  private static double gaussian(SplittableRandom random) {
    // Box–Muller: SplittableRandom has no nextGaussian on Java 17
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Trains on Spark from small random weights. */
  public TrainingResult train(JavaSparkContext sc, TrainingData data) {
    LinearWeights start = initialWeights(data.classNames().size(), data.shape().features(), config.initScale(),
        config.seed());
    return train(sc, data, start);
  }

  /** Trains on Spark from the given weights. */
  public TrainingResult train(JavaSparkContext sc, TrainingData data, LinearWeights start) {
    DistributedObjective objective = new DistributedObjective(sc, data.train(), data.trainRows(),
        new BlockObjective(config.createLoss()), config.treeDepth());
    LOG.info("{} partitions, treeAggregate depth {}, BLAS {}", data.train().getNumPartitions(),
        objective.treeDepth(), Blas.implementationName());
    return train(objective, data.validation(sc), start);
  }

  /** The loop itself, on any objective. */
  public TrainingResult train(Objective objective, Validation validation, LinearWeights start) {
    long started = System.nanoTime();
    ScoreLoss loss = config.createLoss();
    L2Regularization reg = new L2Regularization(config.regularization());
    SgdOptimizer optimizer = config.createOptimizer();
    LearningRateSchedule schedule = config.schedule();
    MinibatchPlan plan = new MinibatchPlan(config.seed(), objective.rows(), config.batchSize());
    int stepsPerEpoch = plan.stepsPerEpoch();
    long totalSteps = (long) stepsPerEpoch * config.epochs();
    if (config.maxSteps() > 0) {
      totalSteps = Math.min(totalSteps, config.maxSteps());
    }
    boolean validate = validation.rows() > 0;
    if (config.patience() > 0 && !validate) {
      LOG.warn("--patience {} has no effect: there is no validation split (--val-fraction 0)", config.patience());
    }
    LOG.info("training {} on {} rows ({} validation), {} classes x {} features: {} steps/epoch of ~{} rows, "
        + "{} steps, {}, lr {} ({}), reg {}", loss, objective.rows(), validation.rows(), start.classes(),
        start.features(), stepsPerEpoch, config.batchSize(), totalSteps, optimizer, config.learningRate(), schedule,
        config.regularization());

    LinearWeights weights = start.copy();
    double[] params = weights.parameters();
    LinearWeights best = null;
    double bestAccuracy = Double.NEGATIVE_INFINITY;
    int epochsWithoutImprovement = 0;
    boolean stoppedEarly = false;
    List<EpochRecord> history = new ArrayList<>();
    double initialLoss = Double.NaN;
    long step = 0;
    double validationAccuracy = Double.NaN;

    for (int epoch = 0; epoch < config.epochs() && step < totalSteps; epoch++) {
      long epochStarted = System.nanoTime();
      double lr = schedule.rate(epoch);
      double lossSum = 0;
      long lossRows = 0;
      long windowStarted = System.nanoTime();
      long windowRows = 0;
      double windowLoss = 0;
      int s = 0;
      for (; s < stepsPerEpoch && step < totalSteps; s++, step++) {
        objective.describe("epoch " + (epoch + 1) + "/" + config.epochs() + ", step " + (s + 1) + "/"
            + stepsPerEpoch);
        ReproducibleSum sum = objective.minibatch(weights, plan, epoch, s);
        if (sum.count() == 0) {
          continue;
        }
        double dataLoss = sum.loss() / sum.count();
        if (step == 0) {
          initialLoss = dataLoss;
          checkInitialLoss(loss, weights.classes(), dataLoss);
        }
        double[] gradient = sum.gradient(params.length);
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] /= sum.count();
        }
        double regLoss = reg.addTo(weights, gradient);
        double total = dataLoss + regLoss;
        if (sum.overflowed() || !Double.isFinite(total)) {
          throw diverged(epoch, s, lr, total);
        }
        optimizer.step(params, gradient, lr);
        listener.afterStep(step + 1, epoch, total, weights);
        lossSum += total * sum.count();
        lossRows += sum.count();
        windowLoss += total * sum.count();
        windowRows += sum.count();
        if ((step + 1) % config.logEvery() == 0) {
          double seconds = (System.nanoTime() - windowStarted) / 1e9;
          double rate = windowRows / Math.max(seconds, 1e-9);
          double elapsed = (System.nanoTime() - started) / 1e9;
          double eta = elapsed / (step + 1) * (totalSteps - step - 1);
          LOG.info(String.format("epoch %d/%d step %d/%d  loss %.4f  lr %.3g  %.0f examples/s  ETA %s",
              epoch + 1, config.epochs(), s + 1, stepsPerEpoch, windowLoss / windowRows, lr, rate,
              formatDuration(eta)));
          windowStarted = System.nanoTime();
          windowRows = 0;
          windowLoss = 0;
        }
        if (listener.stopRequested()) {
          step++;
          s++;
          break;
        }
      }
      if (!allFinite(params)) {
        throw diverged(epoch, s, lr, Double.NaN);
      }
      double trainLoss = lossRows == 0 ? Double.NaN : lossSum / lossRows;
      if (validate) {
        objective.describe("epoch " + (epoch + 1) + "/" + config.epochs() + ", validation");
        validationAccuracy = validation.accuracy(weights);
      }
      double seconds = (System.nanoTime() - epochStarted) / 1e9;
      EpochRecord record = new EpochRecord(epoch + 1, s, lr, trainLoss, validationAccuracy, seconds);
      history.add(record);
      listener.afterEpoch(record);
      double elapsed = (System.nanoTime() - started) / 1e9;
      LOG.info(String.format("epoch %d/%d done: train loss %.4f  validation accuracy %s  %.1f s  %.0f examples/s"
          + "  ETA %s", epoch + 1, config.epochs(), trainLoss,
          validate ? String.format("%.4f", validationAccuracy) : "n/a", seconds, lossRows / Math.max(seconds, 1e-9),
          formatDuration(elapsed / Math.max(step, 1) * (totalSteps - step))));
      if (validate && config.patience() > 0) {
        if (validationAccuracy > bestAccuracy) {
          bestAccuracy = validationAccuracy;
          best = weights.copy();
          epochsWithoutImprovement = 0;
        } else if (++epochsWithoutImprovement >= config.patience()) {
          LOG.info("validation accuracy has not improved for {} epochs: stopping early, keeping epoch {}'s weights"
              + " ({})", config.patience(), epoch + 1 - config.patience(), String.format("%.4f", bestAccuracy));
          stoppedEarly = true;
          break;
        }
      }
      if (listener.stopRequested()) {
        break;
      }
    }
    LinearWeights result = weights;
    if (best != null && bestAccuracy > validationAccuracy) {
      result = best;
      validationAccuracy = bestAccuracy;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info(String.format("trained %d steps in %.1f s; validation accuracy %s", step, seconds,
        validate ? String.format("%.4f", validationAccuracy) : "n/a"));
    return new TrainingResult(result, history, step, initialLoss, validationAccuracy, stoppedEarly, seconds);
  }

  private void checkInitialLoss(ScoreLoss loss, int classes, double observed) {
    double expected = loss.expectedInitialLoss(classes);
    String msg = String.format("step 0: loss %.4f (expected about %.4f for %s with %d classes and small weights)",
        observed, expected, loss, classes);
    if (Math.abs(observed - expected) > INITIAL_LOSS_TOLERANCE * expected) {
      LOG.warn(msg + ": far from the expected value; check the data scaling, labels or --init-scale");
    } else {
      LOG.info(msg);
    }
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static TrainingDivergedException diverged(int epoch, int step, double lr, double loss) {
    return new TrainingDivergedException(String.format("training diverged at epoch %d step %d: the loss became %s"
        + " with learning rate %.3g; nothing was written. Try a smaller --lr, e.g. %.3g", epoch + 1, step + 1,
        Double.isNaN(loss) ? "NaN" : Double.toString(loss), lr, lr / 10));
  }

  static String formatDuration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
