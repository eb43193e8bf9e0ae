package org.sparklinear;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparklinear.linalg.FeatureBlock;

/** Shared helpers: the project directory, a local-mode Spark context, random blocks. */
public final class TestSupport {
  private TestSupport() {}

  /**
   * JVM flags for the child JVMs the integration tests start on small data (submit scripts, cluster daemons, drivers
   * and executors): C1 only. On the samples, C2's compilation is most of a short command's CPU (a default train: 12.9
   * s of CPU with it, 7.7 s without, and faster on the wall too), and the results are bit-identical across JIT tiers:
   * the cluster tests compare these JVMs' models with in-process (C2) runs to the last bit. Not for large data: C1
   * does not intrinsify the Vector API (2 epochs of CIFAR-10 took 24 times as long).
   */
  public static final String SMALL_DATA_JIT = "-XX:TieredStopAtLevel=1";

  /**
   * {@link #SMALL_DATA_JIT} and the serial collector, for the child JVMs whose options are a list (the submit scripts'
   * SLC_JAVA_OPTS, the cluster daemons): G1's concurrent threads cost a short command on the samples about 10 % more
   * CPU (a default train: 7.7 s user and 1.35 s system against 7.2 s and 0.77 s).
   */
  public static final String SMALL_DATA_JVM_OPTS = SMALL_DATA_JIT + " -XX:+UseSerialGC";

  /**
   * spark-submit options for the integration tests' cluster jobs: their driver and executors run
   * {@link #SMALL_DATA_JIT}, and their HDFS clients ask the test's MiniDFSCluster to complete a written file after 20
   * ms instead of 400 (as src/test/resources/hdfs-site.xml does for the test JVMs' own clients).
   */
  public static final String CLUSTER_JOB_SUBMIT_ARGS = "--conf spark.driver.defaultJavaOptions=" + SMALL_DATA_JIT
      + " --conf spark.executor.defaultJavaOptions=" + SMALL_DATA_JIT
      + " --conf spark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms=20";

  public static Path projectDir() {
    return Path.of(System.getProperty("slc.projectDir", ".")).toAbsolutePath();
  }

  public static Path samples() {
    return projectDir().resolve("data-samples");
  }

  /** The shared CIFAR-10 training set, or null when this checkout has no ../shared next to it. */
  public static Path cifar10() {
    Path p = projectDir().resolve("../shared/data/cifar10").normalize();
    return Files.isRegularFile(p.resolve("data_batch_1.bin")) ? p : null;
  }

  /**
   * The CIFAR-10 folder for a test that needs it; where it is absent the test is skipped, and says so on stderr
   * (Surefire's summary only counts skips).
   */
  public static Path requireCifar10(String what) {
    Path p = cifar10();
    if (p == null) {
      String message = "SKIPPED " + what + ": ../shared/data/cifar10 is absent next to this checkout";
      System.err.println(message);
      org.junit.jupiter.api.Assumptions.assumeTrue(false, message);
    }
    return p;
  }

  public static JavaSparkContext localSpark(int cores) {
    return new JavaSparkContext(localSparkConf(cores));
  }

  /** The configuration of {@link #localSpark}, for a test that adds to it. */
  public static SparkConf localSparkConf(int cores) {
    return new SparkConf().setMaster("local[" + cores + "]").setAppName("test")
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.showConsoleProgress", "false");
  }

  /** A block of uniform features in [-1, 1) and uniform labels ({@link FeatureBlock#uniformRandom}). */
  public static FeatureBlock randomBlock(int partition, int rows, int features, int classes, SplittableRandom r) {
    return FeatureBlock.uniformRandom(partition, rows, features, classes, r);
  }

  /** Three well separated blobs in 5 dimensions as LibSVM lines, labels 0..2 in turn. */
  public static Path blobsLibSvm(Path file, int rows, long seed) throws java.io.IOException {
    SplittableRandom r = new SplittableRandom(seed);
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = i % 3;
      StringBuilder sb = new StringBuilder(Integer.toString(label));
      for (int f = 1; f <= 5; f++) {
        sb.append(' ').append(f).append(':').append(String.format("%.4f", (f == label + 1 ? 30 : 10)
            + 6 * (r.nextDouble() - 0.5)));
      }
      lines.add(sb.toString());
    }
    java.nio.file.Files.write(file, lines);
    return file;
  }
}
