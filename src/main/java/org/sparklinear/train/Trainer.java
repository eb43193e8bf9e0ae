package org.sparklinear.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.BadInputException;
import org.sparklinear.linalg.Blas;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.Regularization;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.optim.LearningRateSchedule;
import org.sparklinear.optim.Optimizer;

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
  private CheckpointStore checkpoints;
  private int checkpointEvery;
  private String dataFingerprint = "";
  private ProgressLine progress;
  private ModelStack stack;

  public Trainer(TrainingConfig config) {
    this(config, TrainingListener.NONE);
  }

  public Trainer(TrainingConfig config, TrainingListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /**
   * Writes a checkpoint every {@code every} steps and at the end of every epoch, and resumes from the newest one in
   * the store when there is one: a run that was killed continues to the same model as an undisturbed run.
   *
   * @param dataFingerprint identifies the training data and its partitioning; a checkpoint of other data is refused
   */
  public Trainer withCheckpoints(CheckpointStore store, int every, String dataFingerprint) {
    if (every < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1 step, got " + every);
    }
    this.checkpoints = store;
    this.checkpointEvery = every;
    this.dataFingerprint = dataFingerprint;
    return this;
  }

  /**
   * Shows a live progress line (for a terminal) instead of a log line every {@code log-every} steps; epoch summaries
   * are still logged.
   */
  public Trainer withProgressLine(ProgressLine line) {
    this.progress = line;
    return this;
  }

  /**
   * Trains a sweep's models as one stack (see {@link ModelStack}); the configuration's learning rate and L2 strength
   * are replaced by each model's own.
   */
  public Trainer withStack(ModelStack stack) {
    if (config.optimizer() != org.sparklinear.optim.OptimizerKind.SGD) {
      throw new IllegalArgumentException("a sweep trains with sgd (per-model rates scale the gradient, which the"
          + " adaptive optimizers undo); got " + config.optimizer().cliName());
    }
    this.stack = stack;
    return this;
  }

  private ScoreLoss loss() {
    return stack == null ? config.createLoss() : new org.sparklinear.loss.StackedLoss(config.createLoss(),
        stack.models());
  }

  /** A hash of the settings that determine the trajectory (not those that only say how long to train). */
  String configHash() {
    java.util.Map<String, String> m = new java.util.TreeMap<>(config.toOptions());
    for (String free : List.of("epochs", "max-steps", "patience", "log-every", "tree-depth")) {
      m.remove(free);
    }
    return Integer.toHexString(m.toString().hashCode()) + ":" + m;
  }

  /**
   * Class templates scaled to unit length and zero biases: the plain linear scores of the result are then
   * {@code |x| cos(theta_j)}, whose argmax is the cosine model's prediction.
   */
  static LinearWeights unitTemplates(LinearWeights w) {
    LinearWeights unit = w.copy();
    double[] p = unit.parameters();
    double[] norms = BlockObjective.classNorms(w);
    for (int c = 0; c < w.classes(); c++) {
      for (int i = c * w.features(), end = i + w.features(); i < end; i++) {
        p[i] /= norms[c];
      }
      p[unit.biasOffset() + c] = 0;
    }
    return unit;
  }

  /** The weights as the saved model will score with them. */
  private static LinearWeights forPrediction(ScoreLoss loss, LinearWeights weights) {
    return loss instanceof org.sparklinear.loss.CosineScoreLoss ? unitTemplates(weights) : weights;
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
    LinearWeights start = initialWeights(data.classNames().size(), data.features(), config.initScale(),
        config.seed());
    return train(sc, data, stack == null ? start : stack.replicate(start));
  }

  /** Trains on Spark from the given weights. */
  public TrainingResult train(JavaSparkContext sc, TrainingData data, LinearWeights start) {
    DistributedObjective objective = new DistributedObjective(sc, data.train(), data.trainRows(),
        new BlockObjective(loss()), config.treeDepth());
    LOG.info("{} partitions, treeAggregate depth {}, BLAS {}", data.train().getNumPartitions(),
        objective.treeDepth(), Blas.implementationName());
    return train(objective, data.validation(sc, stack == null ? 1 : stack.models()), start);
  }

  /** The loop itself, on any objective. */
  public TrainingResult train(Objective objective, Validation validation, LinearWeights start) {
    long started = System.nanoTime();
    // the ln K / (K-1)·delta sanity check only holds for small random weights, not for a warm start
    LinearWeights initial = initialWeights(start.classes() / (stack == null ? 1 : stack.models()), start.features(),
        config.initScale(), config.seed());
    boolean fromInitialWeights = java.util.Arrays.equals(start.parameters(),
        (stack == null ? initial : stack.replicate(initial)).parameters());
    ScoreLoss loss = loss();
    Regularization reg = stack == null ? config.createRegularization() : stack.regularization(start.features());
    Optimizer optimizer = stack == null ? config.createOptimizer()
        : stack.optimizer(config.createOptimizer(), start.features());
    LearningRateSchedule schedule = stack == null ? config.schedule()
        : LearningRateSchedule.parse(config.learningRateDecay(), stack.baseLearningRate());
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
    int firstEpoch = 0;
    int firstStep = 0;
    Checkpoint resumed = resume();
    if (resumed != null) {
      if (resumed.parameters().length != params.length) {
        throw new BadInputException("checkpoint has " + resumed.parameters().length + " parameters, this model "
            + params.length);
      }
      System.arraycopy(resumed.parameters(), 0, params, 0, params.length);
      optimizer.restoreState(resumed.optimizerState());
      bestAccuracy = resumed.bestAccuracy();
      best = resumed.bestParameters() == null ? null
          : new LinearWeights(weights.classes(), weights.features(), resumed.bestParameters());
      epochsWithoutImprovement = resumed.epochsWithoutImprovement();
      initialLoss = resumed.initialLoss();
      step = resumed.globalStep();
      firstEpoch = resumed.epoch();
      firstStep = resumed.stepInEpoch();
      LOG.info("resuming from the checkpoint after step {} (epoch {}, step {})", step, firstEpoch + 1, firstStep + 1);
    }

    long firstGlobalStep = step;
    long examplesThisRun = 0;
    for (int epoch = firstEpoch; epoch < config.epochs() && step < totalSteps; epoch++) {
      long epochStarted = System.nanoTime();
      double lr = schedule.rate(epoch);
      double lossSum = 0;
      long lossRows = 0;
      long windowStarted = System.nanoTime();
      long windowRows = 0;
      double windowLoss = 0;
      int s = epoch == firstEpoch ? firstStep : 0;
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
          if (fromInitialWeights) {
            checkInitialLoss(loss, weights.classes(), dataLoss);
          } else {
            LOG.info(String.format("step 0: loss %.4f, continuing from the given weights", dataLoss));
          }
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
        examplesThisRun += sum.count();
        if (progress != null) {
          progress.update(epoch + 1, config.epochs(), s + 1, stepsPerEpoch, total, step + 1 - firstGlobalStep,
              totalSteps - firstGlobalStep, examplesThisRun);
        } else if ((step + 1) % config.logEvery() == 0) {
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
        if (checkpoints != null && (step + 1) % checkpointEvery == 0 && s + 1 < stepsPerEpoch) {
          saveCheckpoint(epoch, s + 1, step + 1, params, optimizer, bestAccuracy, best, epochsWithoutImprovement,
              initialLoss);
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
        validationAccuracy = validation.accuracy(forPrediction(loss, weights));
      }
      double seconds = (System.nanoTime() - epochStarted) / 1e9;
      EpochRecord record = new EpochRecord(epoch + 1, s, lr, trainLoss, validationAccuracy, seconds);
      history.add(record);
      listener.afterEpoch(record);
      if (progress != null) {
        progress.validationAccuracy(validationAccuracy);
        progress.clear();
      }
      if (validate && loss instanceof org.sparklinear.loss.CosineScoreLoss) {
        double[] d = validation.cosineDiagnostics(weights);
        if (d != null) {
          LOG.info(String.format("epoch %d/%d AM-softmax: mean target cosine %.4f, mean gap to the best wrong class"
              + " %.4f", epoch + 1, config.epochs(), d[0], d[1]));
        }
      }
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
      if (checkpoints != null) {
        saveCheckpoint(epoch + 1, 0, step, params, optimizer, bestAccuracy, best, epochsWithoutImprovement,
            initialLoss);
      }
      if (listener.stopRequested()) {
        break;
      }
    }
    if (validate && Double.isNaN(validationAccuracy)) {
      validationAccuracy = validation.accuracy(forPrediction(loss, weights)); // resumed after the last epoch: nothing ran, still report
    }
    LinearWeights result = weights;
    if (best != null && bestAccuracy > validationAccuracy) {
      result = best;
      validationAccuracy = bestAccuracy;
    }
    if (loss instanceof org.sparklinear.loss.CosineScoreLoss) {
      result = unitTemplates(result);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info(String.format("trained %d steps in %.1f s; validation accuracy %s", step, seconds,
        validate ? String.format("%.4f", validationAccuracy) : "n/a"));
    return new TrainingResult(result, history, step, initialLoss, validationAccuracy, stoppedEarly, seconds);
  }

  private Checkpoint resume() {
    if (checkpoints == null) {
      return null;
    }
    try {
      Checkpoint c = checkpoints.latest();
      if (c == null) {
        return null;
      }
      if (!c.configHash().equals(configHash())) {
        throw new BadInputException("the checkpoint in --checkpoint-dir was written by another configuration ("
            + c.configHash().substring(c.configHash().indexOf(':') + 1) + "); use another --checkpoint-dir or"
            + " delete it to start over");
      }
      if (!c.dataFingerprint().equals(dataFingerprint)) {
        throw new BadInputException("the checkpoint in --checkpoint-dir was written for other data or partitioning ("
            + c.dataFingerprint() + ", now " + dataFingerprint + "); use another --checkpoint-dir or delete it");
      }
      return c;
    } catch (java.io.IOException e) {
      throw new BadInputException("cannot read the checkpoint directory: " + e.getMessage(), e);
    }
  }

  private void saveCheckpoint(int epoch, int stepInEpoch, long globalStep, double[] params, Optimizer optimizer,
      double bestAccuracy, LinearWeights best, int epochsWithoutImprovement, double initialLoss) {
    if (!allFinite(params)) {
      return; // never replace a good checkpoint with a diverged one; the loop reports the divergence
    }
    try {
      checkpoints.write(new Checkpoint(configHash(), dataFingerprint, epoch, stepInEpoch, globalStep, params.clone(),
          optimizer.state(params.length), bestAccuracy, best == null ? null : best.parameters().clone(),
          epochsWithoutImprovement, initialLoss));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot write a checkpoint: " + e.getMessage(), e);
    }
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

  private TrainingDivergedException diverged(int epoch, int step, double lr, double loss) {
    if (progress != null) {
      progress.clear();
    }
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
