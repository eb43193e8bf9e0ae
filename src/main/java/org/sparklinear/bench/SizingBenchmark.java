package org.sparklinear.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.train.DistributedObjective;
import org.sparklinear.train.StepMode;
import org.sparklinear.train.Trainer;
import org.sparklinear.train.TrainingConfig;

/**
 * The benchmark's {@code sizing} section: what a {@code jobs}-mode step costs as the model grows, on dense synthetic
 * rows generated in Spark (the values do not change the work), split by {@link StepProfiler} into compute, broadcast
 * and aggregation, with the driver's heap; then the {@link CostModel} fitted to those steps.
 *
 * @param shapes K x D pairs, as {@code {classes, features}}
 * @param batches batch sizes, each run on every shape
 * @param warmupSteps untimed steps per batch size (JIT, broadcast paths)
 * @param maxSteps timed steps per batch size at most
 * @param secondsPerPoint fewer timed steps (at least 3) where the warm-up shows that a step is slow, so that the
 *     largest shapes do not dominate the section's time
 */
record SizingBenchmark(List<int[]> shapes, List<Integer> batches, int warmupSteps, int maxSteps,
    double secondsPerPoint, long seed) {
  private static final Logger LOG = LoggerFactory.getLogger(SizingBenchmark.class);
  static final String DEFAULT_SHAPES = "10x3072,100x3072,1000x3072,10x20000,100x20000,1000x20000";
  static final String DEFAULT_BATCHES = "256,1024";

  /** {@code "10x3072,100x20000"} as K x D pairs. */
  static List<int[]> parseShapes(String spec) {
    List<int[]> shapes = new ArrayList<>();
    for (String s : spec.split(",")) {
      String[] kd = s.trim().split("x");
      if (kd.length != 2) {
        throw new IllegalArgumentException("--sizing-shapes: expected CLASSESxFEATURES, got '" + s + "'");
      }
      shapes.add(new int[] {Integer.parseInt(kd[0]), Integer.parseInt(kd[1])});
    }
    return shapes;
  }

  static List<Integer> parseBatches(String spec) {
    return java.util.Arrays.stream(spec.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  Map<String, Object> run(JavaSparkContext sc) {
    int partitions = sc.defaultParallelism();
    int rows = 2 * batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
    List<Map<String, Object>> table = new ArrayList<>();
    List<CostModel.Point> points = new ArrayList<>();
    HeapSampler heap = new HeapSampler();
    try {
      for (int[] shape : shapes) {
        int classes = shape[0];
        int features = shape[1];
        JavaRDD<FeatureBlock> blocks = syntheticBlocks(sc, partitions, rows, classes, features, seed);
        try {
          for (int batch : batches) {
            Map<String, Object> row = measure(sc, blocks, rows, classes, features, batch, heap);
            table.add(row);
            if (row.get("stepMillis") instanceof Double ms) {
              points.add(new CostModel.Point(batch, classes, features, ms));
            }
          }
        } finally {
          blocks.unpersist(true);
        }
      }
    } finally {
      heap.close();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("master", sc.master());
    m.put("partitions", partitions);
    m.put("rows", rows);
    m.put("stepMode", StepMode.JOBS.cliName());
    m.put("maxHeapMB", Stats.round(Runtime.getRuntime().maxMemory() / 1e6, 1));
    m.put("peakUsedHeapMB", Stats.round(heap.peakBytes() / 1e6, 1));
    m.put("table", table);
    if (points.size() >= 3) {
      CostModel model = CostModel.fit(points);
      m.put("model", Map.of("latencyMillis", Stats.round(model.latencyMillis(), 3),
          "nanosPerRowWeight", Stats.round(model.millisPerRowWeight() * 1e6, 6),
          "nanosPerWeight", Stats.round(model.millisPerWeight() * 1e6, 4)));
      for (Map<String, Object> row : table) {
        if (row.get("stepMillis") instanceof Double ms) {
          double predicted = model.predictMillis((int) row.get("batch"), (int) row.get("classes"),
              (int) row.get("features"));
          row.put("predictedMillis", Stats.round(predicted, 3));
          row.put("measuredOverPredicted", Stats.round(ms / predicted, 3));
          if (points.size() >= 4) {
            // a prediction the point itself did not shape: the honest test of the model for the largest shape
            int batch = (int) row.get("batch");
            int classes = (int) row.get("classes");
            int features = (int) row.get("features");
            List<CostModel.Point> others = points.stream().filter(p -> p.batch() != batch || p.classes() != classes
                || p.features() != features).toList();
            try {
              double heldOut = CostModel.fit(others).predictMillis(batch, classes, features);
              row.put("measuredOverPredictedHeldOut", Stats.round(ms / heldOut, 3));
            } catch (IllegalArgumentException e) {
              row.put("measuredOverPredictedHeldOut", null); // the other points do not determine the model
            }
          }
        }
      }
    }
    return m;
  }

  private Map<String, Object> measure(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, long rows, int classes,
      int features, int batch, HeapSampler heap) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("classes", classes);
    row.put("features", features);
    row.put("batch", batch);
    row.put("weightsMB", Stats.round(8.0 * LinearWeights.parameterCount(classes, features) / 1e6, 1));
    try {
      TrainingConfig config = TrainingConfig.builder().batchSize(batch).stepMode(StepMode.JOBS).seed(seed).build();
      DistributedObjective objective = new DistributedObjective(sc, blocks, rows,
          new BlockObjective(config.createLoss()), config.treeDepth());
      LinearWeights start = Trainer.initialWeights(classes, features, config.initScale(), seed);
      long t0 = System.nanoTime();
      StepProfiler.stepBreakdown(sc, objective, blocks, config, start, warmupSteps, false);
      double warmupStepSeconds = (System.nanoTime() - t0) / 1e9 / warmupSteps;
      int steps = (int) Math.max(3, Math.min(maxSteps, secondsPerPoint / warmupStepSeconds));
      ResultBytes resultBytes = new ResultBytes();
      sc.sc().addSparkListener(resultBytes);
      Map<String, Object> b;
      try {
        b = StepProfiler.stepBreakdown(sc, objective, blocks, config, start, steps, false);
        row.put("steps", steps);
        row.put("resultMBPerStep", Stats.round(
            resultBytes.largestTotal(steps * blocks.getNumPartitions()) / 1e6 / steps, 3));
      } finally {
        sc.sc().removeSparkListener(resultBytes);
      }
      for (String key : List.of("stepMillis", "computeMillis", "broadcastMillis", "schedulingMillis",
          "aggregationMillis", "driverUpdateMillis")) {
        row.put(key, b.get(key));
      }
      // StepProfiler's aggregation is all of the step's job past its slowest partition's arithmetic and the empty
      // job, so it holds the step's own broadcast: without it, what is left is the sums' way back and their merge
      row.put("resultsMillis", Stats.round(Math.max(0, (double) b.get("aggregationMillis")
          - (double) b.get("broadcastMillis")), 3));
      row.put("heapAfterGcMB", Stats.round(StepProfiler.usedHeapAfterGc() / 1e6, 1));
      row.put("peakUsedHeapSoFarMB", Stats.round(heap.peakBytes() / 1e6, 1));
      LOG.info("sizing: {}", row);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (OutOfMemoryError | IllegalStateException e) {
      // reported, not hidden: the row says where the heap ran out; in Spark's threads the job fails instead (e.g.
      // TaskResultLost when the driver cannot hold a partition's fetched sums), wrapped by BroadcastAggregate
      Throwable cause = e instanceof IllegalStateException && e.getCause() instanceof org.apache.spark.SparkException
          ? e.getCause() : e;
      if (cause instanceof IllegalStateException) {
        throw (IllegalStateException) cause;
      }
      row.put("failed", cause.toString());
      LOG.warn("sizing: K={} D={} batch={} failed: {}", classes, features, batch, cause.toString());
    }
    return row;
  }

  /**
   * The serialised task results' sizes (Spark's {@code resultSize}). The profiled steps run two jobs each, an empty
   * one and the objective's, whose results (the partitions' sums) are the larger ones.
   */
  private static final class ResultBytes extends SparkListener {
    private final ConcurrentLinkedQueue<Long> sizes = new ConcurrentLinkedQueue<>();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      sizes.add(end.taskMetrics() == null ? 0 : end.taskMetrics().resultSize());
    }

    /**
     * The sum of the {@code largest} largest results, once twice that many tasks have ended (the listener bus is
     * asynchronous; at most 5 s).
     */
    long largestTotal(int largest) throws InterruptedException {
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (sizes.size() < 2L * largest && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      return sizes.stream().sorted(Comparator.reverseOrder()).limit(largest).mapToLong(Long::longValue)
          .sum();
    }
  }

  /** {@code rows} dense rows of uniform floats in [-1, 1) and uniform labels, cached, over the partitions. */
  static JavaRDD<FeatureBlock> syntheticBlocks(JavaSparkContext sc, int partitions, int rows, int classes,
      int features, long seed) {
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ids.add(p);
    }
    JavaRDD<FeatureBlock> blocks = sc.parallelize(ids, partitions).map(p -> {
      int n = (int) ((long) rows * (p + 1) / partitions - (long) rows * p / partitions);
      return FeatureBlock.uniformRandom(p, n, features, classes, new SplittableRandom(seed * 31 + p));
    }).persist(StorageLevel.MEMORY_ONLY());
    blocks.count();
    return blocks;
  }

  /** The driver JVM's largest used heap, sampled every 20 ms (garbage included: what -Xmx must hold). */
  private static final class HeapSampler implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sizing-heap-sampler");
      t.setDaemon(true);
      return t;
    });

    HeapSampler() {
      timer.scheduleAtFixedRate(() -> peak.accumulateAndGet(
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 20,
          TimeUnit.MILLISECONDS);
    }

    long peakBytes() {
      return peak.get();
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
