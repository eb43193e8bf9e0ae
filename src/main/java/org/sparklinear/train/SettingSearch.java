package org.sparklinear.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.model.MirrorSymmetry;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.optim.IterateAveraging;
import org.sparklinear.optim.OptimizerKind;

/**
 * Chooses the settings left to {@code auto} on the data, with one stacked pass ({@link ModelStack}) that trains
 * every candidate at once and keeps the one with the lowest validation loss (a smoother judge than accuracy on a
 * small split).
 *
 * <p>The learning rate: the first steps of the run are taken by {@value #RATE_CANDIDATES} rates at once (the loss's
 * default times 1/9 .. 9), as many steps as keep the search under {@value #SEARCH_SHARE} of the run's work counting
 * each candidate as a whole model; the run then continues from the winner's weights for the rest of its steps, so
 * only the losers' share of the search is extra. The L2 strength ({@code --reg auto}, optional since it costs a stack
 * over the whole run): the run trains one model per strength of {@link #REG_GRID} and keeps the best. Mirror symmetry
 * ({@code --mirror auto}): the trained model against its mirror-symmetric form, which costs one scoring pass.
 */
public final class SettingSearch {
  private static final Logger LOG = LoggerFactory.getLogger(SettingSearch.class);

  /** The L2 strength a {@code --reg auto} run has until it is chosen. */
  public static final double PROVISIONAL_REG = 0.001;
  static final double[] REG_GRID = {0, 1e-4, 1e-3, 1e-2};
  static final int RATE_CANDIDATES = 5;
  /** Rates are the loss's default times this to the power -2 .. 2. */
  static final double RATE_STEP = 3;
  /** At most this share of the run's work (steps times models) goes to the rate search. */
  static final double SEARCH_SHARE = 0.3;
  /**
   * Fewer validation rows than this leave mirror symmetry off: a few rows may miss the classes that are mirror
   * images of each other, which only the trained model tells apart (6 rows of the project's samples did, and the
   * symmetric model lost a fifth of the test accuracy).
   */
  static final long MIN_MIRROR_ROWS = 200;
  /** A search shorter than this tells the rates apart by noise: the run keeps the loss's own rate. */
  static final int MIN_SEARCH_STEPS = 10;

  private final JavaSparkContext sc;
  private final TrainingData data;

  public SettingSearch(JavaSparkContext sc, TrainingData data) {
    this.sc = sc;
    this.data = data;
  }

  /**
   * The outcome of the rate search.
   *
   * @param config the configuration with the chosen rate (explicit now), and its step limit reduced by the steps
   *     already taken
   * @param start the chosen model's weights after the search, to continue from
   * @param steps the steps the chosen model took in the search (the first of its run)
   */
  public record RateChoice(TrainingConfig config, LinearWeights start, long steps, ModelMetadata.Choice choice) {}

  /** Whether the rate search can run: it stacks models, which needs sgd and exact steps. */
  public static boolean canSearch(TrainingConfig config) {
    return config.optimizer() == OptimizerKind.SGD && config.localSteps() == 1;
  }

