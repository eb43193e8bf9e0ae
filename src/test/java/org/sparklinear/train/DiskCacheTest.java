package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockStatus;
import org.apache.spark.storage.RDDBlockId;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;
import org.sparklinear.data.ImageDataset;
import org.sparklinear.data.ImageShape;
import org.sparklinear.data.LabeledImage;
import org.sparklinear.linalg.FeatureBlock;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelMetadata;
import org.sparklinear.pipeline.PreparedData;
import org.sparklinear.pipeline.TrainingPipeline;
import org.sparklinear.spark.StorageMemory;

/**
 * Data larger than the cache: with Spark's storage memory made small (real Spark, local mode), {@code --cache auto}
 * keeps the packed blocks on disk, not in memory, and trains to the accuracy of the in-memory run on the same data;
 * {@code --cache memory} still refuses with exit 4's advice.
 */
class DiskCacheTest {
  private static final int ROWS = 5000;
  private static final int FEATURES = 200;
  private static final int CLASSES = 4;
  /** The storage memory the small context gets: spark.testing.memory x spark.memory.fraction (0.6). */
  private static final long TESTING_MEMORY = 2L << 20;
  /** Disk and memory runs take different minibatches; on 1,000 validation rows they agree within this. */
  private static final double ACCURACY_TOLERANCE = 0.03;

  /** Four Gaussian classes in 200 dimensions, generated on the executors: about 85% can be told apart. */
  private static ImageDataset generated(JavaSparkContext sc) {
    SplittableRandom r = new SplittableRandom(3);
    float[] means = new float[CLASSES * FEATURES];
    for (int i = 0; i < means.length; i++) {
      means[i] = r.nextBoolean() ? 0.15f : -0.15f;
    }
    JavaRDD<LabeledImage> rows = sc.parallelize(IntStream.range(0, ROWS).boxed().toList(), 2).map(i -> {
      SplittableRandom random = new SplittableRandom(1000L + i);
      int label = random.nextInt(CLASSES);
      float[] values = new float[FEATURES];
      for (int f = 0; f < FEATURES; f++) {
        double u = 1.0 - random.nextDouble();
        double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        values[f] = means[label * FEATURES + f] + (float) gaussian;
      }
      return LabeledImage.ofFeatures("row-" + i, label, values);
    });
    return new ImageDataset(rows, List.of("a", "b", "c", "d"), new ImageShape(1, 1, FEATURES), FEATURES, ROWS,
        sc.sc().longAccumulator(), "generated Gaussian classes");
  }

  private static TrainingConfig config(CacheMode cache) {
    return config(cache, StepMode.AUTO);
  }

  private static TrainingConfig config(CacheMode cache, StepMode stepMode) {
    return TrainingConfig.builder().epochs(3).batchSize(256).learningRate(0.05).regularization(0.0001)
        .validationFraction(0.2).patience(0).logEvery(1000).cache(cache).stepMode(stepMode).build();
  }

  private static LinearClassifier train(JavaSparkContext sc, TrainingConfig config, CacheMode expected) {
    TrainingPipeline pipeline = new TrainingPipeline(sc, config);
    try (PreparedData prepared = pipeline.prepare(generated(sc), "generated")) {
      assertEquals(expected, prepared.data().cache());
      if (expected == CacheMode.DISK) {
        assertOnDiskOnly(prepared.data().train(), prepared.data().trainRows());
      }
      return pipeline.train(prepared);
    }
  }

  /** Every chunk is stored on disk, none in memory, and takes about its floats' bytes (stored unboxed). */
  private static void assertOnDiskOnly(JavaRDD<FeatureBlock> chunks, long rows) {
    long disk = 0;
    for (int p = 0; p < chunks.getNumPartitions(); p++) {
      Map<?, BlockStatus> status = scala.jdk.javaapi.CollectionConverters.asJava(SparkEnv.get().blockManager()
          .master().getBlockStatus(new RDDBlockId(chunks.id(), p), true));
      assertEquals(1, status.size(), "chunk " + p + " is stored once");
      BlockStatus s = status.values().iterator().next();
      assertEquals(0, s.memSize(), "chunk " + p + " in memory");
      assertTrue(s.diskSize() > 0 && s.storageLevel().useDisk(), "chunk " + p + " on disk");
      disk += s.diskSize();
    }
    long floats = rows * (4L * FEATURES + 4);
    assertTrue(disk >= floats && disk < 1.1 * floats, disk + " bytes on disk for " + floats + " bytes of floats");
  }

