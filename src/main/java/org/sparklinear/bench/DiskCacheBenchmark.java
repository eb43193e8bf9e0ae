package org.sparklinear.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockStatus;
import org.apache.spark.storage.RDDBlockId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparklinear.data.ReadOptions;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.pipeline.PreparedData;
import org.sparklinear.pipeline.TrainingPipeline;
import org.sparklinear.spark.StorageMemory;
import org.sparklinear.train.CacheMode;
import org.sparklinear.train.EpochRecord;
import org.sparklinear.train.StepMode;
import org.sparklinear.train.Trainer;
import org.sparklinear.train.TrainingConfig;
import org.sparklinear.train.TrainingData;
import org.sparklinear.train.TrainingResult;

/**
 * The benchmark's {@code disk} section (issue 14, data larger than the cache): the same training in memory, then in
 * a Spark session of its own whose storage memory is {@code cacheShare} of the packed data, where {@code --cache
 * auto} must choose disk. Reports both epoch times and accuracies, the bytes an epoch reads, the local disk's
 * sequential read rate and the target: disk epoch within 2x the memory epoch plus the time to read the blocks at
 * that rate. Each session is its own SparkContext (one per JVM at a time), so the section runs alone.
 *
 * @param epochs epochs of each run; the median epoch after the first (JIT, first reads) is reported
 * @param cacheShare the small session's storage memory as a share of the packed blocks
 */
record DiskCacheBenchmark(String data, String master, int epochs, double cacheShare) {
  private static final Logger LOG = LoggerFactory.getLogger(DiskCacheBenchmark.class);

  Map<String, Object> run() throws IOException {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("date", java.time.Instant.now().toString());
    r.put("data", data);
    r.put("master", master);
    r.put("epochs", epochs);
    TrainingConfig base = TrainingConfig.builder().epochs(epochs).learningRate(0.1).patience(0).build();
    long packed;
    try (JavaSparkContext sc = new JavaSparkContext(conf())) {
      // the memory mode's default step mode (driver, on a local master) and the jobs mode the disk mode uses
      List<Run> memory = train(sc, base.toBuilder().cache(CacheMode.MEMORY).build(), StepMode.AUTO, StepMode.JOBS);
      packed = memory.get(0).trainBytes + memory.get(0).validationBytes;
      r.put("memory", memory.get(0).toMap());
      r.put("memoryJobs", memory.get(1).toMap());
    }
    // storage memory is (spark.testing.memory - reserved) x spark.memory.fraction (0.6)
    long testingMemory = (long) (packed * cacheShare / 0.6);
    try (JavaSparkContext sc = new JavaSparkContext(conf().set("spark.testing.memory", Long.toString(testingMemory))
        .set("spark.testing.reservedMemory", "0"))) {
      long storage = StorageMemory.free(sc, -1);
      r.put("storageMemoryBytes", storage);
      r.put("packedBytes", packed);
      r.put("dataOverCache", Stats.round((double) packed / storage, 2));
      // auto on a local master: each step's chunks read by the driver's threads; jobs: a Spark job per step
      List<Run> disks = train(sc, base.toBuilder().cache(CacheMode.AUTO).build(), StepMode.AUTO, StepMode.JOBS);
      Run disk = disks.get(0);
      r.put("disk", disk.toMap());
      r.put("diskJobs", disks.get(1).toMap());
      long perEpoch = disk.trainBytes + disk.validationBytes; // every chunk once, validation's at the epoch's end
      double diskRate = sequentialReadRate(StorageMemory.localDir().toPath(), perEpoch);
      double memoryEpoch = memoryEpoch(r);
      double target = 2 * memoryEpoch + perEpoch / diskRate;
      r.put("bytesReadPerEpoch", perEpoch);
      r.put("diskSequentialReadMBps", Stats.round(diskRate / 1e6, 1));
      r.put("achievedReadMBps", Stats.round(perEpoch / disk.epochSeconds / 1e6, 1));
      r.put("targetEpochSeconds", Stats.round(target, 3));
      r.put("diskEpochOverTarget", Stats.round(disk.epochSeconds / target, 3));
      r.put("targetMet", disk.epochSeconds <= target);
    }
    LOG.info("disk section: {}", r);
    return r;
  }

