package org.sparklinear.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.data.DatasetReader;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ReadOptions;
import org.sparklinear.eval.BlockEvaluator;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.metrics.TrainingMetricsPlugin;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.MirrorSymmetry;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.train.AutomaticSettings;
import org.sparklinear.train.CheckpointStore;
import org.sparklinear.train.EpochRecord;
import org.sparklinear.train.FeatureStage;
import org.sparklinear.train.LossHistory;
import org.sparklinear.train.ModelStack;
import org.sparklinear.train.ProgressLine;
import org.sparklinear.train.SettingSearch;
import org.sparklinear.train.Trainer;
import org.sparklinear.train.TrainingBudget;
import org.sparklinear.train.TrainingConfig;
import org.sparklinear.train.TrainingData;
import org.sparklinear.train.TrainingListener;
import org.sparklinear.train.TrainingResult;
import org.sparklinear.train.ValidationSplit;

/**
 * The one way from data to a trained model, for every entry point (the command line's train, retrain and sweep,
 * the spark.ml estimator, the benchmark): read, fit features and preprocessing on the training rows, cache, train,
 * and describe the result in the model's metadata.
 */
public final class TrainingPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingPipeline.class);

  private final JavaSparkContext sc;
  private final TrainingConfig config;
  private FeatureTransform features = FeatureTransform.pixels();
  private LinearClassifier warmStart;
  private TrainingListener listener = TrainingListener.NONE;
  private CheckpointStore checkpoints;
  private int checkpointEvery;
  private ProgressLine progress;
  private String trainedBy = "train";

  public TrainingPipeline(JavaSparkContext sc, TrainingConfig config) {
    this.sc = sc;
    this.config = config;
  }

  /** What the model computes from an image (not yet fitted); raw pixels unless set. A warm start keeps its own. */
  public TrainingPipeline features(FeatureTransform transform) {
    this.features = transform;
    return this;
  }

  /**
   * Continues from a model: its classes, image size, features, preprocessing statistics and weights are kept (read
   * the data with its classes and image size).
   */
  public TrainingPipeline warmStart(LinearClassifier model) {
    this.warmStart = model;
    return this;
  }

  public TrainingPipeline listener(TrainingListener l) {
    this.listener = l;
    return this;
  }

  public TrainingPipeline checkpoints(CheckpointStore store, int every) {
    this.checkpoints = store;
    this.checkpointEvery = every;
    return this;
  }

  public TrainingPipeline progressLine(ProgressLine line) {
    this.progress = line;
    return this;
  }

  /** Who trains, for the metadata: a command's name or the estimator's. */
  public TrainingPipeline trainedBy(String entryPoint) {
    this.trainedBy = entryPoint;
    return this;
  }

  /** The project version from the jar manifest, or "dev" when run from classes. */
  public static String codeVersion() {
    String v = TrainingPipeline.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Reads {@code path} and prepares it. */
  public PreparedData read(String path, ReadOptions read) {
    ImageDataset dataset = new DatasetReader(sc).read(path, read);
    LOG.info("reading {}: {}, images {}, classes {}", path, dataset.description(), dataset.shape(),
        dataset.classNames());
    return prepare(dataset, path);
  }

  /** Fits features and preprocessing on the training rows of {@code dataset} and caches the packed blocks. */
  public PreparedData prepare(ImageDataset dataset, String source) {
    if (warmStart != null) {
      warmStart.checkCompatible(dataset.shape(), source);
      LOG.info("warm start: keeping the model's preprocessing ({} scaling) and starting from its weights",
          warmStart.preprocessor().scaling().cliName());
    }
    ValidationSplit split = new ValidationSplit(config.seed(), config.validationFraction());
    FeatureTransform fitted = FeatureStage.fit(dataset, warmStart == null ? features : warmStart.features(), split);
    ImageDataset examples = FeatureStage.apply(dataset, fitted);
    if (!fitted.isIdentity()) {
      LOG.info("features: {} ({} values per image)", fitted, examples.features());
    }
    TrainingData data = TrainingData.prepare(sc, examples, split, config.scaling(),
        warmStart == null ? null : warmStart.preprocessor(), TrainingData.Caching.of(config));
    return new PreparedData(dataset, source, fitted, data);
  }

  /**
   * Trains one model on prepared data. Settings left to {@code auto} are chosen first: the budget from the data's
   * size ({@link TrainingBudget}), the learning rate by the run's first steps and, with {@code --reg auto}, the L2
   * strength by training a model per strength at once ({@link SettingSearch}); mirror symmetry last, on the trained
   * weights.
   */
  public LinearClassifier train(PreparedData prepared) {
    TrainingData data = prepared.data();
    TrainingBudget budget = TrainingBudget.fit(config, data.trainRows(), data.validationRows());
    TrainingConfig run = budget.applyTo(config);
    Optional<String> noMirror = mirrorInapplicable(prepared, run);
    List<ModelMetadata.Choice> choices = new ArrayList<>(budget.choices());
    data.cacheChoice().ifPresent(choices::add);
    LinearWeights start = warmStart == null ? null : warmStart.weights();
    SettingSearch search = new SettingSearch(sc, data);
    long searched = 0; // steps the chosen rate's model took before the run: counted as the run's own
    if (run.automatic().has(AutomaticSettings.Setting.LEARNING_RATE)) {
      SettingSearch.RateChoice rate = search.learningRate(run, start);
      run = rate.config();
      start = rate.start();
      searched = rate.steps();
      choices.add(rate.choice());
    }
    LossHistory losses = new LossHistory();
    TrainingResult result;
    LinearWeights trained;
    if (run.automatic().has(AutomaticSettings.Setting.REGULARIZATION)) {
      ModelStack stack = search.regularizationStack(run);
      Trainer trainer = trainer(run, data, losses).withStack(stack);
      result = start == null ? trainer.train(sc, data) : trainer.train(sc, data, stack.replicate(start));
      SettingSearch.RegularizationChoice reg = search.regularization(run, stack, result.weights());
      choices.add(reg.choice());
      run = run.toBuilder().regularization(stack.l2()[reg.best()]).build();
      trained = stack.slice(result.weights(), reg.best());
    } else {
      Trainer trainer = trainer(run, data, losses);
      result = start == null ? trainer.train(sc, data) : trainer.train(sc, data, start);
      trained = result.weights();
    }
    SettingSearch.MirrorChoice mirror = search.mirror(run, trained, noMirror);
    if (mirror.choice() != null) {
      choices.add(mirror.choice());
    }
    run = mirror.config();
    LinearWeights weights = mirror.weights();
    double accuracy = result.validationAccuracy();
    if (weights != result.weights()) {
      sc.setJobDescription("validation accuracy of the kept model");
      accuracy = data.validationRows() == 0 ? Double.NaN
          : BlockEvaluator.evaluate(sc, data.validation(), weights).accuracy();
    }
    TrainingResult whole = new TrainingResult(weights, result.epochs(), searched + result.steps(),
        result.initialLoss(), accuracy, result.stoppedEarly(), result.seconds());
    return model(prepared, run, weights, describe(prepared, whole, losses, run, choices));
  }

  /**
   * Mirror symmetry of a model trained on {@code prepared} with {@code run} (a sweep's chosen model): as configured,
   * or chosen by validation loss ({@link SettingSearch#mirror}).
   */
  public SettingSearch.MirrorChoice mirror(PreparedData prepared, TrainingConfig run, LinearWeights trained) {
    return new SettingSearch(sc, prepared.data()).mirror(run, trained, mirrorInapplicable(prepared, run));
  }

  /**
   * Why mirror symmetry cannot apply to the prepared data and loss, if it cannot.
   *
   * @throws IllegalArgumentException when {@code --mirror true} was given there: before training, not after
   */
  private static Optional<String> mirrorInapplicable(PreparedData prepared, TrainingConfig run) {
    Optional<String> why = MirrorSymmetry.inapplicable(prepared.data().shape(), prepared.features(),
        run.createLoss());
    SettingSearch.refuseGivenMirror(run, why);
    return why;
  }

  /**
   * Trains a sweep's models as one stack; the result's weights hold every model (see {@link ModelStack#slice}). The
   * budget is fitted to the data as for one model.
   */
  public StackResult trainStack(PreparedData prepared, ModelStack stack) {
    LossHistory losses = new LossHistory();
    TrainingData data = prepared.data();
    TrainingBudget budget = TrainingBudget.fit(config, data.trainRows(), data.validationRows());
    TrainingConfig run = budget.applyTo(config);
    mirrorInapplicable(prepared, run);
    TrainingResult result = trainer(run, data, losses).withStack(stack).train(sc, data);
    List<ModelMetadata.Choice> choices = new ArrayList<>(budget.choices());
    data.cacheChoice().ifPresent(choices::add);
    return new StackResult(result, run, describe(prepared, result, losses, run, choices));
  }

  /** A stack's training result, the configuration it ran with and the metadata its models share. */
  public record StackResult(TrainingResult result, TrainingConfig config, ModelMetadata metadata) {}

  /** A model of the prepared data's classes, shape, features and preprocessing. */
  public static LinearClassifier model(PreparedData prepared, TrainingConfig config, LinearWeights weights,
      ModelMetadata metadata) {
    TrainingData data = prepared.data();
    return new LinearClassifier(data.classNames(), data.shape(), prepared.features(), data.preprocessor(),
        config.loss(), config.hingeDelta(), weights, metadata);
  }

  private Trainer trainer(TrainingConfig run, TrainingData data, LossHistory losses) {
    // the gauges of Spark's metrics system (when the driver loaded the plugin) see a step before the caller's listener
    Trainer trainer = new Trainer(run, LossHistory.both(losses,
        LossHistory.both(TrainingMetricsPlugin.listener(sc.sc()), listener)));
    if (progress != null) {
      trainer.withProgressLine(progress);
    }
    if (checkpoints != null) {
      trainer.withCheckpoints(checkpoints, checkpointEvery, data.fingerprint());
    }
    return trainer;
  }

  private ModelMetadata describe(PreparedData prepared, TrainingResult result, LossHistory losses,
      TrainingConfig trained, List<ModelMetadata.Choice> automatic) {
    TrainingData data = prepared.data();
    List<EpochRecord> epochs = result.epochs();
    ModelMetadata.Metrics metrics = new ModelMetadata.Metrics(finiteOrNull(result.validationAccuracy()),
        data.validationRows(), data.trainRows(), finiteOrNull(result.initialLoss()),
        epochs.isEmpty() ? null : finiteOrNull(epochs.get(epochs.size() - 1).trainLoss()), result.steps(),
        epochs.size(), result.stoppedEarly(), result.seconds());
    List<ModelMetadata.Epoch> history = new ArrayList<>();
    for (EpochRecord e : epochs) {
      history.add(new ModelMetadata.Epoch(e.epoch(), e.steps(), e.learningRate(), finiteOrNull(e.trainLoss()),
          finiteOrNull(e.validationAccuracy()), e.seconds()));
    }
    ModelMetadata.Provenance provenance = new ModelMetadata.Provenance(prepared.source(),
        prepared.dataset().description(), prepared.dataset().skippedBadImages().value());
    return new ModelMetadata(trained.toOptions(), trainedBy, provenance, metrics, history, losses.points(), null,
        automatic.isEmpty() ? null : automatic, sc.version(), sc.master(), codeVersion(), Instant.now().toString());
  }

  static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
