package org.sparklinear.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.data.DatasetReader;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ReadOptions;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.train.FeatureStage;
import org.sparklinear.train.CheckpointStore;
import org.sparklinear.train.EpochRecord;
import org.sparklinear.train.MetricsFileWriter;
import org.sparklinear.train.LossHistory;
import org.sparklinear.eval.BlockEvaluator;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.train.ProgressLine;
import org.sparklinear.train.Trainer;
import org.sparklinear.train.TrainingConfig;
import org.sparklinear.train.TrainingData;
import org.sparklinear.train.TrainingListener;
import org.sparklinear.train.TrainingResult;
import org.sparklinear.train.ValidationSplit;

/**
 * From training options to a trained model in memory: read, preprocess, train (with metrics file and checkpoints),
 * and describe the result. Shared by {@code train} and {@code retrain}.
 */
final class ModelTraining {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTraining.class);

  /** Set by submit/*.sh when stderr is a terminal: a live progress line replaces the per-step log lines. */
  static final String TERMINAL_PROPERTY = "slc.stderrIsTerminal";

  private ModelTraining() {}

  /** The data read, turned into features, split, preprocessed and cached, ready for a trainer. */
  record Prepared(ImageDataset dataset, FeatureTransform features, TrainingData data) implements AutoCloseable {
    @Override
    public void close() {
      data.close();
    }
  }

  /**
   * @param warmStart a model to continue from: its classes, image size, features, preprocessing statistics and
   *     weights are kept; null fits everything on this data
   */
  static Prepared prepare(JavaSparkContext sc, Options options, TrainingConfig config, String dataPath,
      LinearClassifier warmStart) {
    ReadOptions read = warmStart == null ? DataOptions.from(options, sc, null)
        : ModelInput.readOptionsFor(warmStart, options, sc);
    ImageDataset dataset = new DatasetReader(sc).read(dataPath, read);
    LOG.info("reading {}: {}, images {}, classes {}", dataPath, dataset.description(), dataset.shape(),
        dataset.classNames());
    if (warmStart != null) {
      warmStart.checkCompatible(dataset.shape(), dataPath);
      LOG.info("warm start: keeping the model's preprocessing ({} scaling) and starting from its weights",
          warmStart.preprocessor().scaling().cliName());
    }
    ValidationSplit split = new ValidationSplit(config.seed(), config.validationFraction());
    FeatureTransform features = FeatureStage.fit(dataset, featureTransform(options, config, warmStart), split);
    ImageDataset examples = FeatureStage.apply(dataset, features);
    if (!features.isIdentity()) {
      LOG.info("features: {} ({} values per image)", features, examples.features());
    }
    TrainingData data = TrainingData.prepare(sc, examples, split, config.scaling(),
        warmStart == null ? null : warmStart.preprocessor());
    return new Prepared(dataset, features, data);
  }

  /** A trainer with the metrics file, progress line and checkpoints the options ask for. */
  static Trainer trainer(JavaSparkContext sc, Options options, TrainingConfig config, TrainingData data,
      TrainingListener listener) throws java.io.IOException {
    Trainer trainer = new Trainer(config, listener);
    if (Boolean.getBoolean(TERMINAL_PROPERTY)) {
      trainer.withProgressLine(new ProgressLine(System.err));
    }
    String checkpointDir = options.declares("checkpoint-dir") ? options.optional("checkpoint-dir") : null;
    if (checkpointDir != null) {
      int every = options.integer("checkpoint-every");
      if (every < 1) {
        throw new UsageException("--checkpoint-every must be at least 1, got " + every);
      }
      trainer.withCheckpoints(new CheckpointStore(checkpointDir, sc.hadoopConfiguration()), every,
          data.fingerprint());
    }
    return trainer;
  }

  /** The metrics file of --metrics-file, or null. */
  static MetricsFileWriter metricsFile(JavaSparkContext sc, Options options, TrainingConfig config)
      throws java.io.IOException {
    String metricsFile = options.optional("metrics-file");
    return metricsFile == null ? null : new MetricsFileWriter(metricsFile, sc.hadoopConfiguration(),
        config.logEvery());
  }

  /** Trains one model: {@code train} and {@code retrain}. */
  static LinearClassifier train(JavaSparkContext sc, Options options, TrainingConfig config, String dataPath,
      LinearClassifier warmStart) throws Exception {
    try (Prepared prepared = prepare(sc, options, config, dataPath, warmStart)) {
      TrainingData data = prepared.data();
      MetricsFileWriter metrics = metricsFile(sc, options, config);
      LossHistory losses = new LossHistory();
      TrainingResult result;
      try {
        Trainer trainer = trainer(sc, options, config, data, metrics == null ? losses
            : LossHistory.both(losses, metrics));
        result = warmStart == null ? trainer.train(sc, data) : trainer.train(sc, data, warmStart.weights());
      } finally {
        if (metrics != null) {
          metrics.close();
        }
      }
      Map<String, Object> metadata = metadata(options, config, dataPath, prepared.dataset(), data, result, sc);
      metadata.put("stepLoss", losses.points());
      LinearClassifier model = new LinearClassifier(data.classNames(), data.shape(), prepared.features(),
          data.preprocessor(), config.loss(), config.hingeDelta(), result.weights(), metadata);
      writeReport(sc, options, model, data);
      return model;
    }
  }

  /**
   * {@code --report DIR}: the report of a model just trained, with its confusion matrix on the validation split (on
   * the training rows when there is none).
   */
  static void writeReport(JavaSparkContext sc, Options options, LinearClassifier model, TrainingData data)
      throws java.io.IOException {
    String dir = options.declares("report") ? options.optional("report") : null;
    if (dir == null) {
      return;
    }
    boolean onValidation = data.validationRows() > 0;
    sc.setJobDescription("report: confusion matrix");
    ConfusionMatrix cm = BlockEvaluator.evaluate(sc, onValidation ? data.validation() : data.train(),
        model.weights());
    Reports.write(java.nio.file.Path.of(dir), options.flag("overwrite"), model, cm, onValidation ? "the validation split ("
        + data.validationRows() + " images)" : "the training images (there is no validation split)");
    LOG.info("report written to {}", java.nio.file.Path.of(dir).resolve("index.html"));
  }

  /** The features of --features and --random-features; a warm start keeps the model's own. */
  private static FeatureTransform featureTransform(Options options, TrainingConfig config,
      LinearClassifier warmStart) {
    FeatureTransform asked;
    try {
      asked = FeatureTransform.parse(options.string("features"), options.integer("random-features"), config.seed());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (warmStart == null) {
      return asked;
    }
    FeatureTransform kept = warmStart.features();
    if (!asked.spec().equals(kept.spec()) || asked.randomFeatures() != kept.randomFeatures()) {
      if (options.isSet("features") || options.isSet("random-features")) {
        throw new UsageException("a warm start keeps the current model's features (" + kept + "); pass --cold to"
            + " train with " + asked);
      }
    }
    return kept;
  }

  static Map<String, Object> metadata(Options options, TrainingConfig config, String dataPath,
      ImageDataset dataset, TrainingData data, TrainingResult result, JavaSparkContext sc) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("trainingConfiguration", options.asMap());
    meta.put("seed", config.seed());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("validationAccuracy", finiteOrNull(result.validationAccuracy()));
    metrics.put("validationExamples", data.validationRows());
    metrics.put("trainingExamples", data.trainRows());
    metrics.put("initialLoss", finiteOrNull(result.initialLoss()));
    List<EpochRecord> epochs = result.epochs();
    metrics.put("finalTrainingLoss", epochs.isEmpty() ? null : finiteOrNull(epochs.get(epochs.size() - 1).trainLoss()));
    metrics.put("steps", result.steps());
    metrics.put("epochs", epochs.size());
    metrics.put("stoppedEarly", result.stoppedEarly());
    metrics.put("trainingSeconds", result.seconds());
    meta.put("metrics", metrics);
    List<Map<String, Object>> history = new ArrayList<>();
    for (EpochRecord e : epochs) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", e.epoch());
      row.put("steps", e.steps());
      row.put("learningRate", e.learningRate());
      row.put("trainingLoss", finiteOrNull(e.trainLoss()));
      row.put("validationAccuracy", finiteOrNull(e.validationAccuracy()));
      row.put("seconds", e.seconds());
      history.add(row);
    }
    meta.put("history", history);
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("data", dataPath);
    provenance.put("dataDescription", dataset.description());
    provenance.put("skippedBadImages", dataset.skippedBadImages().value());
    meta.put("dataProvenance", provenance);
    meta.put("sparkVersion", sc.version());
    meta.put("sparkMaster", sc.master());
    meta.put("codeVersion", Main.version());
    meta.put("createdAt", Instant.now().toString());
    return meta;
  }

  static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