  /**
   * Chooses the learning rate of {@code config} (left to auto) by its first steps.
   *
   * @param start the weights the run starts from, or null for the configuration's initial weights
   */
  public RateChoice learningRate(TrainingConfig config, LinearWeights start) {
    if (!canSearch(config)) {
      String why = String.format(Locale.ROOT, "%s's default: the rate search stacks models, which needs sgd and"
          + " --local-steps 1 (got %s, %d)", config.optimizer() == OptimizerKind.SGD ? config.loss().cliName()
          : config.optimizer().cliName(), config.optimizer().cliName(), config.localSteps());
      return unsearched(config, start, why);
    }
    int classes = data.classNames().size();
    double[] rates = rateCandidates(config.loss().defaultLearningRate());
    long runSteps = runSteps(config, data.trainRows());
    long searchSteps = searchSteps(runSteps, rates.length,
        new MinibatchPlan(config.seed(), data.trainRows(), config.batchSize()).stepsPerEpoch());
    if (searchSteps < MIN_SEARCH_STEPS) {
      return unsearched(config, start, String.format(Locale.ROOT, "%s's default: a run of %d steps leaves %d for"
          + " the search, fewer than %d", config.loss().cliName(), runSteps, searchSteps, MIN_SEARCH_STEPS));
    }
    long started = System.nanoTime();
    sc.setJobDescription("choosing the learning rate");
    // the candidates are judged, and the run continues, from their last weights: the run's own tail is averaged
    TrainingConfig searchConfig = config.toBuilder().epochs(1).maxSteps(searchSteps).patience(0)
        .average(IterateAveraging.NONE).build();
    ModelStack stack;
    TrainingResult result;
    while (true) {
      double[] l2 = new double[rates.length];
      java.util.Arrays.fill(l2, config.regularization());
      stack = new ModelStack(classes, rates, l2);
      LOG.info("choosing the learning rate: {} rates {} at once for the run's first {} of {} steps", rates.length,
          java.util.Arrays.toString(rates), searchSteps, runSteps);
      Trainer trainer = new Trainer(searchConfig).withStack(stack);
      try {
        result = start == null ? trainer.train(sc, data) : trainer.train(sc, data, stack.replicate(start));
        break;
      } catch (TrainingDivergedException e) {
        if (rates.length == 1) {
          throw e;
        }
        // one diverging model makes the stack's loss infinite: the largest rate is the one to blame
        LOG.info("the stack diverged ({}); searching again without the largest rate", e.getMessage());
        rates = java.util.Arrays.copyOf(rates, rates.length - 1);
      }
    }
    double[] losses = validationLosses(config, stack, result.weights());
    int best = lowest(losses);
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Double> candidates = new LinkedHashMap<>();
    for (int m = 0; m < rates.length; m++) {
      candidates.put(Double.toString(rates[m]), Double.isFinite(losses[m]) ? losses[m] : null);
    }
    String edge = best == 0 || best == rates.length - 1 ? " (at the edge of the candidates)" : "";
    // the stored reason leaves out the search's wall time: the same data and settings give the same metadata anywhere
    String why = String.format(Locale.ROOT, "lowest %s loss %.4f after the first %d steps of %d, %d rates at once"
        + "%s; the run continued from its weights", judge(), losses[best], searchSteps, runSteps, rates.length, edge);
    LOG.info("lr {}: {} ({} s); losses by rate {}", rates[best], why, String.format(Locale.ROOT, "%.1f", seconds),
        candidates);
    long rest = Math.max(1, runSteps - searchSteps);
    TrainingConfig chosen = config.toBuilder().learningRate(rates[best]).maxSteps(rest).build();
    return new RateChoice(chosen, stack.slice(result.weights(), best), searchSteps,
        new ModelMetadata.Choice("lr", Double.toString(rates[best]), why, candidates));
  }

  /** The provisional rate, now explicit: no search. */
  private static RateChoice unsearched(TrainingConfig config, LinearWeights start, String why) {
    LOG.info("lr {} ({})", config.learningRate(), why);
    return new RateChoice(config.toBuilder().learningRate(config.learningRate()).build(), start, 0,
        new ModelMetadata.Choice("lr", Double.toString(config.learningRate()), why, Map.of()));
  }

  /** A stack of one model per L2 strength of the grid, all at the configuration's rate. */
  public ModelStack regularizationStack(TrainingConfig config) {
    if (!canSearch(config)) {
      throw new IllegalArgumentException("--reg auto trains a stack of models, which needs --optimizer sgd and"
          + " --local-steps 1");
    }
    double[] rates = new double[REG_GRID.length];
    java.util.Arrays.fill(rates, config.learningRate());
    return new ModelStack(data.classNames().size(), rates, REG_GRID);
  }

  /** The index of the regularisation stack's best model, and the choice as the metadata records it. */
  public record RegularizationChoice(int best, ModelMetadata.Choice choice) {}

