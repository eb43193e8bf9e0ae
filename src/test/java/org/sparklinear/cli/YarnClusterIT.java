package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.ReadmeCommands;
import org.sparklinear.TestSupport;

/**
 * A real YARN cluster (ResourceManager and one NodeManager, {@link MiniYARNCluster} in this JVM, the capacity
 * scheduler configured by hand as Spark's own YARN suites do) and a real HDFS. The README's YARN commands run
 * through {@code submit/cluster.sh} and a real {@code spark-submit}, with the cluster's addresses in the client
 * configuration ({@code HADOOP_CONF_DIR}) as on a YARN gateway host; the ApplicationMaster and the executor are
 * JVMs the NodeManager launches. The model they write to HDFS equals the local-mode model, weights to the last bit.
 */
class YarnClusterIT {
  @TempDir static Path tmp;
  static MiniDFSCluster dfs;
  static MiniYARNCluster yarn;
  /** What a gateway host has: core-site.xml and yarn-site.xml naming the cluster's NameNode and ResourceManager. */
  static Path hadoopConfDir;
  /** A Spark installation configured for this cluster: {@code conf/spark-defaults.conf} says where Spark's jars are. */
  static Path sparkHome;

  @BeforeAll
  static void startClusters() throws Exception {
    Configuration dfsConf = new Configuration();
    dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    dfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
    dfs.waitActive();
    String hdfs = "hdfs://127.0.0.1:" + dfs.getNameNodePort();
    FileSystem fs = dfs.getFileSystem();
    for (String dir : List.of("/data/cifar10", "/data/holdout")) {
      fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(TestSupport.samples().resolve("cifar").toString()),
          new org.apache.hadoop.fs.Path(dir));
    }

    YarnConfiguration conf = new YarnConfiguration();
    conf.set("fs.defaultFS", hdfs); // the NodeManager localizes the job's files from the HDFS staging directory
    // hadoop-client-minicluster has no capacity-scheduler.xml: one queue that gets everything, as Spark's suites set
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
    conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    // a full disk must not mark the only node unhealthy; the machine's memory is shared, not the node's to police
    conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    yarn = new MiniYARNCluster(YarnClusterIT.class.getSimpleName(), 1, 1, 1);
    yarn.init(conf);
    yarn.start();
    // start() can return before the ResourceManager has put its bound port into the configuration
    Configuration live = yarn.getConfig();
    for (int i = 0; i < 100 && live.get(YarnConfiguration.RM_ADDRESS).endsWith(":0"); i++) {
      Thread.sleep(100);
    }
    assertTrue(!live.get(YarnConfiguration.RM_ADDRESS).endsWith(":0"), "the ResourceManager has no port after 10 s");

    hadoopConfDir = Files.createDirectories(tmp.resolve("hadoop-conf"));
    writeSite(hadoopConfDir.resolve("core-site.xml"), Map.of("fs.defaultFS", hdfs));
    writeSite(hadoopConfDir.resolve("yarn-site.xml"), Map.of(
        YarnConfiguration.RM_HOSTNAME, "127.0.0.1",
        YarnConfiguration.RM_ADDRESS, live.get(YarnConfiguration.RM_ADDRESS),
        YarnConfiguration.RM_SCHEDULER_ADDRESS, live.get(YarnConfiguration.RM_SCHEDULER_ADDRESS),
        YarnConfiguration.RM_WEBAPP_ADDRESS, live.get(YarnConfiguration.RM_WEBAPP_ADDRESS)));

