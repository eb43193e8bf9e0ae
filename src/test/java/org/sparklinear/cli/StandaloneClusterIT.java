package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.model.ModelStore;

/**
 * A real Spark standalone cluster (a master and two workers, each its own JVM, on 127.0.0.1 with free ports) run
 * from the jars Maven resolved, and a real HDFS (MiniDFSCluster). The job is submitted through
 * {@code submit/cluster.sh}, reads hdfs:// and writes its model to hdfs://: the model equals the local-mode model to
 * the last bit. Every process is stopped at the end, also when the test fails.
 */
class StandaloneClusterIT {
  @TempDir static Path tmp;
  static final List<Process> daemons = new ArrayList<>();
  static String masterUrl;
  static org.apache.hadoop.hdfs.MiniDFSCluster dfs;
  static String hdfs;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Process daemon(String name, List<String> args) throws IOException {
    Path project = TestSupport.projectDir();
    List<String> cmd = new ArrayList<>(List.of("java", "-Xmx512m"));
    cmd.addAll(List.of(Files.readString(project.resolve("target/jvm-options.txt")).trim().split("\\s+")));
    cmd.addAll(List.of("-Dspark.master.rest.enabled=false", "-cp", System.getenv("SPARK_HOME") + "/jars/*"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
    daemons.add(p);
    return p;
  }

  private static void waitForLog(String name, String text, int count) throws Exception {
    for (int i = 0; i < 600; i++) {
      Path log = tmp.resolve(name + ".log");
      if (Files.exists(log) && Files.readString(log).split(java.util.regex.Pattern.quote(text), -1).length - 1
          >= count) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " did not log '" + text + "' " + count + " time(s) in 60 s:\n"
        + Files.readString(tmp.resolve(name + ".log")));
  }

  @BeforeAll
  static void startCluster() throws Exception {
    Configuration conf = new Configuration();
    conf.set(org.apache.hadoop.hdfs.MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    dfs = new org.apache.hadoop.hdfs.MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
    hdfs = "hdfs://127.0.0.1:" + dfs.getNameNodePort();
    dfs.getFileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(TestSupport.samples().resolve("cifar")
        .toString()), new org.apache.hadoop.fs.Path("/data/cifar"));
    ClusterTestSupport.linkSparkJars();
    int port = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    daemon("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", Integer.toString(freePort())));
    waitForLog("master", "I have been elected leader", 1);
    for (int w = 1; w <= 2; w++) {
      Path work = Files.createDirectories(tmp.resolve("worker" + w));
      daemon("worker" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port",
          Integer.toString(freePort()), "--webui-port", Integer.toString(freePort()), "--cores", "1", "--memory",
          "4g", "--work-dir", work.toString(), masterUrl)); // conf/spark-defaults.conf asks 4g executors
    }
    waitForLog("master", "Registering worker", 2);
  }

