package org.sparklinear.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.io.OutputKind;
import org.sparklinear.eval.BlockEvaluator;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.LossKind;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.model.ModelStore;
import org.sparklinear.pipeline.PreparedData;
import org.sparklinear.pipeline.TrainingPipeline;
import org.sparklinear.train.ModelStack;
import org.sparklinear.train.SettingSearch;
import org.sparklinear.train.TrainingConfig;
import org.sparklinear.train.TrainingData;
import org.sparklinear.train.TrainingResult;

/**
 * {@code sweep --lr a,b,c --reg x,y}: trains every combination together as one stack of models (one broadcast, one
 * pass over each partition and one aggregation per step for all of them), scores each on the validation split,
 * prints the table on stdout and saves the best model, whose metadata keeps the whole table.
 */
final class SweepCommand implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(SweepCommand.class);
  private final PrintStream stdout;

  SweepCommand(PrintStream stdout) {
    this.stdout = stdout;
  }

  @Override
  public String name() {
    return "sweep";
  }

  @Override
  public String summary() {
    return "train a grid of learning rates x L2 strengths in one pass per step and keep the best";
  }

  @Override
  public List<String> options() {
    List<String> all = new ArrayList<>(DataOptions.NAMES);
    all.addAll(List.of("model-out", "overwrite"));
    all.addAll(TrainCommand.TRAINING_OPTIONS);
    all.addAll(List.of("metrics-file", "report", "master"));
    return all;
  }

  @Override
  public Map<String, OutputKind> outputOptions() {
    return Map.of("model-out", OutputKind.MODEL, "metrics-file", OutputKind.METRICS_FILE, "report", OutputKind.REPORT);
  }

  @Override
  public List<String> requiredOptions() {
    return List.of("data", "model-out");
  }

  @Override
  public int run(Options options) throws Exception {
    LossKind loss;
    try {
      loss = LossKind.fromName(options.string("loss"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    double[] rates = list(options.string("lr"), "lr", loss.defaultLearningRate());
    double[] strengths = list(options.string("reg"), "reg", Double.NaN);
    int models = rates.length * strengths.length;
    double[] modelRates = new double[models];
    double[] modelStrengths = new double[models];
    for (int i = 0; i < rates.length; i++) {
      for (int j = 0; j < strengths.length; j++) {
        modelRates[i * strengths.length + j] = rates[i];
        modelStrengths[i * strengths.length + j] = strengths[j];
      }
    }
    TrainingConfig config = singleConfig(options, max(rates));
    if (config.validationFraction() == 0) {
      throw new UsageException("a sweep compares models on the validation split: --val-fraction must be above 0");
    }
    String modelOut = options.required("model-out");
    boolean overwrite = options.flag("overwrite");
    LOG.info("sweep of {} models: lr {} x reg {}", models, java.util.Arrays.toString(rates),
        java.util.Arrays.toString(strengths));
    try (JavaSparkContext sc = SparkContexts.start(name(), options)) {
      ModelStore store = new ModelStore(sc.hadoopConfiguration());
      store.checkWritable(modelOut, overwrite);
      TrainingPipeline pipeline = ModelTraining.pipeline(sc, options, config, name(), null);
      try (PreparedData prepared = ModelTraining.prepare(sc, options, pipeline, options.required("data"), null)) {
        TrainingData data = prepared.data();
        ModelStack stack = new ModelStack(data.classNames().size(), modelRates, modelStrengths);
        TrainingPipeline.StackResult stacked = ModelTraining.withMetricsFile(sc, options, config, pipeline,
            () -> pipeline.trainStack(prepared, stack));
        TrainingResult result = stacked.result();
        sc.setJobDescription("scoring the " + models + " models on the validation split");
        double[] accuracy = BlockEvaluator.evaluateStack(sc, data.validation(), result.weights(), models);
        int best = 0;
        List<ModelMetadata.SweepModel> table = new ArrayList<>();
        stdout.printf("%-12s %-12s %s%n", "lr", "reg", "validation accuracy");
        for (int m = 0; m < models; m++) {
          best = accuracy[m] > accuracy[best] ? m : best;
          stdout.printf("%-12s %-12s %.4f%n", modelRates[m], modelStrengths[m], accuracy[m]);
          table.add(new ModelMetadata.SweepModel(modelRates[m], modelStrengths[m], accuracy[m]));
        }
        printGrid(rates, strengths, accuracy);
        stdout.printf("best: lr %s reg %s, validation accuracy %.4f, written to %s%n", modelRates[best],
            modelStrengths[best], accuracy[best], modelOut);
        stdout.flush();

        LinearWeights trained = stack.slice(result.weights(), best);
        SettingSearch.MirrorChoice mirror = pipeline.mirror(prepared, stacked.config().toBuilder()
            .learningRate(modelRates[best]).regularization(modelStrengths[best]).build(), trained);
        TrainingConfig bestConfig = mirror.config();
        double kept = mirror.weights() == trained ? accuracy[best]
            : BlockEvaluator.evaluate(sc, data.validation(), mirror.weights()).accuracy();
        ModelMetadata.Metrics shared = stacked.metadata().metrics();
        // the stack's history is of every model at once, not of this one
        ModelMetadata metadata = stacked.metadata().withSweep(bestConfig.toOptions(), new ModelMetadata.Metrics(
            kept, data.validationRows(), data.trainRows(), null, null, shared.steps(), shared.epochs(),
            shared.stoppedEarly(), shared.trainingSeconds()), new ModelMetadata.Sweep(table, best, boxed(rates),
            boxed(strengths)));
        if (mirror.choice() != null) {
          metadata = metadata.withChoice(mirror.choice());
        }
        LinearClassifier model = TrainingPipeline.model(prepared, bestConfig, mirror.weights(), metadata);
        store.write(model, modelOut, overwrite);
        ModelTraining.writeReport(sc, options, model, data);
      }
    }
    return ExitCode.OK;
  }

  /**
   * The accuracies as a grid, learning rates down and L2 strengths across, each cell shaded by where it lies between
   * the worst and the best ({@code .:-=+*#%@}): a heat map for the terminal. The PNG one is in the report.
   */
  private void printGrid(double[] rates, double[] strengths, double[] accuracy) {
    String shades = " .:-=+*#%@";
    double min = java.util.Arrays.stream(accuracy).min().orElse(0);
    double max = java.util.Arrays.stream(accuracy).max().orElse(1);
    StringBuilder header = new StringBuilder(String.format("%-12s", "lr \\ reg"));
    for (double reg : strengths) {
      header.append(String.format(" %-10s", reg));
    }
    stdout.println(header.toString().stripTrailing());
    for (int i = 0; i < rates.length; i++) {
      StringBuilder row = new StringBuilder(String.format("%-12s", rates[i]));
      for (int j = 0; j < strengths.length; j++) {
        double a = accuracy[i * strengths.length + j];
        int shade = max > min ? (int) Math.round((a - min) / (max - min) * (shades.length() - 1)) : shades.length() - 1;
        row.append(String.format(" %.4f %c   ", a, shades.charAt(shade)));
      }
      stdout.println(row.toString().stripTrailing());
    }
  }

  /** The training configuration of one model: the given rate and L2 strength, every other option as given. */
  private static TrainingConfig singleConfig(Options options, double rate, double... l2) {
    return TrainCommand.build(TrainCommand.builder(options, List.of("lr", "reg")).learningRate(rate)
        .regularization(l2.length == 0 ? 0 : l2[0]));
  }

  private static double[] list(String text, String option, double auto) {
    String[] parts = text.split(",");
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].trim();
      try {
        values[i] = p.equals("auto") && !Double.isNaN(auto) ? auto : Double.parseDouble(p);
      } catch (NumberFormatException e) {
        throw new UsageException("--" + option + ": '" + p + "' is not a number (give a comma-separated list)");
      }
      if (!(values[i] >= 0) || Double.isInfinite(values[i]) || (option.equals("lr") && values[i] == 0)) {
        throw new UsageException("--" + option + ": " + p + " is out of range");
      }
    }
    return values;
  }

  private static List<Double> boxed(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }

  private static double max(double[] values) {
    double m = values[0];
    for (double v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
