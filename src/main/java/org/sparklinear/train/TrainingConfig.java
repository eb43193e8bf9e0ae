package org.sparklinear.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparklinear.config.OptionCatalog;
import org.sparklinear.loss.LossKind;
import org.sparklinear.loss.ScoreLoss;
import org.sparklinear.optim.IterateAveraging;
import org.sparklinear.optim.LearningRateSchedule;
import org.sparklinear.optim.Momentum;
import org.sparklinear.optim.Optimizer;
import org.sparklinear.optim.OptimizerKind;
import org.sparklinear.loss.Regularization;
import org.sparklinear.preprocess.Scaling;
import org.sparklinear.train.AutomaticSettings.Setting;

/**
 * Everything that determines a training run, typed and validated; made by a {@link Builder} that starts from the
 * defaults of {@code conf/train.properties}. The command line, spark.ml params, sweeps and tests all fill that
 * builder.
 *
 * @param maxSteps stop after this many steps in all (0: only the epoch count limits)
 * @param patience stop when validation accuracy has not improved for this many epochs (0: never stop early)
 * @param partitions how many partitions the training data is spread over (0: Spark's default parallelism)
 * @param treeDepth depth of {@code treeAggregate} (0: chosen from the partition count)
 * @param initScale standard deviation of the initial class templates
 * @param logEvery log a progress line every this many steps
 * @param localSteps minibatch steps each partition takes on its own rows between combinations (1: exact minibatch
 *     SGD; more: local SGD, the partitions' models and optimizer states averaged every round)
 * @param average which of the run's iterates the kept model averages ({@link IterateAveraging#NONE}: the last)
 * @param cache where the packed blocks are kept between steps: memory, disk, or auto to choose by their size
 * @param mirror whether the kept model scores an image as the mean of its and its mirror image's scores
 *     ({@link org.sparklinear.model.MirrorSymmetry}); applied to the trained weights, so the trajectory is the same
 * @param automatic the settings left to {@code auto}: their values here are provisional until
 *     {@link TrainingBudget} and {@link SettingSearch} choose them on the data
 */