  /** Executor logs in the workers' folders: one per executor JVM they launched. */
  private static long executorLogs() throws IOException {
    long executors = 0;
    for (int w = 1; w <= 2; w++) {
      try (var s = Files.walk(tmp.resolve("worker" + w), 3)) {
        executors += s.filter(f -> f.getFileName().toString().equals("stderr")).count();
      }
    }
    return executors;
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    if (dfs != null) {
      dfs.shutdown();
    }
    for (Process p : daemons) {
      p.destroy();
    }
    for (Process p : daemons) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Process submit(String log, String... jobArgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("submit/cluster.sh", "--master", masterUrl, "--executor-memory", "1g",
        "--total-executor-cores", "2", "--conf", "spark.driver.host=127.0.0.1", "--"));
    cmd.addAll(List.of(jobArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(TestSupport.projectDir().toFile())
        .redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile());
    pb.environment().put("SPARK_HOME", ClusterTestSupport.sparkSubmitHome(tmp.resolve("submit-home")).toString());
    return pb.start();
  }

  /**
   * 20 epochs of 6 steps: the first checkpoint comes after at most 10 steps, so the driver is killed with more than
   * 100 steps still to go (the poll looks every 100 ms), and the resumed run has most of the training left to do.
   */
  @Test
  void driverKilledMidTrainingResumesFromItsHdfsCheckpointToTheSameModel() throws Exception {
    String[] job = {"train", "--data", hdfs + "/data/cifar", "--model-out", hdfs + "/models/resumed", "--partitions",
        "3", "--loss", "hinge", "--batch-size", "50", "--epochs", "20", "--checkpoint-dir", hdfs + "/ckpt",
        "--checkpoint-every", "10"};
    Process first = submit("driver1.log", job);
    org.apache.hadoop.fs.FileSystem fs = dfs.getFileSystem();
    org.apache.hadoop.fs.Path ckpt = new org.apache.hadoop.fs.Path("/ckpt");
    boolean checkpointed = false;
    for (int i = 0; i < 1200 && !checkpointed && first.isAlive(); i++) {
      Thread.sleep(100);
      checkpointed = fs.exists(ckpt) && fs.listStatus(ckpt, f -> f.getName().endsWith(".ckpt")).length > 0;
    }
    assertTrue(checkpointed && first.isAlive(), "the driver wrote a checkpoint and was still training\n"
        + Files.readString(tmp.resolve("driver1.log")));
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9 the driver JVM mid-training
    assertTrue(!fs.exists(new org.apache.hadoop.fs.Path("/models/resumed")), "no model from the killed driver");

    Process second = submit("driver2.log", job);
    assertTrue(second.waitFor(5, TimeUnit.MINUTES), "the resumed run did not finish in 5 minutes");
    String log = Files.readString(tmp.resolve("driver2.log"));
    assertEquals(0, second.exitValue(), log);
    assertTrue(log.contains("resuming from the checkpoint"), log);

    String local = tmp.resolve("undisturbed").toString();
    CommandLineTest.run(0, "train", "--data", TestSupport.samples().resolve("cifar").toString(), "--model-out", local,
        "--partitions", "3", "--loss", "hinge", "--batch-size", "50", "--epochs", "20", "--master", "local[2]");
    ModelStore store = new ModelStore(new Configuration());
    assertArrayEquals(store.read(local).weights().parameters(),
        store.read(hdfs + "/models/resumed").weights().parameters(), 0.0);
  }

  @Test
  void jobSubmittedThroughClusterShTrainsTheLocalModeModel() throws Exception {
    String cifar = TestSupport.samples().resolve("cifar").toString();
    // input from and model to HDFS, through hdfs:// paths, as on a real cluster
    String onCluster = hdfs + "/models/cluster";
    long executorsBefore = executorLogs();
    Process p = submit("submit.log", "train", "--data", hdfs + "/data/cifar", "--model-out", onCluster,
        "--partitions", "3", "--loss", "hinge");
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "spark-submit did not finish in 5 minutes");
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("submit.log")));
    assertEquals(executorsBefore + 2, executorLogs(), "one executor JVM per worker");

    String local = tmp.resolve("local-model").toString();
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", local, "--partitions", "3", "--loss", "hinge",
        "--master", "local[2]");
    ModelStore store = new ModelStore(new Configuration());
    assertTrue(store.read(onCluster).metadata().sparkMaster().startsWith("spark://"));
    assertArrayEquals(store.read(local).weights().parameters(), store.read(onCluster).weights().parameters(), 0.0);
  }

  /** The README's cluster commands, verbatim but for the master's and the NameNode's addresses. */
  @Test
  void readmeClusterCommandsRunOnThisCluster() throws Exception {
    org.apache.hadoop.fs.FileSystem fs = dfs.getFileSystem();
    for (String dir : List.of("/data/cifar10", "/data/holdout")) {
      fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestSupport.samples().resolve("cifar").toString()),
          new org.apache.hadoop.fs.Path(dir));
    }
    List<String> commands = org.sparklinear.ReadmeCommands.all().stream()
        .filter(org.sparklinear.ReadmeCommands::forCluster).toList();
    assertEquals(2, commands.size(), commands.toString());
    int n = 0;
    for (String command : commands) {
      String here = command.replace("spark://master:7077", masterUrl).replace("hdfs:///", hdfs + "/");
      Path log = tmp.resolve("readme-" + n++ + ".log");
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", here).directory(TestSupport.projectDir().toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("SPARK_HOME", ClusterTestSupport.sparkSubmitHome(tmp.resolve("submit-home")).toString());
      pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      Process p = pb.start();
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "did not finish in 5 minutes: " + here);
      assertEquals(0, p.exitValue(), here + "\n" + Files.readString(log));
    }
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/models/cifar-softmax/weights.bin")));
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/models/registry/CURRENT")));
  }
}
