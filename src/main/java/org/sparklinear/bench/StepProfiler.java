package org.sparklinear.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.RDDInfo;
import org.sparklinear.linalg.Blas;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.linalg.LinearWeights;
import org.sparklinear.loss.BlockObjective;
import org.sparklinear.loss.Regularization;
import org.sparklinear.optim.Optimizer;
import org.sparklinear.train.DistributedObjective;
import org.sparklinear.train.MinibatchPlan;
import org.sparklinear.train.ReproducibleSum;
import org.sparklinear.train.TrainingConfig;

/** Where a step's time goes, what a full pass costs next to the machine's GEMM rate, and memory use. */
final class StepProfiler {
  private StepProfiler() {}

  /**
   * Runs {@code steps} steps by hand, timing each part: broadcast, an empty job (scheduling and broadcast fetch),
   * the partitions' compute (the slowest partition), aggregation (the rest of the job) and the driver's update; and
   * Spark's floor for a job of the same shape, interleaved with the steps.
   */
  static Map<String, Object> stepBreakdown(JavaSparkContext sc, DistributedObjective objective,
      JavaRDD<FeatureBlock> blocks, TrainingConfig config, LinearWeights start, int steps) {
    return stepBreakdown(sc, objective, blocks, config, start, steps, true);
  }

