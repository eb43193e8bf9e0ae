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
import org.sparklinear.loss.LossKind;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;
import org.sparklinear.preprocess.Scaling;
import org.sparklinear.train.CheckpointStore;
import org.sparklinear.train.EpochRecord;
import org.sparklinear.train.MetricsFileWriter;
import org.sparklinear.train.Trainer;
import org.sparklinear.train.TrainingConfig;
import org.sparklinear.train.TrainingData;
import org.sparklinear.train.TrainingListener;
import org.sparklinear.train.TrainingResult;
import org.sparklinear.train.ValidationSplit;

/** {@code train}: read images, fit preprocessing, train with distributed SGD, save the model. */
final class TrainCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);
  static final List<String> TRAINING_OPTIONS = List.of("loss", "hinge-delta", "epochs", "max-steps", "batch-size",
      "lr", "lr-decay", "reg", "momentum", "nesterov", "seed", "val-fraction", "patience", "tree-depth", "init-scale",
      "scaling", "log-every");

  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "train a classifier on images and save it as a model directory";
  }

  @Override
  public List<String> options() {
    List<String> all = new ArrayList<>(DataOptions.NAMES);
    all.add("model-out");
    all.add("overwrite");
    all.addAll(TRAINING_OPTIONS);
    all.add("checkpoint-dir");
    all.add("checkpoint-every");
    all.add("metrics-file");
    all.add("master");
    return all;
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("data", "model-out");
  }

  static TrainingConfig config(Options o) {
    try {
      LossKind loss = LossKind.fromName(o.string("loss"));
      double lr = o.string("lr").trim().equals("auto") ? loss.defaultLearningRate() : o.decimal("lr");
      return new TrainingConfig(loss, o.decimal("hinge-delta"), o.integer("epochs"),
          o.longValue("max-steps"), o.integer("batch-size"), lr, o.string("lr-decay"), o.decimal("reg"),
          o.decimal("momentum"), o.flag("nesterov"), o.longValue("seed"), o.decimal("val-fraction"),
          o.integer("partitions"), o.integer("tree-depth"), o.integer("patience"), o.decimal("init-scale"),
          Scaling.fromName(o.string("scaling")), o.integer("log-every"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  @Override
  public int run(Options options) throws Exception {
    String dataPath = options.required("data");
    String modelOut = options.required("model-out");
    boolean overwrite = options.flag("overwrite");
    TrainingConfig config = config(options);
    LOG.info("train configuration: {}", options.asMap());
    try (JavaSparkContext sc = SparkContexts.start(name(), options)) {
      ModelStore store = new ModelStore(sc.hadoopConfiguration());
      store.checkWritable(modelOut, overwrite); // fail now, not after an hour of training
      ImageDataset dataset = new DatasetReader(sc).read(dataPath, DataOptions.from(options, sc, null));
      LOG.info("reading {}: {}, images {}, classes {}", dataPath, dataset.description(), dataset.shape(),
          dataset.classNames());
      ValidationSplit split = new ValidationSplit(config.seed(), config.validationFraction());
      try (TrainingData data = TrainingData.prepare(sc, dataset, split, config.scaling(), null)) {
        String metricsFile = options.optional("metrics-file");
        MetricsFileWriter metrics = metricsFile == null ? null
            : new MetricsFileWriter(metricsFile, sc.hadoopConfiguration(), config.logEvery());
        Trainer trainer = new Trainer(config, metrics == null ? TrainingListener.NONE : metrics);
        String checkpointDir = options.optional("checkpoint-dir");
        if (checkpointDir != null) {
          int every = options.integer("checkpoint-every");
          if (every < 1) {
            throw new UsageException("--checkpoint-every must be at least 1, got " + every);
          }
          trainer.withCheckpoints(new CheckpointStore(checkpointDir, sc.hadoopConfiguration()), every,
              data.fingerprint());
        }
        TrainingResult result;
        try {
          result = trainer.train(sc, data);
        } finally {
          if (metrics != null) {
            metrics.close();
          }
        }
        Map<String, Object> metadata = metadata(options, config, dataPath, dataset, data, result, sc);
        LinearClassifier model = new LinearClassifier(data.classNames(), data.shape(), data.preprocessor(),
            config.loss(), config.hingeDelta(), result.weights(), metadata);
        store.write(model, modelOut, overwrite);
        LOG.info("model written to {}", modelOut);
      }
    }
    return ExitCode.OK;
  }

  private static Map<String, Object> metadata(Options options, TrainingConfig config, String dataPath,
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

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
