package org.sparklinear.cli;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.eval.BlockEvaluator;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.pipeline.PreparedData;
import org.sparklinear.pipeline.TrainingPipeline;
import org.sparklinear.train.CheckpointStore;
import org.sparklinear.train.MetricsFileWriter;
import org.sparklinear.train.ProgressLine;
import org.sparklinear.train.TrainingConfig;
import org.sparklinear.train.TrainingData;

/**
 * The command line's side of training: turns options into a configured {@link TrainingPipeline} (data reading,
 * features, warm start, checkpoints, progress line) and writes the {@code --metrics-file} and {@code --report}.
 * Shared by {@code train}, {@code retrain} and {@code sweep}.
 */
final class ModelTraining {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTraining.class);

  /** Set by submit/*.sh when stderr is a terminal: a live progress line replaces the per-step log lines. */
  static final String TERMINAL_PROPERTY = "slc.stderrIsTerminal";

  private ModelTraining() {}

  /**
   * The pipeline the options describe.
   *
   * @param warmStart a model to continue from (its classes, image size, features, preprocessing and weights are
   *     kept); null fits everything on the data
   */
  static TrainingPipeline pipeline(JavaSparkContext sc, Options options, TrainingConfig config, String command,
      LinearClassifier warmStart) throws java.io.IOException {
    TrainingPipeline pipeline = new TrainingPipeline(sc, config).trainedBy(command)
        .features(featureTransform(options, config, warmStart));
    if (warmStart != null) {
      pipeline.warmStart(warmStart);
    }
    if (Boolean.getBoolean(TERMINAL_PROPERTY)) {
      pipeline.progressLine(new ProgressLine(System.err));
    }
    String checkpointDir = options.declares("checkpoint-dir") ? options.optional("checkpoint-dir") : null;
    if (checkpointDir != null) {
      int every = options.integer("checkpoint-every");
      if (every < 1) {
        throw new UsageException("--checkpoint-every must be at least 1, got " + every);
      }
      pipeline.checkpoints(new CheckpointStore(checkpointDir, sc.hadoopConfiguration()), every);
    }
    return pipeline;
  }

  /** Reads {@code dataPath} as the options say (as the warm-start model needs it, if any) and prepares it. */
  static PreparedData prepare(JavaSparkContext sc, Options options, TrainingPipeline pipeline, String dataPath,
      LinearClassifier warmStart) {
    return pipeline.read(dataPath, warmStart == null ? DataOptions.from(options, sc, null)
        : ModelInput.readOptionsFor(warmStart, options, sc));
  }

  /** Runs {@code training} with the metrics file of --metrics-file attached, if any. */
  static <T> T withMetricsFile(JavaSparkContext sc, Options options, TrainingConfig config, TrainingPipeline pipeline,
      java.util.function.Supplier<T> training) throws java.io.IOException {
    String metricsFile = options.optional("metrics-file");
    if (metricsFile == null) {
      return training.get();
    }
    try (MetricsFileWriter metrics = new MetricsFileWriter(metricsFile, sc.hadoopConfiguration(),
        config.logEvery())) {
      pipeline.listener(metrics);
      return training.get();
    }
  }

  /** Trains one model: {@code train} and {@code retrain}. */
  static LinearClassifier train(JavaSparkContext sc, Options options, TrainingConfig config, String command,
      String dataPath, LinearClassifier warmStart) throws Exception {
    TrainingPipeline pipeline = pipeline(sc, options, config, command, warmStart);
    try (PreparedData prepared = prepare(sc, options, pipeline, dataPath, warmStart)) {
      LinearClassifier model = withMetricsFile(sc, options, config, pipeline, () -> pipeline.train(prepared));
      writeReport(sc, options, model, prepared.data());
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
    Reports.write(Path.of(dir), options.flag("overwrite"), model, cm, onValidation ? "the validation split ("
        + data.validationRows() + " images)" : "the training images (there is no validation split)");
    LOG.info("report written to {}", Path.of(dir).resolve("index.html"));
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
}
