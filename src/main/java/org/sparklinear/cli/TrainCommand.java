package org.sparklinear.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.io.OutputKind;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;
import org.sparklinear.train.TrainingConfig;

/** {@code train}: read images, fit preprocessing, train with distributed SGD, save the model. */
final class TrainCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);
  static final List<String> TRAINING_OPTIONS = List.of("loss", "hinge-delta", "am-scale", "am-margin", "epochs", "max-steps", "batch-size",
      "lr", "lr-decay", "optimizer", "reg", "l1", "momentum", "nesterov", "seed", "val-fraction", "patience", "tree-depth", "step-mode", "local-steps",
      "average", "cache", "mirror",
      "init-scale",
      "scaling", "features", "random-features", "log-every");

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
    all.add("report");
    all.add("master");
    return all;
  }

  @Override
  public Map<String, OutputKind> outputOptions() {
    return Map.of("model-out", OutputKind.MODEL, "checkpoint-dir", OutputKind.CHECKPOINTS, "metrics-file",
        OutputKind.METRICS_FILE, "report", OutputKind.REPORT);
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("data", "model-out");
  }

  /** The training configuration of a command's options (those it declares; the rest keep their defaults). */
  static TrainingConfig config(Options o) {
    return build(builder(o, List.of()));
  }

  /** A builder filled from the options the command declares, except {@code skipped}. */
  static TrainingConfig.Builder builder(Options o, List<String> skipped) {
    TrainingConfig.Builder b = TrainingConfig.builder();
    try {
      for (String option : TrainingConfig.OPTIONS) {
        if (o.declares(option) && !skipped.contains(option)) {
          b.set(option, o.string(option));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return b;
  }

  /** Builds, reporting an out-of-range value as a usage error. */
  static TrainingConfig build(TrainingConfig.Builder b) {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  @Override
  public int run(Options options) throws Exception {
    String modelOut = options.required("model-out");
    boolean overwrite = options.flag("overwrite");
    TrainingConfig config = config(options);
    LOG.info("train configuration: {}", options.asMap());
    try (JavaSparkContext sc = SparkContexts.start(name(), options)) {
      ModelStore store = new ModelStore(sc.hadoopConfiguration());
      store.checkWritable(modelOut, overwrite); // fail now, not after an hour of training
      LinearClassifier model = ModelTraining.train(sc, options, config, name(), options.required("data"), null);
      store.write(model, modelOut, overwrite);
      LOG.info("model written to {}", modelOut);
    }
    return ExitCode.OK;
  }
}
