package org.sparklinear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.data.DatasetReader;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.features.FeatureTransform;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.GradientCheck;
import org.sparklinear.preprocess.FeatureStatistics;
import org.sparklinear.preprocess.Preprocessor;
import org.sparklinear.train.BlockPacker;
import org.sparklinear.train.FeatureStage;
import org.sparklinear.train.ValidationSplit;
import org.sparklinear.train.TrainingConfig;

/**
 * {@code gradcheck}: the analytic gradient of a loss (with the configured penalties) against centred differences on a
 * small sample, real (the first rows of {@code --data}, preprocessed as training would) or random, printing the worst
 * relative error per parameter block. The notes' reading: below 1e-7 is right, up to 1e-4 look closer (kinks of the
 * hinge losses), above 1e-2 the gradient is wrong.
 */
final class GradCheckCommand implements Command {
  private static final double STEP = 1e-5;
  /** Relative errors above this mean a wrong gradient (exit code 1), as the notes put it. */
  static final double WRONG = 1e-2;
  private final PrintStream stdout;

  GradCheckCommand(PrintStream stdout) {
    this.stdout = stdout;
  }

  @Override
  public String name() {
    return "gradcheck";
  }

  @Override
  public String summary() {
    return "compare a loss's analytic gradient with centred differences on a small sample";
  }

  @Override
  public List<String> options() {
    List<String> all = new java.util.ArrayList<>(DataOptions.NAMES);
    all.addAll(List.of("loss", "hinge-delta", "am-scale", "am-margin", "reg", "l1", "scaling", "features",
        "random-features", "gradcheck-rows", "gradcheck-params", "seed", "json", "master"));
    return all;
  }

  @Override
  public List<String> requiredOptions() {
    return List.of();
  }

  @Override
  public int run(Options options) throws Exception {
    TrainingConfig config = TrainCommand.config(options);
    int rows = options.integer("gradcheck-rows");
    int params = options.integer("gradcheck-params");
    if (rows < 1 || params < 1) {
      throw new UsageException("--gradcheck-rows and --gradcheck-params must be at least 1");
    }
    String data = options.optional("data");
    FeatureBlock block = data == null ? randomBlock(rows, config.seed()) : sample(options, config, data, rows);
    int classes = classesOf(block, data == null ? 10 : -1);
    LinearWeights w = LinearWeights.zeros(classes, block.features());
    SplittableRandom random = new SplittableRandom(config.seed());
    // templates of length about 0.6 whatever the width: scores of order 1, and cosine losses far from |w| = 0,
    // where their curvature would swamp the centred difference
    double scale = 1 / Math.sqrt(block.features());
    for (int i = 0; i < w.parameters().length; i++) {
      w.parameters()[i] = scale * (random.nextDouble() * 2 - 1);
    }
    GradientCheck.Result result = GradientCheck.check(new BlockObjective(config.createLoss()),
        config.createRegularization(), w, block, params, STEP, config.seed());
    String verdict = result.worst() < GradientCheck.GOOD ? "ok" : result.worst() <= WRONG ? "check" : "wrong";
    if (options.flag("json")) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("loss", config.loss().cliName());
      json.put("rows", block.rows());
      json.put("features", block.features());
      json.put("classes", classes);
      json.put("blocks", List.of(result.weights(), result.biases()));
      json.put("verdict", verdict);
      stdout.println(new ObjectMapper().writeValueAsString(json));
    } else {
      stdout.printf("gradient check of %s with reg %s, l1 %s: %d %s rows x %d features, %d classes, h = %s%n",
          config.loss().cliName(), config.regularization(), config.l1(), block.rows(),
          data == null ? "random" : "preprocessed", block.features(), classes, STEP);
      stdout.printf("%-5s %8s %22s %10s %16s %16s%n", "block", "checked", "worst relative error", "at", "analytic",
          "numeric");
      for (GradientCheck.BlockResult b : List.of(result.weights(), result.biases())) {
        stdout.printf("%-5s %8d %22.3e %10s %16.8e %16.8e%n", b.block(), b.checked(), b.worstRelativeError(),
            position(b, w), b.analytic(), b.numeric());
      }
      stdout.println(switch (verdict) {
        case "ok" -> "ok: every relative error is below " + GradientCheck.GOOD;
        case "check" -> "check: errors above " + GradientCheck.GOOD + " (hinge kinks near the sample can cause this;"
            + " rerun with another --seed)";
        default -> "wrong: relative errors above " + WRONG + " mean the analytic gradient is wrong";
      });
    }
    stdout.flush();
    return verdict.equals("wrong") ? ExitCode.FAILURE : ExitCode.OK;
  }

  private static String position(GradientCheck.BlockResult b, LinearWeights w) {
    if (b.worstIndex() < 0) {
      return "-";
    }
    int i = b.worstIndex();
    return i < w.biasOffset() ? "[" + i / w.features() + "," + i % w.features() + "]"
        : "[" + (i - w.biasOffset()) + "]";
  }

  private static int classesOf(FeatureBlock block, int fixed) {
    if (fixed > 0) {
      return fixed;
    }
    int max = 0;
    for (int r = 0; r < block.rows(); r++) {
      max = Math.max(max, block.label(r));
    }
    return max + 1;
  }

  /** 10 classes of 50 Gaussian features. */
  private static FeatureBlock randomBlock(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] values = new float[rows * 50];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (r.nextDouble() * 2 - 1);
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = r.nextInt(10);
    }
    return new FeatureBlock(0, rows, 50, values, labels);
  }

  /** The sample through --features and --random-features, fitted on the sample itself as training would. */
  private static List<LabeledImage> features(JavaSparkContext sc, Options options, TrainingConfig config,
      ImageDataset dataset, List<LabeledImage> sample) {
    FeatureTransform transform;
    try {
      transform = FeatureTransform.parse(options.string("features"), options.integer("random-features"),
          config.seed());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ImageDataset rows = new ImageDataset(sc.parallelize(sample, 1), dataset.classNames(), dataset.shape(),
        sample.size(), dataset.skippedBadImages(), "the sample");
    FeatureTransform fitted = FeatureStage.fit(rows, transform, new ValidationSplit(config.seed(), 0));
    return FeatureStage.apply(rows, fitted).images().collect();
  }

  /** The first rows of the data, through the features and preprocessed with statistics fitted on them. */
  private FeatureBlock sample(Options options, TrainingConfig config, String data, int rows) {
    try (JavaSparkContext sc = SparkContexts.start(name(), options)) {
      ImageDataset dataset = new DatasetReader(sc).read(data, DataOptions.from(options, sc, null));
      List<LabeledImage> first = features(sc, options, config, dataset, dataset.images().take(rows));
      FeatureStatistics stats = new FeatureStatistics(first.get(0).length());
      first.forEach(stats::add);
      Preprocessor preprocessor = Preprocessor.fit(stats, config.scaling());
      Iterator<LabeledImage> it = first.iterator();
      return BlockPacker.packPartition(0, it, preprocessor, preprocessor.features());
    }
  }
}