  /** Picks the best model of a trained {@link #regularizationStack}. */
  public RegularizationChoice regularization(TrainingConfig config, ModelStack stack, LinearWeights stacked) {
    if (data.validationRows() == 0) {
      throw new IllegalArgumentException("--reg auto compares strengths on the validation split: --val-fraction"
          + " must be above 0");
    }
    double[] losses = validationLosses(config, stack, stacked);
    int best = lowest(losses);
    Map<String, Double> candidates = new LinkedHashMap<>();
    for (int m = 0; m < stack.models(); m++) {
      candidates.put(Double.toString(stack.l2()[m]), Double.isFinite(losses[m]) ? losses[m] : null);
    }
    String why = String.format(Locale.ROOT, "lowest validation loss %.4f of %d strengths trained at once over the"
        + " whole run", losses[best], stack.models());
    LOG.info("reg {}: {}; losses by strength {}", stack.l2()[best], why, candidates);
    return new RegularizationChoice(best, new ModelMetadata.Choice("reg", Double.toString(stack.l2()[best]), why,
        candidates));
  }

  /**
   * Mirror symmetry of the trained model: the outcome of {@code --mirror}.
   *
   * @param config the configuration with mirror symmetry decided (explicit now)
   * @param weights the weights to keep
   * @param choice how {@code auto} decided, for the metadata; null when it was given
   */
  public record MirrorChoice(TrainingConfig config, LinearWeights weights, ModelMetadata.Choice choice) {}

  /**
   * Applies mirror symmetry as configured, or, left to {@code auto}, where the mirror-symmetric model has the lower
   * validation loss: a paired comparison on the same rows, which on CIFAR-10 every 851-row slice of a held-out
   * tenth agreed with, given at least {@value #MIN_MIRROR_ROWS} rows.
   *
   * @param inapplicable why mirror symmetry cannot apply to this model ({@link MirrorSymmetry#inapplicable})
   * @throws IllegalArgumentException for an explicit {@code --mirror true} where it cannot apply (the pipeline
   *     refuses it before training too)
   */
  public MirrorChoice mirror(TrainingConfig config, LinearWeights trained, java.util.Optional<String> inapplicable) {
    if (!config.automatic().has(AutomaticSettings.Setting.MIRROR)) {
      refuseGivenMirror(config, inapplicable);
      return new MirrorChoice(config, config.mirror() ? symmetric(trained) : trained, null);
    }
    String refused = inapplicable.orElse(data.validationRows() < MIN_MIRROR_ROWS ? String.format(Locale.ROOT,
        "%d validation rows are fewer than %d, too few to judge it on", data.validationRows(), MIN_MIRROR_ROWS)
        : null);
    if (refused != null) {
      LOG.info("mirror false: {}", refused);
      return new MirrorChoice(config.toBuilder().mirror(false).build(), trained,
          new ModelMetadata.Choice("mirror", "false", refused, Map.of()));
    }
    LinearWeights mirrored = symmetric(trained);
    sc.setJobDescription("validation loss of the mirror-symmetric model");
    double[] losses = validationLosses(config, List.of(trained, mirrored));
    boolean on = losses[1] < losses[0];
    String why = String.format(Locale.ROOT, "validation loss %.4f mirror-symmetric against %.4f as trained",
        losses[1], losses[0]);
    LOG.info("mirror {}: {}", on, why);
    Map<String, Double> candidates = new LinkedHashMap<>();
    candidates.put("false", Double.isFinite(losses[0]) ? losses[0] : null);
    candidates.put("true", Double.isFinite(losses[1]) ? losses[1] : null);
    return new MirrorChoice(config.toBuilder().mirror(on).build(), on ? mirrored : trained,
        new ModelMetadata.Choice("mirror", Boolean.toString(on), why, candidates));
  }

  /** Refuses an explicit {@code --mirror true} where mirror symmetry cannot apply ({@code inapplicable} says why). */
  public static void refuseGivenMirror(TrainingConfig config, java.util.Optional<String> inapplicable) {
    if (config.mirror() && !config.automatic().has(AutomaticSettings.Setting.MIRROR) && inapplicable.isPresent()) {
      throw new IllegalArgumentException("--mirror true does not apply: " + inapplicable.get());
    }
  }

