package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;

/**
 * The job with executors in their own JVMs ({@code local-cluster[2,1,1024]}: a Spark master and two workers that
 * launch executor processes) trains the same model as local mode, to the last bit: partition sums are combined in
 * fixed point, so neither the transport nor the merge order can change a weight.
 */
class MultiJvmClusterIT {
  @TempDir static Path tmp;

  @BeforeAll
  static void sparkHome() throws IOException {
    ClusterTestSupport.linkSparkJars();
  }

  /** Executor directories the workers made for the application: one per executor JVM they launched. */
  private static long executorJvmsLaunched() throws IOException {
    Path work = Path.of(System.getenv("SPARK_HOME"), "work");
    if (!Files.isDirectory(work)) {
      return 0;
    }
    try (var apps = Files.walk(work, 2)) {
      return apps.filter(p -> p.getNameCount() == work.getNameCount() + 2)
          .filter(p -> Files.exists(p.resolve("stderr"))).count();
    }
  }

  /** Process ids of the executor JVMs started since {@code since} (from their logs' first lines). */
  private static java.util.List<Long> executorPids(long sinceMillis) throws IOException {
    Path work = Path.of(System.getenv("SPARK_HOME"), "work");
    java.util.List<Long> pids = new java.util.ArrayList<>();
    if (!Files.isDirectory(work)) {
      return pids; // a fresh checkout: the workers have not made it yet
    }
    try (var files = Files.walk(work, 3)) {
      for (Path stderr : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
        if (Files.getLastModifiedTime(stderr).toMillis() < sinceMillis) {
          continue;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("process name: (\\d+)@")
            .matcher(Files.readString(stderr));
        if (m.find()) {
          pids.add(Long.parseLong(m.group(1)));
        }
      }
    }
    return pids;
  }

  /** Step lines the training has written to its metrics file so far (flushed line by line). */
  private static long stepsLogged(Path metrics) {
    try {
      if (!Files.exists(metrics)) {
        return 0;
      }
      return Files.readAllLines(metrics).stream().filter(l -> l.contains("\"type\":\"step\"")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // being written; look again
    }
  }

  @Test
  void killingAnExecutorJvmMidTrainingStillGivesTheSameModel() throws Exception {
    String jar = TestSupport.projectDir().resolve("target/spark-linear-classifier.jar").toString();
    String cifar = TestSupport.samples().resolve("cifar").toString();
    // 40 epochs of 6 steps; the kill comes after 12 steps, so the replacement executor starts while a long rest of
    // the training still runs
    String[] common = {"--data", cifar, "--partitions", "2", "--batch-size", "50", "--epochs", "40"};
    Path metrics = tmp.resolve("killed-metrics.jsonl");
    long started = System.currentTimeMillis();
    java.util.concurrent.atomic.AtomicReference<Throwable> killerFailure = new java.util.concurrent.atomic
        .AtomicReference<>();
    Thread killer = new Thread(() -> {
      try {
        // wait until both executors run and training is under way (12 steps in the metrics file), then kill one
        java.util.List<Long> pids = java.util.List.of();
        for (int i = 0; i < 1200 && (pids.size() < 2 || stepsLogged(metrics) < 12); i++) {
          Thread.sleep(100);
          try {
            pids = executorPids(started);
          } catch (IOException | java.io.UncheckedIOException e) {
            // the workers are still creating their folders; look again
          }
        }
        if (stepsLogged(metrics) < 12) {
          throw new AssertionError("training did not get 12 steps in within 2 minutes");
        }
        ProcessHandle.of(pids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
      } catch (Exception | Error e) {
        killerFailure.set(e);
      }
    });
    String disturbed = tmp.resolve("killed").toString();
    System.setProperty("spark.jars", jar);
    System.setProperty("spark.executor.memory", "1g");
    killer.start();
    try {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--model-out", disturbed,
          "--master", "local-cluster[2,1,1024]", "--metrics-file", metrics.toString(), "--log-every", "1"));
      args.addAll(java.util.List.of(common));
      CommandLineTest.run(0, args.toArray(String[]::new));
    } finally {
      killer.join();
      System.clearProperty("spark.jars");
      System.clearProperty("spark.executor.memory");
    }
    assertEquals(null, killerFailure.get(), "the thread that kills an executor failed");
    assertTrue(executorPids(started).size() >= 3, "a replacement executor was launched after the kill");
    String undisturbed = tmp.resolve("undisturbed").toString();
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--model-out", undisturbed,
        "--master", "local[2]"));
    args.addAll(java.util.List.of(common));
    CommandLineTest.run(0, args.toArray(String[]::new));
    ModelStore store = new ModelStore(new Configuration());
    assertArrayEquals(store.read(undisturbed).weights().parameters(), store.read(disturbed).weights().parameters(),
        0.0);
  }

  @Test
  void clusterOfExecutorJvmsTrainsTheSameModelAsLocalMode() throws IOException {
    long before = executorJvmsLaunched();
    String jar = TestSupport.projectDir().resolve("target/spark-linear-classifier.jar").toString();
    String cifar = TestSupport.samples().resolve("cifar").toString();
    String onCluster = tmp.resolve("cluster").toString();
    String local = tmp.resolve("local").toString();
    System.setProperty("spark.jars", jar);
    System.setProperty("spark.executor.memory", "1g");
    try {
      CommandLineTest.run(0, "train", "--data", cifar, "--model-out", onCluster, "--partitions", "3", "--loss",
          "hinge", "--master", "local-cluster[2,1,1024]");
    } finally {
      System.clearProperty("spark.jars");
      System.clearProperty("spark.executor.memory");
    }
    assertEquals(before + 2, executorJvmsLaunched(), "two executor JVMs ran the cluster training");
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", local, "--partitions", "3", "--loss", "hinge",
        "--master", "local[2]");
    ModelStore store = new ModelStore(new Configuration());
    LinearClassifier a = store.read(onCluster);
    LinearClassifier b = store.read(local);
    assertTrue(a.metadata().sparkMaster().startsWith("local-cluster"));
    assertArrayEquals(b.weights().parameters(), a.weights().parameters(), 0.0);
    assertEquals(b.preprocessor(), a.preprocessor());
  }
}