  @Test
  void dataTheLocalDiskCannotHoldIsRefusedWithTheDirectoryAndTheSizes() {
    java.io.File dir = new java.io.File("/tmp/spark-local");
    TrainingData.requireDiskRoom(600_000_000L, 1_200_000_000L, dir); // twice the packed size: room for the shuffle
    InsufficientMemoryException refused = assertThrows(InsufficientMemoryException.class,
        () -> TrainingData.requireDiskRoom(600_000_000L, 1_199_999_999L, dir));
    assertTrue(refused.getMessage().contains("fits neither in memory nor on the local disk")
        && refused.getMessage().contains("600.0 MB") && refused.getMessage().contains("1200.0 MB")
        && refused.getMessage().contains("/tmp/spark-local"), refused.getMessage());
  }

  /** Counts the Spark jobs started. */
  private static final class JobCounter extends org.apache.spark.scheduler.SparkListener {
    final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
      count.incrementAndGet();
    }
  }

  private static Map<String, ModelMetadata.Choice> choices(LinearClassifier model) {
    return model.metadata().automatic().stream().collect(Collectors.toMap(ModelMetadata.Choice::setting, c -> c));
  }

  @Test
  void dataThreeTimesTheCacheTrainsOnDiskToTheInMemoryAccuracy() throws Exception {
    LinearClassifier inMemory;
    try (JavaSparkContext sc = TestSupport.localSpark(2)) {
      inMemory = train(sc, config(CacheMode.AUTO), CacheMode.MEMORY);
    }
    assertEquals("memory", choices(inMemory).get("cache").value());
    SparkConf small = TestSupport.localSparkConf(2).set("spark.testing.memory", Long.toString(TESTING_MEMORY))
        .set("spark.testing.reservedMemory", "0");
    try (JavaSparkContext sc = new JavaSparkContext(small)) {
      long storage = StorageMemory.free(sc, -1);
      long packed = ROWS * (4L * FEATURES + 4);
      assertTrue(packed >= 3 * storage, packed + " bytes of blocks against " + storage + " of storage memory");

      // auto on a local master: the driver reads each step's chunks from its block manager, no job per step
      JobCounter jobs = new JobCounter();
      sc.sc().addSparkListener(jobs);
      LinearClassifier onDisk = train(sc, config(CacheMode.AUTO), CacheMode.DISK);
      sc.sc().listenerBus().waitUntilEmpty();
      long driverJobs = jobs.count.getAndSet(0);
      LinearClassifier onDiskInJobs = train(sc, config(CacheMode.AUTO, StepMode.JOBS), CacheMode.DISK);
      sc.sc().listenerBus().waitUntilEmpty();
      long stepJobs = jobs.count.get();
      long steps = onDisk.metadata().metrics().steps();
      assertTrue(stepJobs - driverJobs >= steps, "a job per step in jobs mode (" + stepJobs + " jobs), none in the"
          + " driver (" + driverJobs + "), over " + steps + " steps");
      assertArrayEquals(onDiskInJobs.weights().parameters(), onDisk.weights().parameters(), 0.0,
          "the same chunks and sums read in the driver as in a job per step");
      ModelMetadata.Choice choice = choices(onDisk).get("cache");
      assertEquals("disk", choice.value());
      assertTrue(choice.reason().contains("take more than 80% of the"), choice.reason());
      double memoryAccuracy = inMemory.metadata().metrics().validationAccuracy();
      double diskAccuracy = onDisk.metadata().metrics().validationAccuracy();
      assertTrue(memoryAccuracy > 0.7, "the in-memory run learned: " + memoryAccuracy);
      assertEquals(memoryAccuracy, diskAccuracy, ACCURACY_TOLERANCE, "disk against memory");
      assertEquals(inMemory.metadata().metrics().validationExamples(),
          onDisk.metadata().metrics().validationExamples(), "the same validation rows");

      InsufficientMemoryException refused = assertThrows(InsufficientMemoryException.class,
          () -> new TrainingPipeline(sc, config(CacheMode.MEMORY)).prepare(generated(sc), "generated"));
      assertTrue(refused.getMessage().contains("does not fit in memory")
          && refused.getMessage().contains("--cache disk"), refused.getMessage());
    }
  }
}
