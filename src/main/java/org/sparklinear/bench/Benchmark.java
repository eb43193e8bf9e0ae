package org.sparklinear.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.data.DatasetReader;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ReadOptions;
import org.sparklinear.eval.BlockEvaluator;
import org.sparklinear.eval.ConfusionMatrix;
import org.sparklinear.linalg.Blas;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.train.DistributedObjective;
import org.sparklinear.train.StepMode;
import org.sparklinear.train.LocalObjective;
import org.sparklinear.loss.LossKind;
import org.sparklinear.optim.OptimizerKind;
import org.sparklinear.pipeline.PreparedData;
import org.sparklinear.pipeline.TrainingPipeline;
import org.sparklinear.train.Trainer;
import org.sparklinear.train.TrainingConfig;
import org.sparklinear.train.TrainingData;
import org.sparklinear.train.TrainingResult;
import org.sparklinear.train.Validation;

/**
 * {@code submit/bench.sh}: our trainer against Spark MLlib on the same cached, preprocessed data in one Spark session,
 * plus where our time goes. Writes {@code bench.json} and {@code bench.md}.
 *
 * <p>Usage: {@code Benchmark --data PATH --out DIR [--master local[2]] [--partitions N] [--repeats N]
 * [--target 0.38] [--sections all|ours,stepmode,localsteps,nospark,mllib-lr,mllib-sgd,profile,serving,scaling]
 * [--local-steps 4,8,16] [--profile-steps 200] [--gemm-seconds 3] [--include FILE]
 * [--train "train flags"]}
 *
 * <p>{@code --sections sizing} (never part of {@code all}: about 3 minutes) measures the step against K x D on
 * synthetic data and needs no {@code --data}: [--sizing-shapes 10x3072,...] [--sizing-batches 256,1024]
 * [--sizing-steps 15] [--sizing-seconds 8], see {@link SizingBenchmark}.
 *
 * <p>{@code --sections disk} (alone, never part of {@code all}: several minutes on CIFAR-10) trains in memory and
 * then, in a session whose storage memory is a third of the data, on disk, and writes {@code disk.json}:
 * [--disk-epochs 4] [--cache-share 0.33], see {@link DiskCacheBenchmark}.
 */
public final class Benchmark {
  private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
  private static final List<String> ALL = List.of("ours", "stepmode", "localsteps", "nospark", "mllib-lr",
      "mllib-sgd", "profile", "serving", "scaling");
  /** Sections that generate their own data: a run of only these needs no --data. */
  private static final Set<String> DATA_FREE = Set.of("sizing");

  private final JavaSparkContext sc;
  private final Map<String, String> args;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final double target;
  private final int repeats;
  private final int evalEvery;