public record TrainingConfig(LossKind loss, double hingeDelta, int epochs, long maxSteps, int batchSize,
    double learningRate, String learningRateDecay, double regularization, double momentum, boolean nesterov,
    long seed, double validationFraction, int partitions, int treeDepth, int patience, double initScale,
    Scaling scaling, int logEvery, OptimizerKind optimizer, double l1, double amScale, double amMargin,
    StepMode stepMode, int localSteps, IterateAveraging average, CacheMode cache, boolean mirror,
    AutomaticSettings automatic) implements Serializable {

  /** The option names of conf/train.properties that make up a training configuration, in its order. */
  public static final List<String> OPTIONS = List.of("loss", "hinge-delta", "am-scale", "am-margin", "epochs",
      "max-steps", "batch-size", "lr", "lr-decay", "optimizer", "reg", "l1", "momentum", "nesterov", "seed",
      "val-fraction", "patience", "partitions", "tree-depth", "init-scale", "scaling", "log-every", "step-mode",
      "local-steps", "average", "cache", "mirror");

  /** A builder holding the defaults of {@code conf/train.properties}: the one place they are applied. */
  public static Builder builder() {
    OptionCatalog catalog = OptionCatalog.load();
    Builder b = new Builder();
    for (String option : OPTIONS) {
      b.set(option, catalog.get(option).defaultValue());
    }
    return b;
  }

  /** A builder holding this configuration, to change some settings (a sweep's rate, a benchmark's epochs). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.loss = loss;
    b.hingeDelta = hingeDelta;
    b.epochs = epochs;
    b.maxSteps = maxSteps;
    b.batchSize = batchSize;
    b.learningRate = learningRate;
    b.learningRateDecay = learningRateDecay;
    b.regularization = regularization;
    b.momentum = momentum;
    b.nesterov = nesterov;
    b.seed = seed;
    b.validationFraction = validationFraction;
    b.partitions = partitions;
    b.treeDepth = treeDepth;
    b.patience = patience;
    b.initScale = initScale;
    b.scaling = scaling;
    b.logEvery = logEvery;
    b.optimizer = optimizer;
    b.l1 = l1;
    b.amScale = amScale;
    b.amMargin = amMargin;
    b.stepMode = stepMode;
    b.localSteps = localSteps;
    b.average = average;
    b.cache = cache;
    b.mirror = mirror;
    b.automatic = automatic;
    return b;
  }

  /**
   * Builds a {@link TrainingConfig}: typed setters for code (spark.ml params, sweeps, tests), and {@link #set} for the
   * text of a command line or configuration file, by option name. A setting given as {@code auto} keeps a
   * provisional value (today's CIFAR-10 tuned one) until it is chosen on the data; a typed setter makes it explicit.
   */
  public static final class Builder {
    private LossKind loss;
    private double hingeDelta;
    private int epochs;
    private long maxSteps;
    private int batchSize;
    private double learningRate = Double.NaN;
    private String learningRateDecay;
    private double regularization;
    private double momentum;
    private boolean nesterov;
    private long seed;
    private double validationFraction;
    private int partitions;
    private int treeDepth;
    private int patience;
    private double initScale;
    private Scaling scaling;
    private int logEvery;
    private OptimizerKind optimizer;
    private double l1;
    private double amScale;
    private double amMargin;
    private StepMode stepMode;
    private int localSteps;
    private IterateAveraging average;
    private CacheMode cache;
    private boolean mirror;
    private AutomaticSettings automatic = AutomaticSettings.NONE;

    private Builder() {}

    public Builder loss(LossKind v) { loss = v; return this; }
    public Builder hingeDelta(double v) { hingeDelta = v; return this; }
    public Builder epochs(int v) { epochs = v; return explicit(Setting.EPOCHS); }
    public Builder maxSteps(long v) { maxSteps = v; return this; }
    public Builder batchSize(int v) { batchSize = v; return explicit(Setting.BATCH_SIZE); }
    public Builder learningRate(double v) { learningRate = v; return explicit(Setting.LEARNING_RATE); }
    /**
     * A rate chosen on the data ({@link SettingSearch}); until then, and where no search can run, the loss's default
     * rate with sgd, the optimiser's with the adaptive ones.
     */
    public Builder autoLearningRate() {
      learningRate = Double.NaN;
      automatic = automatic.with(Setting.LEARNING_RATE, true);
      return this;
    }
    public Builder learningRateDecay(String v) { learningRateDecay = v; return explicit(Setting.LEARNING_RATE_DECAY); }
    public Builder regularization(double v) { regularization = v; return explicit(Setting.REGULARIZATION); }
    public Builder momentum(double v) { momentum = v; return this; }
    public Builder nesterov(boolean v) { nesterov = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder validationFraction(double v) { validationFraction = v; return this; }
    public Builder partitions(int v) { partitions = v; return this; }
    public Builder treeDepth(int v) { treeDepth = v; return this; }
    public Builder patience(int v) { patience = v; return explicit(Setting.PATIENCE); }
    public Builder initScale(double v) { initScale = v; return this; }
    public Builder scaling(Scaling v) { scaling = v; return this; }
    public Builder logEvery(int v) { logEvery = v; return this; }
    public Builder optimizer(OptimizerKind v) { optimizer = v; return this; }
    public Builder l1(double v) { l1 = v; return this; }
    public Builder amScale(double v) { amScale = v; return this; }
    public Builder amMargin(double v) { amMargin = v; return this; }
    public Builder stepMode(StepMode v) { stepMode = v; return this; }
    public Builder localSteps(int v) { localSteps = v; return this; }
    public Builder average(IterateAveraging v) { average = v; return explicit(Setting.AVERAGE); }
    public Builder cache(CacheMode v) { cache = v; return this; }
    public Builder mirror(boolean v) { mirror = v; return explicit(Setting.MIRROR); }

    /**
     * Sets one of {@link #OPTIONS} from its text.
     *
     * @throws IllegalArgumentException naming the option and the value when the text is not a value of it
     */
    public Builder set(String option, String text) {
      String v = text.trim();
      switch (option) {
        case "loss" -> loss(LossKind.fromName(v));
        case "hinge-delta" -> hingeDelta(decimal(option, v));
        case "am-scale" -> amScale(decimal(option, v));
        case "am-margin" -> amMargin(decimal(option, v));
        case "epochs" -> {
          if (!leftToData(v, Setting.EPOCHS, () -> epochs(TrainingBudget.PROVISIONAL_EPOCHS))) {
            epochs((int) whole(option, v));
          }
        }
        case "max-steps" -> maxSteps(whole(option, v));
        case "batch-size" -> {
          if (!leftToData(v, Setting.BATCH_SIZE, () -> batchSize(TrainingBudget.PROVISIONAL_BATCH_SIZE))) {
            batchSize((int) whole(option, v));
          }
        }
        case "lr" -> {
          if (!leftToData(v, Setting.LEARNING_RATE, this::autoLearningRate)) {
            learningRate(decimal(option, v));
          }
        }
        case "lr-decay" -> {
          if (!leftToData(v, Setting.LEARNING_RATE_DECAY, () -> learningRateDecay(TrainingBudget.PROVISIONAL_DECAY))) {
            learningRateDecay(v);
          }
        }
        case "optimizer" -> optimizer(OptimizerKind.fromName(v));
        case "reg" -> {
          if (!leftToData(v, Setting.REGULARIZATION, () -> regularization(SettingSearch.PROVISIONAL_REG))) {
            regularization(decimal(option, v));
          }
        }
        case "l1" -> l1(decimal(option, v));
        case "momentum" -> momentum(decimal(option, v));
        case "nesterov" -> nesterov(flag(option, v));
        case "seed" -> seed(whole(option, v));
        case "val-fraction" -> validationFraction(decimal(option, v));
        case "patience" -> {
          if (!leftToData(v, Setting.PATIENCE, () -> patience(TrainingBudget.PROVISIONAL_PATIENCE))) {
            patience((int) whole(option, v));
          }
        }
        case "partitions" -> partitions((int) whole(option, v));
        case "tree-depth" -> treeDepth((int) whole(option, v));
        case "init-scale" -> initScale(decimal(option, v));
        case "scaling" -> scaling(Scaling.fromName(v));
        case "log-every" -> logEvery((int) whole(option, v));
        case "step-mode" -> stepMode(StepMode.fromName(v));
        case "local-steps" -> localSteps((int) whole(option, v));
        case "average" -> {
          if (!leftToData(v, Setting.AVERAGE, () -> average(IterateAveraging.NONE))) {
            average(IterateAveraging.parse(v));
          }
        }
        case "cache" -> cache(CacheMode.fromName(v));
        case "mirror" -> {
          if (!leftToData(v, Setting.MIRROR, () -> mirror(false))) {
            mirror(flag(option, v));
          }
        }
        default -> throw new IllegalArgumentException("--" + option + " is not a training option");
      }
      return this;
    }

    /** A value was given: the setting is no longer left to the data. */
    private Builder explicit(Setting setting) {
      automatic = automatic.with(setting, false);
      return this;
    }

    /**
     * For {@code auto}: sets the provisional value (an explicit setter, which clears the flag) and then marks the
     * setting as left to the data. False for any other text.
     */
    private boolean leftToData(String v, Setting setting, Runnable provisional) {
      if (!v.equals("auto")) {
        return false;
      }
      provisional.run();
      automatic = automatic.with(setting, true);
      return true;
    }

    private static double decimal(String option, String v) {
      try {
        double d = Double.parseDouble(v);
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--" + option + ": '" + v + "' is not a number");
    }

    private static long whole(String option, String v) {
      try {
        long n = Long.parseLong(v);
        if (n == (int) n || option.equals("seed") || option.equals("max-steps")) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--" + option + ": '" + v + "' is not a whole number");
    }

    private static boolean flag(String option, String v) {
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(v);
      }
      throw new IllegalArgumentException("--" + option + ": '" + v + "' is not true or false"
          + (option.equals("mirror") ? " or auto" : ""));
    }

    /** @throws IllegalArgumentException when a value is out of range */
    public TrainingConfig build() {
      double rate = Double.isNaN(learningRate) ? optimizer == OptimizerKind.SGD ? loss.defaultLearningRate()
          : optimizer.defaultLearningRate() : learningRate;
      return new TrainingConfig(loss, hingeDelta, epochs, maxSteps, batchSize, rate, learningRateDecay,
          regularization, momentum, nesterov, seed, validationFraction, partitions, treeDepth, patience, initScale,
          scaling, logEvery, optimizer, l1, amScale, amMargin, stepMode, localSteps, average, cache, mirror,
          automatic);
    }
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
    require(stepMode != null, "step mode must be given");
    require(localSteps >= 1, "local steps must be at least 1, got " + localSteps);
    require(average != null, "iterate averaging must be given (IterateAveraging.NONE for none)");
    require(cache != null, "cache mode must be given");
    // disk data is read a chunk per task and step: nothing to bring to the driver or to step on locally
    require(!(cache == CacheMode.DISK && stepMode == StepMode.DRIVER), "--step-mode driver brings the cached blocks"
        + " to the driver's memory, which --cache disk is for data too large for: use --step-mode jobs or auto");
    require(!(cache == CacheMode.DISK && localSteps > 1), "--local-steps above 1 needs the data cached in memory:"
        + " --cache disk reads each step's chunks afresh");
    // a round averages the partitions' optimizer states in fixed point (2^-32): a velocity is well above that, the
    // adaptive rules' squared-gradient sums of small gradients are not, and a lost one turns into a huge step
    require(!(localSteps > 1 && optimizer != OptimizerKind.SGD), "--local-steps above 1 takes --optimizer sgd (with"
        + " or without --momentum): a round averages the partitions' optimizer states, and " + optimizer.cliName()
        + "'s squared-gradient state is too small to average exactly; got --optimizer " + optimizer.cliName());
    require(l1 >= 0 && Double.isFinite(l1), "l1 must be >= 0, got " + l1);
    require(amScale > 0 && Double.isFinite(amScale), "am-scale must be > 0, got " + amScale);
    require(amMargin >= 0 && Double.isFinite(amMargin), "am-margin must be >= 0, got " + amMargin);
    require(automatic != null, "automatic settings must be given (AutomaticSettings.NONE for none)");
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
    m.put("step-mode", stepMode.cliName());
    m.put("local-steps", Integer.toString(localSteps));
    m.put("average", average.cliName());
    m.put("cache", cache.cliName());
    m.put("mirror", Boolean.toString(mirror));
    return m;
  }
}
