package org.sparklinear.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.linalg.Blas;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.Regularization;
import org.sparklinear.loss.ScoreSpace;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.optim.IterateAverage;
import org.sparklinear.optim.IterateAveraging;
import org.sparklinear.optim.LearningRateSchedule;
import org.sparklinear.optim.Optimizer;

/**
 * The training loop: distributed minibatch steps, the update on the driver, validation each epoch. What is trained
 * comes from a {@link TrainingProblem}; early stopping, checkpoints and logging are its collaborators. The command
 * line, spark.ml, sweeps, tests and benchmarks all train through this one loop.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  /** The first loss is "far" from its expected value beyond this relative gap. */
  private static final double INITIAL_LOSS_TOLERANCE = 0.25;

  private final TrainingConfig config;
  private final TrainingListener listener;
  private TrainingProblem problem;
  private CheckpointStore checkpointStore;
  private int checkpointEvery;
  private String dataFingerprint = "";
  private ProgressLine progress;

  public Trainer(TrainingConfig config) {
    this(config, TrainingListener.NONE);
  }

  public Trainer(TrainingConfig config, TrainingListener listener) {
    this.config = config;
    this.listener = listener;
    this.problem = TrainingProblem.single(config);
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
    this.checkpointStore = store;
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
    this.problem = stack.problem(config);
    return this;
  }

  /** A hash of the settings that determine the trajectory (not those that only say how long to train). */
  String configHash() {
    java.util.Map<String, String> m = new java.util.TreeMap<>(config.toOptions());
    // the cache changes the minibatches, but the data fingerprint (rows per block) tells memory from disk already;
    // mirror symmetry is applied to the trained weights, after the trajectory
    for (String free : List.of("epochs", "max-steps", "patience", "log-every", "tree-depth", "step-mode", "cache",
        "mirror")) {
      m.remove(free);
    }
    // the exact mode and no averaging keep the hash their checkpoints had before these settings existed
    m.remove("local-steps", "1");
    // rounds run the optimizer on each partition since 2026-12-03: a velocity saved by the earlier rounds (one per
    // round, the size of H steps) must not continue as a per-step one
    if (config.localSteps() > 1) {
      m.put("local-rounds", "optimizer-averaged");
    }
    m.remove("average", IterateAveraging.NONE.cliName());
    return Integer.toHexString(m.toString().hashCode()) + ":" + m;
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
    return trainOn(sc, data, problem.initialWeights(data.classNames().size(), data.features()), true);
  }

  /** Trains on Spark from the given weights (a warm start). */
  public TrainingResult train(JavaSparkContext sc, TrainingData data, LinearWeights start) {
    return trainOn(sc, data, start, false);
  }

  /** The driver's share of its heap that {@code auto} lets the collected blocks take. */
  static final double DRIVER_HEAP_SHARE = 0.25;
  /** Blocks up to this size go to the driver under {@code auto} even on a cluster. */
  static final long SMALL_DATA_BYTES = 256L << 20;

  private TrainingResult trainOn(JavaSparkContext sc, TrainingData data, LinearWeights start,
      boolean fromInitialWeights) {
    if (data.cache() == CacheMode.DISK) {
      try (ChunkedObjective chunked = chunkedObjective(sc, data)) {
        return run(chunked, data.validation(sc, problem.models()), start, fromInitialWeights);
      }
    }
    long bytes = data.trainRows() * (4L * data.features() + 4);
    StepMode mode = chooseStepMode(config.stepMode(), sc.master(), bytes, Runtime.getRuntime().maxMemory());
    if (mode == StepMode.JOBS) {
      return run(objective(sc, data), data.validation(sc, problem.models()), start, fromInitialWeights);
    }
    sc.setJobDescription("bringing the training blocks to the driver");
    TrainingData.OnDriver onDriver = data.onDriver(problem.models());
    List<FeatureBlock> blocks = onDriver.train();
    int threads = Math.max(1, Math.min(blocks.size(), Runtime.getRuntime().availableProcessors()));
    LOG.info("{} partitions' blocks on the driver, {} threads, BLAS {}", blocks.size(), threads,
        Blas.implementationName());
    try (LocalObjective local = new LocalObjective(blocks, new BlockObjective(problem.loss()), threads)) {
      return run(local, onDriver.validation(), start, fromInitialWeights);
    }
  }

  /**
   * Resolves {@code auto}: the driver when the packed blocks take at most {@value #DRIVER_HEAP_SHARE} of its heap and
   * the master is local (the blocks are in this JVM already) or they are small; one job per step otherwise.
   */
  static StepMode chooseStepMode(StepMode asked, String master, long blockBytes, long driverHeap) {
    String size = String.format("%.1f MB", blockBytes / 1e6);
    if (asked != StepMode.AUTO) {
      LOG.info("step mode {} (asked for): training blocks of {}", asked.cliName(), size);
      return asked;
    }
    boolean fits = blockBytes <= DRIVER_HEAP_SHARE * driverHeap;
    StepMode mode = fits && (isLocal(master) || blockBytes <= SMALL_DATA_BYTES) ? StepMode.DRIVER : StepMode.JOBS;
    LOG.info("step mode {} (auto): training blocks of {}, {} a quarter of the driver's {} MB heap, master {}",
        mode.cliName(), size, fits ? "within" : "beyond", driverHeap >> 20, master);
    return mode;
  }

  /** Whether the master runs every task in the driver's JVM (not {@code local-cluster}, whose executors do not). */
  static boolean isLocal(String master) {
    return master.startsWith("local[") || master.equals("local");
  }

  /** The loop on any objective, from the given weights. */
  public TrainingResult train(Objective objective, Validation validation, LinearWeights start) {
    return run(objective, validation, start, false);
  }

  /**
   * Disk data trains a step reading only its chunks: in jobs, or with a local master and step mode {@code auto}, read
   * by the driver's threads from its own block manager. Bringing every block to the driver and local steps need the
   * blocks in memory: {@link TrainingConfig} refuses them with {@code --cache disk}; with {@code auto} this does.
   */
  private ChunkedObjective chunkedObjective(JavaSparkContext sc, TrainingData data) {
    if (config.stepMode() == StepMode.DRIVER || config.localSteps() > 1) {
      throw new org.sparklinear.BadInputException(String.format("the training data is cached on disk (--cache auto"
          + " found it too large for memory), and %s needs it in memory: give Spark more memory, or train with"
          + " --step-mode jobs or auto and --local-steps 1", config.stepMode() == StepMode.DRIVER
          ? "--step-mode driver" : "--local-steps " + config.localSteps()));
    }
    // a step's chunks are one per task slot: a thread for each
    int threads = isLocal(sc.master()) && config.stepMode() == StepMode.AUTO ? sc.defaultParallelism() : 0;
    LOG.info("step mode {}: the training blocks are {} chunks on disk, each step reading its own{}; BLAS {}",
        threads > 0 ? "driver (auto)" : "jobs", data.train().getNumPartitions(), threads > 0
        ? " from this JVM's block manager, " + threads + " threads, no Spark job (the master is local)" : "",
        Blas.implementationName());
    return new ChunkedObjective(sc, data.train(), data.trainRows(), new BlockObjective(problem.loss()),
        config.treeDepth(), threads);
  }

  private DistributedObjective objective(JavaSparkContext sc, TrainingData data) {
    DistributedObjective objective = new DistributedObjective(sc, data.train(), data.trainRows(),
        new BlockObjective(problem.loss()), config.treeDepth());
    LOG.info("{} partitions, treeAggregate depth {}, BLAS {}", data.train().getNumPartitions(),
        objective.treeDepth(), Blas.implementationName());
    return objective;
  }

  /**
   * @param fromInitialWeights whether {@code start} is the problem's small random weights, for which the first loss
   *     has a known expected value (ln K, (K-1) delta, ...)
   */
  private TrainingResult run(Objective objective, Validation validation, LinearWeights start,
      boolean fromInitialWeights) {
    long started = System.nanoTime();
    ScoreLoss loss = problem.loss();
    ScoreSpace space = loss.scoreSpace();
    Regularization reg = problem.regularization(start.features());
    Optimizer optimizer = problem.optimizer(start.features());
    LearningRateSchedule schedule = problem.schedule();
    MinibatchPlan plan = new MinibatchPlan(config.seed(), objective.rows(), config.batchSize());
    int stepsPerEpoch = plan.stepsPerEpoch();
    long totalSteps = (long) stepsPerEpoch * config.epochs();
    if (config.maxSteps() > 0) {
      totalSteps = Math.min(totalSteps, config.maxSteps());
    }
    boolean validate = validation.rows() > 0;
    logPlan(loss, objective, validation, start, stepsPerEpoch, totalSteps, optimizer, schedule);
    LinearWeights weights = start.copy();
    double[] params = weights.parameters();
    int localSteps = config.localSteps();
    EarlyStopping stopping = new EarlyStopping(validate ? config.patience() : 0, validation.rows());
    CheckpointPolicy checkpoints = checkpointStore == null ? null
        : new CheckpointPolicy(checkpointStore, checkpointEvery, configHash(), dataFingerprint);
    CheckpointPolicy.Position from = checkpoints == null ? CheckpointPolicy.Position.START
        : checkpoints.resumeInto(weights, optimizer, stopping);
    // a resumed run keeps the average, and the step it started after, of the run that wrote the checkpoint
    IterateAverage average = !config.average().isOn() ? null : from.averageState() != null
        ? IterateAverage.restore(from.averageState()) : new IterateAverage(config.average().startAfter(totalSteps));
    logAveraging(average, totalSteps);
    List<EpochRecord> history = new ArrayList<>();
    double initialLoss = from.initialLoss();
    long step = from.step();
    int firstEpoch = from.epoch();
    int firstStep = from.stepInEpoch();

    TrainingLog log = new TrainingLog(config.epochs(), config.logEvery(), progress, stepsPerEpoch, totalSteps, step);
    double validationAccuracy = Double.NaN;
    boolean stoppedEarly = false;
    for (int epoch = firstEpoch; epoch < config.epochs() && step < totalSteps && !stoppedEarly; epoch++) {
      long epochStarted = System.nanoTime();
      double lr = schedule.rate(epoch);
      double lossSum = 0;
      long lossRows = 0;
      long examples = 0; // rows the partitions stepped on: lossRows times the steps of a round
      log.startEpoch();
      int s = epoch == firstEpoch ? firstStep : 0;
      listener.epochStarted(epoch, step);
      while (s < stepsPerEpoch && step < totalSteps) {
        int steps = (int) Math.min(localSteps, Math.min(stepsPerEpoch - s, totalSteps - step));
        objective.describe("epoch " + (epoch + 1) + "/" + config.epochs() + ", step " + (s + steps) + "/"
            + stepsPerEpoch);
        RoundStart round = localSteps == 1 ? null : new RoundStart(weights, optimizer.state(params.length));
        ReproducibleSum sum = round == null ? objective.minibatch(weights, plan, epoch, s)
            : objective.localRound(round, optimizer, plan, epoch, s, steps, lr, reg);
        long before = step;
        s += steps;
        step += steps;
        if (sum.count() == 0) {
          continue;
        }
        double dataLoss = sum.loss() / sum.count();
        if (before == 0) {
          initialLoss = dataLoss;
          reportInitialLoss(loss, weights.classes(), dataLoss, fromInitialWeights);
        }
        double total = round == null ? update(sum, dataLoss, weights, reg, optimizer, lr)
            : averageRound(sum, dataLoss, round, reg, optimizer);
        if (!Double.isFinite(total)) {
          throw diverged(log, epoch, s - steps, lr, total);
        }
        if (average != null) {
          average.add(params, step, steps);
        }
        listener.afterStep(step, epoch, total, sum.count() * steps, weights);
        lossSum += total * sum.count();
        lossRows += sum.count();
        examples += sum.count() * steps;
        log.afterSteps(epoch, s - 1, step - 1, steps, total, sum.count() * steps, lr);
        // inside an epoch only at a round's boundary: after a round cut short by --max-steps, a resumed run's rounds
        // would be shifted
        boolean roundBoundary = s % localSteps == 0;
        if (checkpoints != null && checkpoints.dueBetween(before, step) && s < stepsPerEpoch && roundBoundary) {
          checkpoints.save(epoch, s, step, params, optimizer, average, stopping, initialLoss);
        }
        if (listener.stopRequested()) {
          break;
        }
      }
      if (!allFinite(params)) {
        throw diverged(log, epoch, s, lr, Double.NaN);
      }
      LinearWeights kept = kept(weights, average);
      if (validate) {
        objective.describe("epoch " + (epoch + 1) + "/" + config.epochs() + ", validation");
        validationAccuracy = validation.accuracy(space.forPrediction(kept));
      }
      EpochRecord record = new EpochRecord(epoch + 1, s, lr, lossRows == 0 ? Double.NaN : lossSum / lossRows,
          validationAccuracy, (System.nanoTime() - epochStarted) / 1e9);
      history.add(record);
      listener.afterEpoch(record);
      log.afterEpoch(record, examples, validate, step);
      if (validate && space == ScoreSpace.COSINE && problem.models() == 1) {
        logCosineDiagnostics(validation, kept, epoch);
      }
      stoppedEarly = stopping.afterEpoch(epoch, validationAccuracy, kept);
      if (checkpoints != null && !stoppedEarly) {
        // an epoch cut short (max steps, a listener) resumes where it stopped, not at the next epoch; with local
        // steps only at a round's boundary, or the resumed rounds would not be the undisturbed run's
        boolean whole = s >= stepsPerEpoch;
        if (whole || s % localSteps == 0) {
          checkpoints.save(whole ? epoch + 1 : epoch, whole ? 0 : s, step, params, optimizer, average, stopping,
              initialLoss);
        }
      }
      if (listener.stopRequested()) {
        break;
      }
    }
    LinearWeights last = kept(weights, average);
    if (validate && Double.isNaN(validationAccuracy)) {
      validationAccuracy = validation.accuracy(space.forPrediction(last)); // resumed after the last epoch
    }
    LinearWeights chosen = stopping.choose(last, validationAccuracy);
    validationAccuracy = stopping.accuracyOf(chosen, validationAccuracy);
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info(String.format("trained %d steps in %.1f s; validation accuracy %s", step, seconds,
        validate ? String.format("%.4f", validationAccuracy) : "n/a"));
    return new TrainingResult(space.forPrediction(chosen), history, step, initialLoss, validationAccuracy,
        stoppedEarly, seconds);
  }

  /**
   * The weights the run would keep now, which validation and early stopping judge: the mean of the averaged
   * iterates once averaging has begun, the current ones before (or without it).
   */
  private static LinearWeights kept(LinearWeights weights, IterateAverage average) {
    return average == null || !average.started() ? weights
        : new LinearWeights(weights.classes(), weights.features(), average.mean());
  }

  private static void logAveraging(IterateAverage average, long totalSteps) {
    if (average != null) {
      LOG.info("iterate averaging: the model kept is the mean of the weights after each step from step {} to the"
          + " end ({} steps of {}); validation judges that mean once it has begun", average.startAfter() + 1,
          Math.max(0, totalSteps - average.startAfter()), totalSteps);
    }
  }

  /**
   * The driver's half of a step: the mean gradient plus the penalty's, and the optimiser's update. Returns the step's
   * loss (data + penalty); when that is not finite (or the fixed-point sums overflowed) it updates nothing and
   * returns it (NaN for an overflow).
   *
   */
  private static double update(ReproducibleSum sum, double dataLoss, LinearWeights weights, Regularization reg,
      Optimizer optimizer, double lr) {
    double[] params = weights.parameters();
    double[] gradient = sum.gradient(params.length);
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] /= sum.count();
    }
    double total = dataLoss + reg.addTo(weights, gradient);
    if (sum.overflowed()) {
      return Double.NaN;
    }
    if (Double.isFinite(total)) {
      optimizer.step(params, gradient, lr);
    }
    return total;
  }

  /**
   * The driver's half of a round of local steps: the partitions' row-weighted mean model and optimizer state
   * ({@link Objective#localRound}) become the shared ones. Returns the loss of the round's start (its first slices'
   * data loss plus the penalty), NaN and no change where the sums overflowed.
   */
  private static double averageRound(ReproducibleSum sum, double dataLoss, RoundStart round, Regularization reg,
      Optimizer optimizer) {
    double[] params = round.weights().parameters();
    int stateLength = round.optimizerState().length;
    double[] moveAndState = sum.gradient(params.length + stateLength);
    double total = dataLoss + reg.addTo(round.weights(), new double[params.length]);
    if (sum.overflowed()) {
      return Double.NaN;
    }
    if (Double.isFinite(total)) {
      for (int i = 0; i < params.length; i++) {
        params[i] += moveAndState[i] / sum.count();
      }
      double[] state = new double[stateLength];
      for (int i = 0; i < stateLength; i++) {
        state[i] = moveAndState[params.length + i] / sum.count();
      }
      optimizer.restoreState(state);
    }
    return total;
  }

  private void logPlan(ScoreLoss loss, Objective objective, Validation validation, LinearWeights start,
      int stepsPerEpoch, long totalSteps, Optimizer optimizer, LearningRateSchedule schedule) {
    if (config.patience() > 0 && validation.rows() == 0) {
      LOG.warn("--patience {} has no effect: there is no validation split (--val-fraction 0)", config.patience());
    }
    LOG.info("training {} on {} rows ({} validation), {} classes x {} features: {} steps/epoch of ~{} rows, "
        + "{} steps, {}, lr {} ({}), reg {}", loss, objective.rows(), validation.rows(), start.classes(),
        start.features(), stepsPerEpoch, config.batchSize(), totalSteps, optimizer, config.learningRate(), schedule,
        config.regularization());
  }

  private void logCosineDiagnostics(Validation validation, LinearWeights weights, int epoch) {
    double[] d = validation.cosineDiagnostics(weights);
    if (d != null) {
      LOG.info(String.format("epoch %d/%d AM-softmax: mean target cosine %.4f, mean gap to the best wrong class"
          + " %.4f", epoch + 1, config.epochs(), d[0], d[1]));
    }
  }

  private void reportInitialLoss(ScoreLoss loss, int classes, double observed, boolean fromInitialWeights) {
    if (!fromInitialWeights) {
      // the ln K / (K-1)·delta sanity check only holds for small random weights, not for a warm start
      LOG.info(String.format("step 0: loss %.4f, continuing from the given weights", observed));
      return;
    }
    checkInitialLoss(loss, classes, observed);
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

  private static TrainingDivergedException diverged(TrainingLog log, int epoch, int step, double lr, double loss) {
    log.clear();
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