  private static double memoryEpoch(Map<String, Object> r) {
    return (Double) ((Map<?, ?>) r.get("memory")).get("epochSeconds");
  }

  private SparkConf conf() {
    return new SparkConf().setAppName("spark-linear-classifier bench disk").setMaster(master)
        .set("spark.ui.showConsoleProgress", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1");
  }

  private record Run(String cache, String stepMode, String reason, double epochSeconds, List<Double> epochs, double accuracy,
      long trainBytes, long validationBytes, int blocks, double prepareSeconds) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cache", cache);
      m.put("stepMode", stepMode);
      m.put("why", reason);
      m.put("epochSeconds", Stats.round(epochSeconds, 3));
      m.put("epochSecondsEach", epochs);
      m.put("validationAccuracy", Stats.round(accuracy, 4));
      m.put("trainBytes", trainBytes);
      m.put("validationBytes", validationBytes);
      m.put("blocks", blocks);
      m.put("prepareSeconds", Stats.round(prepareSeconds, 1));
      return m;
    }
  }

  /** Prepares the data once and trains it in each step mode. */
  private List<Run> train(JavaSparkContext sc, TrainingConfig config, StepMode... modes) {
    long started = System.nanoTime();
    try (PreparedData prepared = new TrainingPipeline(sc, config).read(data, new ReadOptions(null,
        sc.defaultParallelism(), null, 3, false, 40_000_000L, null))) {
      TrainingData d = prepared.data();
      double prepareSeconds = (System.nanoTime() - started) / 1e9;
      List<Run> runs = new ArrayList<>();
      for (StepMode mode : modes) {
        TrainingResult result = new Trainer(config.toBuilder().stepMode(mode).build()).train(sc, d);
        List<Double> seconds = new ArrayList<>();
        for (EpochRecord e : result.epochs()) {
          seconds.add(Stats.round(e.seconds(), 3));
        }
        // the first epoch pays the JIT and, on disk, the first reads of blocks just written
        double median = Stats.median(seconds.subList(Math.min(1, seconds.size() - 1), seconds.size()));
        runs.add(new Run(d.cache().cliName(), mode.cliName(), d.cacheChoice().map(c -> c.reason())
            .orElse("asked for"), median, seconds, result.validationAccuracy(), storedBytes(d.train()),
            storedBytes(d.validation()), d.train().getNumPartitions(), prepareSeconds));
      }
      return runs;
    }
  }

  /** Bytes the RDD's blocks take where they are stored (memory or disk), from the block manager master. */
  private static long storedBytes(JavaRDD<FeatureBlock> rdd) {
    long bytes = 0;
    for (int p = 0; p < rdd.getNumPartitions(); p++) {
      for (BlockStatus s : scala.jdk.javaapi.CollectionConverters.asJava(SparkEnv.get().blockManager().master()
          .getBlockStatus(new RDDBlockId(rdd.id(), p), true)).values()) {
        bytes += s.memSize() + s.diskSize();
      }
    }
    return bytes;
  }

  /**
   * Writes a file of {@code bytes} in {@code dir}, syncs it and reads it back in 4 MB reads: bytes per second. The
   * page cache may serve the read (as it may serve Spark's freshly written blocks): on a machine with memory to
   * spare this is the rate both reads see, not the bare disk's.
   */
  static double sequentialReadRate(Path dir, long bytes) throws IOException {
    Path file = Files.createTempFile(dir, "read-rate", ".bin");
    try {
      byte[] buffer = new byte[4 << 20];
      new java.util.Random(1).nextBytes(buffer);
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
        for (long left = bytes; left > 0; left -= buffer.length) {
          out.write(buffer, 0, (int) Math.min(buffer.length, left));
        }
      }
      long started = System.nanoTime();
      long read = 0;
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          read += n;
        }
      }
      return read / ((System.nanoTime() - started) / 1e9);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