  private Benchmark(JavaSparkContext sc, Map<String, String> args) {
    this.sc = sc;
    this.args = args;
    this.target = Double.parseDouble(args.getOrDefault("target", "0.38"));
    this.repeats = Integer.parseInt(args.getOrDefault("repeats", "3"));
    this.evalEvery = Integer.parseInt(args.getOrDefault("eval-every", "10"));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + argv[i]);
      }
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    if (args.getOrDefault("sections", "").equals("disk")) {
      // its own Spark sessions, one after the other: a small storage memory needs a SparkContext of its own
      Map<String, Object> disk = new DiskCacheBenchmark(args.get("data"), args.getOrDefault("master", "local[2]"),
          Integer.parseInt(args.getOrDefault("disk-epochs", "4")),
          Double.parseDouble(args.getOrDefault("cache-share", "0.33"))).run();
      Path out = Path.of(args.get("out"));
      Files.createDirectories(out);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("disk.json").toFile(), disk);
      LOG.info("wrote {}", out.resolve("disk.json"));
      return;
    }
    boolean dataFree = DATA_FREE.containsAll(Arrays.asList(args.getOrDefault("sections", "all").split(",")));
    if (!args.containsKey("out") || !args.containsKey("data") && !dataFree) {
      System.err.println("usage: Benchmark --data PATH --out DIR [--master local[2]] [--partitions N] [--repeats N]"
          + " [--target X] [--sections " + String.join(",", ALL) + ",sizing (alone: disk)] [--include FILE]");
      System.exit(2);
    }
    SparkConf conf = new SparkConf().setAppName("spark-linear-classifier bench")
        .setMaster(args.getOrDefault("master", "local[2]")).set("spark.ui.showConsoleProgress", "false")
        // a driver in a network of hosts (submit/bench-cluster.sh --sizing) gives its own address
        .setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      new Benchmark(sc, args).run();
    }
  }

  private void run() throws Exception {
    Set<String> sections = new LinkedHashSet<>(args.getOrDefault("sections", "all").equals("all") ? ALL
        : Arrays.asList(args.get("sections").split(",")));
    int partitions = Integer.parseInt(args.getOrDefault("partitions", Integer.toString(sc.defaultParallelism())));
    String data = args.get("data");
    Path out = Path.of(args.get("out"));
    Files.createDirectories(out);
    environment(partitions, data);
    if (sections.contains("sizing")) {
      put("sizing", sizing());
    }
    if (DATA_FREE.containsAll(sections)) {
      write(out);
      return;
    }

    // --train "--batch-size 512 --lr 0.05" tries other settings; by default both losses use the defaults
    List<String> extra = args.containsKey("train") ? Arrays.asList(args.get("train").trim().split("\\s+"))
        : List.of();
    TrainingConfig softmax = config("softmax", extra);
    TrainingConfig hinge = config("hinge", extra);
    try (PreparedData read = new TrainingPipeline(sc, softmax).read(data, readOptions(partitions))) {
      TrainingData prepared = read.data();
      long cached = StepProfiler.cachedBytes(sc, prepared.train()) + StepProfiler.cachedBytes(sc,
          prepared.validation());
      long floats = (prepared.trainRows() + prepared.validationRows()) * prepared.shape().features();
      put("cache", Map.of("bytes", cached, "rows", prepared.trainRows() + prepared.validationRows(),
          "bytesPerFloat", Stats.round(cached / (4.0 * floats), 4)));
      Validation validation = prepared.validation(sc);

      Map<String, Object> ours = new LinkedHashMap<>();
      long softmaxSteps = -1;
      TargetWatcher[] softmaxCurve = new TargetWatcher[1];
      if (sections.contains("ours")) {
        Map<String, Object> s = timeToTarget("softmax", softmax, prepared, validation, softmaxCurve);
        softmaxSteps = (long) s.get("stepsToTarget");
        ours.put("softmax", s);
        ours.put("hinge", timeToTarget("hinge", hinge, prepared, validation, new TargetWatcher[1]));
        put("ours", ours);
      }
      if (sections.contains("stepmode")) {
        Map<String, Object> modes = new LinkedHashMap<>();
        for (StepMode mode : List.of(StepMode.DRIVER, StepMode.JOBS)) {
          modes.put(mode.cliName(), timeToTarget("softmax, " + mode.cliName() + " mode",
              softmax.toBuilder().stepMode(mode).build(), prepared, validation, new TargetWatcher[1]));
        }
        put("stepMode", modes);
      }
      if (sections.contains("localsteps")) {
        // on a cluster a combination costs far more than here; local[2] in jobs mode is the lower bound of the gain
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("stepMode", StepMode.JOBS.cliName());
        for (String h : args.getOrDefault("local-steps", "4,8,16").split(",")) {
          local.put("H" + h, timeToTarget("softmax, " + h + " local steps",
              softmax.toBuilder().stepMode(StepMode.JOBS).localSteps(Integer.parseInt(h)).build(), prepared, validation,
              new TargetWatcher[1]));
        }
        put("localSteps", local);
      }
      if (sections.contains("nospark")) {
        put("noSpark", noSpark(softmax, prepared));
      }
      if (sections.contains("mllib-lr")) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        put("mllibLogisticRegression", MllibBaselines.logisticRegression(spark, prepared.train(),
            prepared.validation(), target, Integer.parseInt(args.getOrDefault("lr-max-iter", "150")),
            Integer.parseInt(args.getOrDefault("lr-best-iter", "50")), repeats));
      }
      if (sections.contains("mllib-sgd")) {
        // enough steps for a stable time per step; accuracy is compared with ours after as many steps
        int steps = (int) Math.min(300, Math.max(Integer.parseInt(args.getOrDefault("mllib-sgd-steps", "100")),
            softmaxSteps));
        Map<String, Object> sgd = MllibBaselines.miniBatchSgd(prepared.train(), prepared.validation(),
            prepared.classNames().size(), softmax.batchSize(), steps,
            Double.parseDouble(args.getOrDefault("mllib-sgd-step", "0.5")));
        if (softmaxCurve[0] != null) {
          sgd.put("oursAccuracyAfterSameSteps", softmaxCurve[0].accuracyAt(steps));
        }
        put("mllibMiniBatchSGD", sgd);
      }
      if (sections.contains("profile")) {
        profile(softmax, prepared);
      }
      if (sections.contains("serving")) {
        put("serving", serving(softmax, read));
      }
    }
    if (sections.contains("scaling")) {
      put("scaling", scaling(data, softmax));
    }
    if (args.containsKey("include") && new File(args.get("include")).isFile()) {
      put("javaBlas", new ObjectMapper().readValue(new File(args.get("include")), Map.class));
    }
    summarize();
    write(out);
  }

  private void write(Path out) throws java.io.IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    json.writeValue(out.resolve("bench.json").toFile(), results);
    Files.writeString(out.resolve("bench.md"), BenchReport.markdown(results), StandardCharsets.UTF_8);
    LOG.info("wrote {} and {}", out.resolve("bench.json"), out.resolve("bench.md"));
  }

  private Map<String, Object> sizing() {
    return new SizingBenchmark(SizingBenchmark.parseShapes(args.getOrDefault("sizing-shapes",
        SizingBenchmark.DEFAULT_SHAPES)), SizingBenchmark.parseBatches(args.getOrDefault("sizing-batches",
        SizingBenchmark.DEFAULT_BATCHES)), Integer.parseInt(args.getOrDefault("sizing-warmup", "2")),
        Integer.parseInt(args.getOrDefault("sizing-steps", "15")),
        Double.parseDouble(args.getOrDefault("sizing-seconds", "8")), 42).run(sc);
  }

  /** The defaults with the loss and the {@code --train "--option value ..."} settings over them. */
  private static TrainingConfig config(String loss, List<String> extra) {
    TrainingConfig.Builder b = TrainingConfig.builder().set("loss", loss);
    for (int i = 0; i + 1 < extra.size(); i += 2) {
      if (!extra.get(i).startsWith("--")) {
        throw new IllegalArgumentException("--train: expected --option value pairs, got '" + extra.get(i) + "'");
      }
      b.set(extra.get(i).substring(2), extra.get(i + 1));
    }
    if (extra.size() % 2 != 0) {
      throw new IllegalArgumentException("--train: " + extra.get(extra.size() - 1) + " needs a value");
    }
    return b.build();
  }

  private void environment(int partitions, String data) {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("date", Instant.now().toString());
    env.put("data", data);
    env.put("master", sc.master());
    env.put("partitions", partitions);
    env.put("cores", Runtime.getRuntime().availableProcessors());
    env.put("sparkVersion", sc.version());
    env.put("javaVersion", System.getProperty("java.version"));
    env.put("oursBlas", Blas.implementationName());
    env.put("mllibBlas", dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName());
    env.put("OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS")));
    env.put("OPENBLAS_NUM_THREADS", String.valueOf(System.getenv("OPENBLAS_NUM_THREADS")));
    env.put("target", target);
    env.put("repeats", repeats);
    put("environment", env);
  }

  private static ReadOptions readOptions(int partitions) {
    return new ReadOptions(null, partitions, null, 3, false, 40_000_000L, null);
  }

  /** One full-budget run (accuracy after the budget) and more runs that stop at the target; median time. */
  private Map<String, Object> timeToTarget(String name, TrainingConfig config, TrainingData data,
      Validation validation, TargetWatcher[] fullRun) {
    List<Double> times = new ArrayList<>();
    Map<String, Object> m = new LinkedHashMap<>();
    for (int r = 0; r < repeats; r++) {
      TargetWatcher watcher = new TargetWatcher(validation::accuracy, evalEvery, target, r > 0);
      TrainingResult result = new Trainer(config, watcher).train(sc, data);
      times.add(watcher.secondsToTarget());
      if (r == 0) {
        fullRun[0] = watcher;
        m.put("stepsToTarget", watcher.stepsToTarget());
        m.put("budgetEpochs", config.epochs());
        m.put("budgetSteps", result.steps());
        m.put("budgetSeconds", Stats.round(result.seconds(), 3));
        m.put("accuracyAfterBudget", result.validationAccuracy());
        m.put(config.localSteps() > 1 ? "roundMillis" : "stepMillis", Stats.round(watcher.medianStepMillis(), 3));
        m.put("curve", watcher.curve().stream().filter(p -> p.step() % (evalEvery * 10L) == 0)
            .map(p -> List.of(p.step(), Stats.round(p.seconds(), 3), p.accuracy())).toList());
      }
      LOG.info(String.format("ours %s run %d: %.2f s to %.2f", name, r + 1, watcher.secondsToTarget(), target));
    }
    m.put("secondsToTarget", Stats.median(times));
    m.put("secondsToTargetRuns", times);
    return m;
  }

  /**
   * Single-image latency of the Spark-free scorer on a raw-pixel model of this data (softmax, one epoch: the weights'
   * values do not change the work), over up to 1,000 of the raw images.
   */
  private Map<String, Object> serving(TrainingConfig config, PreparedData read) {
    TrainingData data = read.data();
    TrainingResult trained = new Trainer(config.toBuilder().set("epochs", "1").build()).train(sc, data);
    org.sparklinear.model.LinearClassifier model = new org.sparklinear.model.LinearClassifier(data.classNames(),
        data.shape(), data.preprocessor(), config.loss(), config.hingeDelta(), trained.weights(), null);
    List<org.sparklinear.data.LabeledImage> images = read.dataset().images().take(1000);
    Map<String, Object> m = ServingLatency.measure(model, images, 20_000,
        Integer.parseInt(args.getOrDefault("serving-predictions", "20000")));
    LOG.info("serving: single-image prediction p50 {} us, p99 {} us", m.get("singleImageP50Micros"),
        m.get("singleImageP99Micros"));
    return m;
  }

  /** The same training in this JVM without Spark: same kernels, same blocks, same steps. */
  private Map<String, Object> noSpark(TrainingConfig config, TrainingData data) {
    List<FeatureBlock> train = data.train().collect();
    List<FeatureBlock> val = data.validation().collect();
    int threads = train.size();
    Validation local = new Validation() {
      @Override
      public long rows() {
        return val.stream().mapToLong(FeatureBlock::rows).sum();
      }

      @Override
      public double accuracy(LinearWeights w) {
        ConfusionMatrix cm = new ConfusionMatrix(w.classes());
        for (FeatureBlock b : val) {
          cm.merge(BlockEvaluator.confusion(w, b));
        }
        return cm.accuracy();
      }
    };
    List<Double> times = new ArrayList<>();
    double stepMillis = Double.NaN;
    try (LocalObjective objective = new LocalObjective(train, new BlockObjective(config.createLoss()), threads)) {
      LinearWeights start = Trainer.initialWeights(data.classNames().size(), data.features(),
          config.initScale(), config.seed());
      for (int r = 0; r < repeats; r++) {
        TargetWatcher watcher = new TargetWatcher(local::accuracy, evalEvery, target, true);
        new Trainer(config, watcher).train(objective, local, start);
        times.add(watcher.secondsToTarget());
        if (r == 0) {
          stepMillis = watcher.medianStepMillis();
        }
        LOG.info(String.format("no Spark run %d: %.2f s to %.2f", r + 1, watcher.secondsToTarget(), target));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("threads", threads);
    m.put("secondsToTarget", Stats.median(times));
    m.put("secondsToTargetRuns", times);
    m.put("stepMillis", Stats.round(stepMillis, 3));
    return m;
  }

  private void profile(TrainingConfig config, TrainingData data) throws Exception {
    DistributedObjective objective = new DistributedObjective(sc, data.train(), data.trainRows(),
        new BlockObjective(config.createLoss()), config.treeDepth());
    LinearWeights start = Trainer.initialWeights(data.classNames().size(), data.features(),
        config.initScale(), config.seed());
    int steps = Integer.parseInt(args.getOrDefault("profile-steps", "200"));
    StepProfiler.stepBreakdown(sc, objective, data.train(), config, start, 20); // warm-up
    long heap0 = StepProfiler.usedHeapAfterGc();
    Map<String, Object> breakdown = StepProfiler.stepBreakdown(sc, objective, data.train(), config, start, steps);
    long heap1 = StepProfiler.usedHeapAfterGc();
    StepProfiler.stepBreakdown(sc, objective, data.train(), config, start, steps);
    long heap2 = StepProfiler.usedHeapAfterGc();
    // Spark's UI keeps the last 1000 jobs' records (spark.ui.retainedJobs), so the heap may rise before it levels off
    breakdown.put("driverHeapMB", List.of(Stats.round(heap0 / 1e6, 1), Stats.round(heap1 / 1e6, 1),
        Stats.round(heap2 / 1e6, 1)));
    breakdown.put("driverHeapGrowthMBPer1000Steps", Stats.round((heap2 - heap1) / 1e6 / steps * 1000, 2));
    put("stepBreakdown", breakdown);
    Map<String, Object> floor = new LinkedHashMap<>();
    floor.put("emptyJobMillis", breakdown.remove("floorEmptyJobMillis"));
    floor.put("broadcastCollectMillis", breakdown.remove("floorBroadcastCollectMillis"));
    floor.put("overheadBeyondFloorMillis", Stats.round(number("stepBreakdown.overheadMillis")
        - (double) floor.get("broadcastCollectMillis"), 3));
    put("floor", floor);
    put("fullPass", StepProfiler.fullPass(objective, start, 5));
    double gemmSeconds = Double.parseDouble(args.getOrDefault("gemm-seconds", "3"));
    put("gemm", StepProfiler.gemmRate(data.classNames().size(), data.features(),
        data.train().getNumPartitions(), gemmSeconds));
    // the machine's own parallel speed-up on these shapes: the ceiling for adding partitions
    Map<String, Object> single = StepProfiler.gemmRate(data.classNames().size(), data.features(), 1,
        gemmSeconds);
    put("gemmOneThread", single);
    if (results.get("gemm") instanceof Map<?, ?> g) {
      map(g).put("speedupOverOneThread", Stats.round(number("gemm.gflops") / number("gemmOneThread.gflops"), 3));
    }
  }

  /** Time per epoch for growing data and for 1, 2 and 4 partitions. */
  private Map<String, Object> scaling(String data, TrainingConfig config) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> rows = new ArrayList<>();
    int defaultPartitions = sc.defaultParallelism();
    for (long images : List.of(10_000L, 25_000L, 50_000L)) {
      rows.add(epochTime(data, config, images, defaultPartitions));
    }
    for (int partitions : List.of(1, 2, 4)) {
      rows.add(epochTime(data, config, 50_000L, partitions));
    }
    m.put("epochs", rows);
    return m;
  }

  private Map<String, Object> epochTime(String data, TrainingConfig config, long images, int partitions) {
    ImageDataset full = new DatasetReader(sc).read(data, readOptions(partitions));
    long limit = images;
    ImageDataset subset = new ImageDataset(full.images().filter(img -> globalIndex(img.source()) < limit),
        full.classNames(), full.shape(), Math.min(images, full.records()), full.skippedBadImages(),
        full.description());
    TrainingConfig oneEpoch = config.toBuilder().epochs(1).maxSteps(0).validationFraction(0).partitions(partitions)
        .patience(0).logEvery(1_000_000).optimizer(OptimizerKind.SGD).l1(0).amScale(LossKind.AM_SCALE)
        .amMargin(LossKind.AM_MARGIN).build();
    try (PreparedData read = new TrainingPipeline(sc, oneEpoch).prepare(subset, data)) {
      TrainingData prepared = read.data();
      ComputeClock clock = new ComputeClock(Runtime.getRuntime().availableProcessors());
      new Trainer(oneEpoch).train(sc, prepared); // warm-up
      DistributedObjective objective = new DistributedObjective(sc, prepared.train(), prepared.trainRows(),
          new BlockObjective(oneEpoch.createLoss()), oneEpoch.treeDepth());
      List<Double> seconds = new ArrayList<>();
      List<Double> compute = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        clock.reset();
        long t0 = System.nanoTime();
        new Trainer(oneEpoch).train(clock.wrap(objective, partitions), Validation.NONE, Trainer.initialWeights(
            prepared.classNames().size(), prepared.shape().features(), config.initScale(), config.seed()));
        seconds.add((System.nanoTime() - t0) / 1e9);
        compute.add(clock.seconds());
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("images", prepared.trainRows());
      m.put("partitions", prepared.train().getNumPartitions());
      m.put("epochSeconds", Stats.round(Stats.median(seconds), 3));
      m.put("computeSeconds", Stats.round(Stats.median(compute), 3));
      LOG.info("scaling: {}", m);
      return m;
    }
  }

  /** Record index over the concatenated CIFAR files ({@code data_batch_N.bin#i}), for taking the first n images. */
  static long globalIndex(String source) {
    int hash = source.lastIndexOf('#');
    long inFile = Long.parseLong(source.substring(hash + 1));
    String name = source.substring(0, hash);
    String digits = name.replaceAll("\\D+", "");
    long file = digits.isEmpty() ? 1 : Long.parseLong(digits);
    return (file - 1) * 10_000 + inFile;
  }

  private void summarize() {
    Map<String, Object> ttt = new LinkedHashMap<>();
    double ours = number("ours.softmax.secondsToTarget");
    double lr = number("mllibLogisticRegression.secondsToTarget");
    ttt.put("ours", ours);
    ttt.put("mllibLogisticRegression", lr);
    ttt.put("speedup", Stats.round(lr / ours, 3));
    put("timeToTarget", ttt);
    Map<String, Object> step = new LinkedHashMap<>();
    double ourStep = number("stepBreakdown.stepMillis");
    if (Double.isNaN(ourStep)) {
      ourStep = number("ours.softmax.stepMillis");
    }
    double sgdStep = number("mllibMiniBatchSGD.stepMillis");
    step.put("ours", ourStep);
    step.put("mllibMiniBatchSGD", sgdStep);
    step.put("speedup", Stats.round(sgdStep / ourStep, 3));
    put("stepTime", step);
    if (results.get("fullPass") instanceof Map<?, ?> fp) {
      map(fp).put("gemmGflops", number("gemm.gflops"));
      map(fp).put("gemmFraction", Stats.round(number("fullPass.gflops") / number("gemm.gflops"), 3));
    }
    if (results.get("noSpark") instanceof Map<?, ?> ns) {
      map(ns).put("oursSecondsToTarget", ours);
      map(ns).put("ratio", Stats.round(ours / number("noSpark.secondsToTarget"), 3));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private void put(String key, Object value) {
    results.put(key, value);
  }

  /** A number at a dotted path of the results, NaN when absent. */
  double number(String path) {
    return BenchReport.get(results, path) instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