    sparkHome = ClusterTestSupport.sparkSubmitHome(tmp.resolve("spark-home"));
    Files.createDirectories(sparkHome.resolve("conf"));
    // containers take Spark from the node's disk instead of a 300 MiB upload per application. The jars are listed in
    // the build's class path order: next to Spark's shaded hadoop-client-api the build also has unshaded Hadoop
    // jars, whose YARN classes lack their JAX-RS dependencies, and a jars/* folder would put them in any order.
    String jars = Arrays.stream(Files.readString(TestSupport.projectDir().resolve("target/classpath.txt")).trim()
        .split(":")).map(jar -> "local:" + jar).collect(Collectors.joining(","));
    // and the containers' environment: this Java, and Spark bound to loopback
    StringBuilder defaults = new StringBuilder("spark.yarn.jars " + jars + "\n");
    for (String env : List.of("spark.yarn.appMasterEnv.", "spark.executorEnv.")) {
      defaults.append(env).append("JAVA_HOME ").append(System.getProperty("java.home")).append('\n')
          .append(env).append("SPARK_LOCAL_IP 127.0.0.1\n");
    }
    Files.writeString(sparkHome.resolve("conf/spark-defaults.conf"), defaults);
  }

  @AfterAll
  static void stopClusters() {
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
    }
  }

  private static void writeSite(Path file, Map<String, String> properties) throws IOException {
    Configuration site = new Configuration(false);
    properties.forEach(site::set);
    try (OutputStream out = Files.newOutputStream(file)) {
      site.writeXml(out);
    }
  }

  /** Runs a README command as a user on a YARN gateway host would; returns its stdout (its stderr goes to a log). */
  private static String runOnYarn(String command, String name) throws Exception {
    Path out = tmp.resolve(name + ".out");
    Path log = tmp.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(TestSupport.projectDir().toFile())
        .redirectOutput(out.toFile()).redirectError(log.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("HADOOP_CONF_DIR", hadoopConfDir.toString());
    // a 2-core machine: one small executor, not the README's production sizes
    // no Spark UI: in client mode Spark 4.2 adds YARN's proxy filter to the UI's handlers while Jetty starts them,
    // which failed one run here with a ConcurrentModificationException in ServletHandler.initialize
    pb.environment().put("SLC_SUBMIT_ARGS", "--num-executors 1 --executor-memory 1g --driver-memory 1g"
        + " --conf spark.ui.enabled=false " + TestSupport.CLUSTER_JOB_SUBMIT_ARGS);
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("did not finish in 5 minutes: " + command + "\n" + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), command + "\n" + Files.readString(log));
    return Files.readString(out);
  }

  /** The YARN applications the ResourceManager has seen, oldest first. */
  private static List<RMApp> applications() {
    return yarn.getResourceManager().getRMContext().getRMApps().values().stream()
        .sorted(java.util.Comparator.comparing(RMApp::getApplicationId)).toList();
  }

  /**
   * Waits for the ResourceManager to record the application's end. In client deploy mode spark-submit exits once its
   * driver has told the ApplicationMaster to stop; the ApplicationMaster unregisters (SUCCEEDED) a moment later, and
   * until then the final status is UNDEFINED: a loaded machine once asked in between.
   */
  private static void awaitFinalState(RMApp app) throws InterruptedException {
    Set<RMAppState> ended = EnumSet.of(RMAppState.FINISHED, RMAppState.FAILED, RMAppState.KILLED);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!ended.contains(app.getState()) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  private static byte[] read(FileSystem fs, String file) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(file))) {
      return in.readAllBytes();
    }
  }

  /** metadata.json without what says where, when and how fast the model was made, and on what memory. */
  private static JsonNode withoutProvenance(byte[] metadataJson) throws IOException {
    ObjectNode metadata = (ObjectNode) new ObjectMapper().readTree(metadataJson);
    metadata.remove(List.of("createdAt", "sparkMaster"));
    ((ObjectNode) metadata.get("dataProvenance")).remove("data");
    ((ObjectNode) metadata.get("metrics")).remove("trainingSeconds");
    metadata.get("history").forEach(epoch -> ((ObjectNode) epoch).remove("seconds"));
    // the cache's choice is the same (memory) but its reason names the storage memory the executors have free
    metadata.get("automatic").forEach(choice -> {
      if (choice.get("setting").asText().equals("cache")) {
        ((ObjectNode) choice).remove("reason");
      }
    });
    return metadata;
  }

  /**
   * The README's two YARN commands: train in cluster deploy mode (the driver in the ApplicationMaster's container),
   * then evaluate in client deploy mode (the driver here, its JSON on this terminal's stdout).
   */
  @Test
  void readmeYarnCommandsTrainAndEvaluateOnTheClusterAsInLocalMode() throws Exception {
    List<String> commands = ReadmeCommands.all().stream().filter(ReadmeCommands::forYarn).toList();
    assertEquals(2, commands.size(), commands.toString());
    String train = commands.get(0);
    String evaluate = commands.get(1);
    assertTrue(train.contains("--deploy-mode cluster ") && train.contains(" -- train "), train);
    assertTrue(evaluate.contains("--deploy-mode client ") && evaluate.contains(" -- evaluate ")
        && evaluate.contains("--json"), evaluate);
    int before = applications().size();
    runOnYarn(train, "yarn-cluster-train");
    String evaluation = runOnYarn(evaluate, "yarn-client-evaluate");
    List<RMApp> apps = applications().subList(before, applications().size());
    assertEquals(2, apps.size(), "one YARN application per command");
    for (RMApp app : apps) {
      awaitFinalState(app);
      assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(),
          app.getApplicationId() + " " + app.getState() + ": " + app.getDiagnostics());
    }

    String local = tmp.resolve("local-model").toString();
    String cifar = TestSupport.samples().resolve("cifar").toString();
    CommandLineTest.run(0, "train", "--data", cifar, "--model-out", local, "--master", "local[2]");
    FileSystem fs = dfs.getFileSystem();
    FileSystem localFs = FileSystem.getLocal(new Configuration());
    assertArrayEquals(read(localFs, local + "/weights.bin"), read(fs, "/models/cifar-softmax/weights.bin"),
        "weights.bin, byte for byte");
    byte[] onYarn = read(fs, "/models/cifar-softmax/metadata.json");
    assertEquals("yarn", new ObjectMapper().readTree(onYarn).get("sparkMaster").asText());
    assertEquals(withoutProvenance(read(localFs, local + "/metadata.json")), withoutProvenance(onYarn));

    ObjectNode localEvaluation = (ObjectNode) new ObjectMapper().readTree(CommandLineTest.run(0, "evaluate",
        "--model", local, "--data", cifar, "--json", "--master", "local[2]"));
    ObjectNode yarnEvaluation = (ObjectNode) new ObjectMapper().readTree(evaluation);
    for (ObjectNode result : List.of(localEvaluation, yarnEvaluation)) {
      result.remove(List.of("model", "data"));
    }
    assertEquals(localEvaluation, yarnEvaluation, "stdout holds the one JSON object, the local-mode evaluation's");
  }
}
