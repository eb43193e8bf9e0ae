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
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;
import org.sparklinear.model.LinearClassifier;
import org.sparklinear.model.ModelStore;

/**
 * A real Spark standalone cluster (a master and two workers, each its own JVM, on 127.0.0.1 with free ports) run
 * from the jars Maven resolved, and a real HDFS (MiniDFSCluster). The job is submitted through
 * {@code submit/cluster.sh}, reads hdfs:// and writes its model to hdfs://: the model equals the local-mode model to
 * the last bit, also when the driver and then an executor JVM are killed mid-training. Every process is stopped at
 * the end, also when the test fails.
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
    cmd.addAll(List.of(TestSupport.SMALL_DATA_JVM_OPTS.split(" ")));
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

  /** The stderr logs in the workers' folders: one per executor JVM they launched, made as it is launched. */
  private static List<Path> executorLogs() throws IOException {
    List<Path> logs = new ArrayList<>();
    for (int w = 1; w <= 2; w++) {
      try (var s = Files.walk(tmp.resolve("worker" + w), 3)) {
        s.filter(f -> f.getFileName().toString().equals("stderr")).forEach(logs::add);
      }
    }
    return logs;
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
        "--total-executor-cores", "2", "--conf", "spark.driver.host=127.0.0.1"));
    cmd.addAll(List.of(TestSupport.CLUSTER_JOB_SUBMIT_ARGS.split(" ")));
    cmd.add("--");
    cmd.addAll(List.of(jobArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(TestSupport.projectDir().toFile())
        .redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile());
    pb.environment().put("SPARK_HOME", ClusterTestSupport.sparkSubmitHome(tmp.resolve("submit-home")).toString());
    return pb.start();
  }

  /** Process ids of the executor JVMs the workers launched since {@code sinceMillis} (from their logs). */
  private static List<Long> executorPids(long sinceMillis) throws IOException {
    List<Long> pids = new ArrayList<>();
    for (Path stderr : executorLogs()) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("process name: (\\d+)@")
          .matcher(Files.readString(stderr));
      if (Files.getLastModifiedTime(stderr).toMillis() >= sinceMillis && m.find()) {
        pids.add(Long.parseLong(m.group(1)));
      }
    }
    return pids;
  }

  /** Step lines a run has written to its metrics file so far (flushed line by line). */
  private static long stepsLogged(Path metrics) {
    try {
      return Files.exists(metrics)
          ? Files.readAllLines(metrics).stream().filter(l -> l.contains("\"type\":\"step\"")).count() : 0;
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // being written; look again
    }
  }

  /**
   * Kills one of the run's executor JVMs once both run and it has logged {@code steps} steps; a failure to do so is
   * kept for the test to report.
   */
  private static Thread executorKiller(long runStarted, Path metrics, int steps, AtomicReference<Throwable> failure) {
    Thread killer = new Thread(() -> {
      try {
        List<Long> pids = List.of();
        for (int i = 0; i < 1200 && (pids.size() < 2 || stepsLogged(metrics) < steps); i++) {
          Thread.sleep(100);
          try {
            pids = executorPids(runStarted);
          } catch (IOException | java.io.UncheckedIOException e) {
            // a worker is still creating the executor's folder; look again
          }
        }
        if (pids.size() < 2 || stepsLogged(metrics) < steps) {
          throw new AssertionError("the run did not get 2 executors and " + steps + " steps in within 2 minutes");
        }
        ProcessHandle.of(pids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
      } catch (Exception | Error e) {
        failure.set(e);
      }
    });
    killer.start();
    return killer;
  }

  /**
   * Both JVMs a job can lose: the driver is killed (kill -9) after its first checkpoint, and in the resubmitted run,
   * which resumes from that checkpoint, an executor JVM is killed mid-training (the worker launches a replacement).
   * The model still equals an undisturbed local-mode run's to the last bit. {@code --step-mode jobs}: every step runs
   * on the executors (the small data would otherwise train on the driver, leaving nothing to lose mid-run), and the
   * local run, in {@code driver} mode, must still match it. 12 epochs of 3 steps: the first
   * checkpoint comes at the first epoch's end, so the driver dies with about 30 steps still to go (the poll looks
   * every 100 ms; a step on this cluster takes 100-200 ms), and the executor 5 steps into the resumed run, with
   * about 25 to go.
   */
  @Test
  void driverAndExecutorKilledMidTrainingResumeFromTheHdfsCheckpointToTheSameModel() throws Exception {
    Path metrics = tmp.resolve("resumed-metrics.jsonl");
    String[] job = {"train", "--data", hdfs + "/data/cifar", "--model-out", hdfs + "/models/resumed", "--partitions",
        "3", "--step-mode", "jobs", "--loss", "hinge", "--batch-size", "100", "--epochs", "12", "--checkpoint-dir",
        hdfs + "/ckpt",
        "--checkpoint-every", "10", "--metrics-file", metrics.toString(), "--log-every", "1"};
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

    Files.deleteIfExists(metrics); // the killer counts the resumed run's steps only
    long resumed = System.currentTimeMillis();
    AtomicReference<Throwable> killerFailure = new AtomicReference<>();
    Thread killer = executorKiller(resumed, metrics, 5, killerFailure);
    Process second = submit("driver2.log", job);
    boolean finished = second.waitFor(5, TimeUnit.MINUTES);
    killer.join();
    assertTrue(finished, "the resumed run did not finish in 5 minutes");
    String log = Files.readString(tmp.resolve("driver2.log"));
    assertEquals(0, second.exitValue(), log);
    assertTrue(log.contains("resuming from the checkpoint"), log);
    assertEquals(null, killerFailure.get(), "the thread that kills an executor failed");
    assertTrue(executorPids(resumed).size() >= 3, "a replacement executor was launched after the kill");

    String local = tmp.resolve("undisturbed").toString();
    CommandLineTest.run(0, "train", "--data", TestSupport.samples().resolve("cifar").toString(), "--model-out", local,
        "--partitions", "3", "--loss", "hinge", "--batch-size", "100", "--epochs", "12", "--master", "local[2]");
    ModelStore store = new ModelStore(new Configuration());
    assertArrayEquals(store.read(local).weights().parameters(),
        store.read(hdfs + "/models/resumed").weights().parameters(), 0.0);
  }

  /**
   * The README's cluster commands, verbatim but for the master's and the NameNode's addresses. The training command
   * is also the check that a job submitted through cluster.sh, run by executors in the workers' JVMs and reading and
   * writing hdfs:// paths, trains the local-mode model to the last bit.
   */
  @Test
  void readmeClusterCommandsRunOnThisClusterAndTrainTheLocalModeModel() throws Exception {
    org.apache.hadoop.fs.FileSystem fs = dfs.getFileSystem();
    for (String dir : List.of("/data/cifar10", "/data/holdout")) {
      fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestSupport.samples().resolve("cifar").toString()),
          new org.apache.hadoop.fs.Path(dir));
    }
    List<String> commands = org.sparklinear.ReadmeCommands.all().stream()
        .filter(org.sparklinear.ReadmeCommands::forCluster).toList();
    assertEquals(2, commands.size(), commands.toString());
    String train = commands.stream().filter(c -> c.contains(" train ")).findFirst().orElseThrow();
    int executorsBefore = executorLogs().size();
    runReadmeCommand(train, "readme-train.log");
    assertEquals(executorsBefore + 2, executorLogs().size(), "one executor JVM per worker");

    String local = tmp.resolve("local-model").toString();
    CommandLineTest.run(0, "train", "--data", TestSupport.samples().resolve("cifar").toString(), "--model-out", local,
        "--master", "local[2]");
    ModelStore store = new ModelStore(new Configuration());
    LinearClassifier onCluster = store.read(hdfs + "/models/cifar-softmax");
    LinearClassifier inLocalMode = store.read(local);
    assertTrue(onCluster.metadata().sparkMaster().startsWith("spark://"), onCluster.metadata().sparkMaster());
    assertArrayEquals(inLocalMode.weights().parameters(), onCluster.weights().parameters(), 0.0);
    assertEquals(inLocalMode.preprocessor(), onCluster.preprocessor());

    for (String command : commands) {
      if (!command.equals(train)) {
        runReadmeCommand(command, "readme-other.log");
      }
    }
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/models/registry/CURRENT")));
  }

  private static void runReadmeCommand(String command, String log) throws Exception {
    String here = command.replace("spark://master:7077", masterUrl).replace("hdfs:///", hdfs + "/");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", here).directory(TestSupport.projectDir().toFile())
        .redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile());
    pb.environment().put("SPARK_HOME", ClusterTestSupport.sparkSubmitHome(tmp.resolve("submit-home")).toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SLC_SUBMIT_ARGS", TestSupport.CLUSTER_JOB_SUBMIT_ARGS);
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "did not finish in 5 minutes: " + here);
    assertEquals(0, p.exitValue(), here + "\n" + Files.readString(tmp.resolve(log)));
  }
}