  private LinearWeights symmetric(LinearWeights trained) {
    return MirrorSymmetry.symmetric(trained, data.shape(), data.preprocessor());
  }

  static double[] rateCandidates(double center) {
    double[] rates = new double[RATE_CANDIDATES];
    for (int i = 0; i < RATE_CANDIDATES; i++) {
      rates[i] = center * Math.pow(RATE_STEP, i - RATE_CANDIDATES / 2);
    }
    return rates;
  }

  /** The steps of the whole run: its epochs, or its step limit when that comes first. */
  static long runSteps(TrainingConfig config, long trainRows) {
    long steps = (long) new MinibatchPlan(config.seed(), trainRows, config.batchSize()).stepsPerEpoch()
        * config.epochs();
    return config.maxSteps() > 0 ? Math.min(steps, config.maxSteps()) : steps;
  }

  /**
   * Steps of the search: its {@code models} together do at most {@value #SEARCH_SHARE} of the run's work, within
   * the first epoch (so every candidate sees the first epoch's rate, as the run does).
   */
  static long searchSteps(long runSteps, int models, int stepsPerEpoch) {
    return Math.min(stepsPerEpoch, (long) Math.floor(SEARCH_SHARE * runSteps / models));
  }

  /** Index of the lowest finite value (the first of equals); 0 when none is finite. */
  static int lowest(double[] values) {
    int best = -1;
    for (int i = 0; i < values.length; i++) {
      if (Double.isFinite(values[i]) && (best < 0 || values[i] < values[best])) {
        best = i;
      }
    }
    return Math.max(best, 0);
  }

  private String judge() {
    return data.validationRows() > 0 ? "validation" : "training";
  }

  /**
   * Each stacked model's mean data loss on the validation rows (on the training rows when there are none), summed
   * per partition and then in partition order, so the choice is the same on every run. Where the search trained in
   * the {@code driver} step mode the blocks are on the driver already, and scoring them there saves a Spark job.
   */
  private double[] validationLosses(TrainingConfig config, ModelStack stack, LinearWeights stacked) {
    List<LinearWeights> slices = new java.util.ArrayList<>();
    for (int m = 0; m < stack.models(); m++) {
      slices.add(stack.slice(stacked, m));
    }
    return validationLosses(config, slices);
  }

  private double[] validationLosses(TrainingConfig config, List<LinearWeights> slices) {
    boolean onValidation = data.validationRows() > 0;
    BlockObjective objective = new BlockObjective(config.createLoss());
    int models = slices.size();
    java.util.Optional<List<FeatureBlock>> onDriver = onValidation ? data.validationBlocksOnDriver()
        : data.trainBlocksOnDriver();
    List<double[]> partials;
    if (onDriver.isPresent()) {
      partials = onDriver.get().stream().map(block -> blockLosses(objective, slices, block)).toList();
    } else {
      sc.setJobDescription("scoring " + models + " candidate models");
      partials = (onValidation ? data.validation() : data.train())
          .map(block -> blockLosses(objective, slices, block)).collect();
    }
    double[] mean = new double[models];
    double rows = 0;
    for (double[] p : partials) {
      for (int m = 0; m < models; m++) {
        mean[m] += p[m];
      }
      rows += p[models];
    }
    for (int m = 0; m < models; m++) {
      mean[m] = rows == 0 ? Double.NaN : mean[m] / rows;
    }
    return mean;
  }

  /** Each model's summed data loss on one block, and the block's row count last. */
  private static double[] blockLosses(BlockObjective objective, List<LinearWeights> models, FeatureBlock block) {
    double[] sums = new double[models.size() + 1];
    for (int m = 0; m < models.size(); m++) {
      LinearWeights w = models.get(m);
      sums[m] = objective.accumulateAll(w, block, new double[w.parameters().length]);
    }
    sums[models.size()] = block.rows();
    return sums;
  }
}