  /**
   * As above; without {@code withFloor} the floor jobs are left out (their keys are NaN): for large models they would
   * move the weights' bytes twice more per step.
   */
  static Map<String, Object> stepBreakdown(JavaSparkContext sc, DistributedObjective objective,
      JavaRDD<FeatureBlock> blocks, TrainingConfig config, LinearWeights start, int steps, boolean withFloor) {
    LinearWeights w = start.copy();
    MinibatchPlan plan = new MinibatchPlan(config.seed(), objective.rows(), config.batchSize());
    Optimizer optimizer = config.createOptimizer();
    Regularization reg = config.createRegularization();
    List<Double> broadcast = new ArrayList<>();
    List<Double> empty = new ArrayList<>();
    List<Double> full = new ArrayList<>();
    List<Double> compute = new ArrayList<>();
    List<Double> update = new ArrayList<>();
    List<Double> floorEmpty = new ArrayList<>();
    List<Double> floorBroadcastCollect = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      // interleaved with the steps, so that both see the same machine
      double[] floor = withFloor ? floorJobs(sc, blocks, w.parameters().length) : new double[] {Double.NaN,
          Double.NaN};
      floorEmpty.add(floor[0]);
      floorBroadcastCollect.add(floor[1]);
      long t0 = System.nanoTime();
      Broadcast<LinearWeights> bc = sc.broadcast(w.copy());
      long t1 = System.nanoTime();
      blocks.mapPartitions(it -> {
        bc.value();
        return List.of(ReproducibleSum.empty()).iterator();
      }).treeAggregate(ReproducibleSum.empty(), ReproducibleSum::merge, ReproducibleSum::merge, objective.treeDepth());
      long t2 = System.nanoTime();
      bc.destroy();
      broadcast.add((t1 - t0) / 1e6);
      empty.add((t2 - t1) / 1e6);

      long t3 = System.nanoTime();
      ReproducibleSum sum = objective.minibatch(w, plan, s / plan.stepsPerEpoch(), s % plan.stepsPerEpoch());
      long t4 = System.nanoTime();
      double[] g = sum.gradient(w.parameters().length);
      for (int i = 0; i < g.length; i++) {
        g[i] /= sum.count();
      }
      reg.addTo(w, g);
      optimizer.step(w.parameters(), g, config.learningRate());
      long t5 = System.nanoTime();
      full.add((t4 - t3) / 1e6);
      compute.add(sum.computeNanos() / 1e6);
      update.add((t5 - t4) / 1e6);
    }
    double fullMs = Stats.median(full);
    double broadcastMs = Stats.median(broadcast);
    double emptyMs = Stats.median(empty);
    double computeMs = Stats.median(compute);
    double updateMs = Stats.median(update);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("steps", steps);
    m.put("stepMillis", Stats.round(fullMs + updateMs, 3));
    m.put("broadcastMillis", Stats.round(broadcastMs, 3));
    m.put("schedulingMillis", Stats.round(emptyMs, 3));
    m.put("computeMillis", Stats.round(computeMs, 3));
    m.put("aggregationMillis", Stats.round(Math.max(0, fullMs - emptyMs - computeMs), 3));
    m.put("driverUpdateMillis", Stats.round(updateMs, 3));
    // everything in the objective's job that is not the slowest partition's arithmetic
    m.put("overheadMillis", Stats.round(fullMs - computeMs, 3));
    m.put("floorEmptyJobMillis", Stats.round(Stats.median(floorEmpty), 3));
    m.put("floorBroadcastCollectMillis", Stats.round(Stats.median(floorBroadcastCollect), 3));
    return m;
  }

  /**
   * Spark's own floor for a job of a step's shape, on the same blocks: an empty job (scheduling only), and a
   * broadcast of the weights' size, one result of the gradient's size per partition, {@code collect()} and the sum on
   * the driver. No job-per-step mode can cost less than the second. Returns the two times in milliseconds.
   */
  private static double[] floorJobs(JavaSparkContext sc, JavaRDD<FeatureBlock> blocks, int parameters) {
    long t0 = System.nanoTime();
    blocks.foreachPartition(it -> { });
    long t1 = System.nanoTime();
    Broadcast<double[]> bc = sc.broadcast(new double[parameters]);
    List<long[]> parts = blocks.mapPartitions(it -> List.of(new long[bc.value().length + 1]).iterator()).collect();
    long[] total = new long[parameters + 1];
    for (long[] part : parts) {
      for (int i = 0; i < total.length; i++) {
        total[i] += part[i];
      }
    }
    bc.destroy();
    long t2 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
  }

  /** A full pass (loss and gradient over every cached row), median of {@code repeats}, and its GEMM rate. */
  static Map<String, Object> fullPass(DistributedObjective objective, LinearWeights w, int repeats) {
    List<Double> seconds = new ArrayList<>();
    List<Double> compute = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      ReproducibleSum sum = objective.fullPass(w);
      seconds.add((System.nanoTime() - t0) / 1e9);
      compute.add(sum.computeNanos() / 1e9);
    }
    double s = Stats.median(seconds);
    double flops = 4.0 * objective.rows() * w.features() * w.classes(); // two GEMMs of 2*N*D*K each
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", Stats.round(s, 4));
    m.put("slowestPartitionComputeSeconds", Stats.round(Stats.median(compute), 4));
    m.put("gflops", Stats.round(flops / s / 1e9, 3));
    return m;
  }

  /**
   * The machine's GEMM rate on the shapes of our kernel (a 256-row chunk against K x D weights, both products),
   * in {@code threads} threads at once, each with its own buffers, as the partitions run.
   */
  static Map<String, Object> gemmRate(int classes, int features, int threads, double seconds) throws Exception {
    int n = BlockObjective.CHUNK_ROWS;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<double[]>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        parts.add(pool.submit(() -> {
          double[] x = new double[n * features];
          double[] w = new double[classes * features];
          double[] s = new double[n * classes];
          double[] g = new double[classes * features];
          java.util.SplittableRandom r = new java.util.SplittableRandom(1);
          for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble();
          }
          for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble();
          }
          long calls = 0;
          long end = System.nanoTime() + (long) (seconds * 1e9);
          long started = System.nanoTime();
          while (System.nanoTime() < end) {
            Blas.get().dgemm("T", "N", classes, n, features, 1.0, w, features, x, features, 0.0, s, classes);
            Blas.get().dgemm("N", "T", features, classes, n, 1.0, x, features, s, classes, 1.0, g, features);
            calls++;
          }
          return new double[] {calls, (System.nanoTime() - started) / 1e9};
        }));
      }
      double flops = 0;
      double longest = 0;
      for (Future<double[]> f : parts) {
        double[] r = f.get();
        flops += r[0] * 4.0 * n * features * classes;
        longest = Math.max(longest, r[1]);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("threads", threads);
      m.put("shape", n + "x" + features + " rows against " + classes + "x" + features + " weights, both products");
      m.put("gflops", Stats.round(flops / longest / 1e9, 3));
      return m;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Bytes Spark reports for a cached RDD (memory plus disk). */
  static long cachedBytes(JavaSparkContext sc, JavaRDD<?> rdd) {
    for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
      if (info.id() == rdd.id()) {
        return info.memSize() + info.diskSize();
      }
    }
    return -1;
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
