package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.spark.deploy.InProcessSparkSubmit;
import org.apache.spark.network.util.JavaUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.ReadmeCommands;
import org.sparklinear.TestSupport;

/**
 * The README's Kubernetes command, verbatim but for the API server's address, submitted in cluster deploy mode to an
 * in-memory Kubernetes API server: {@code submit/cluster.sh} runs as users run it, its spark-submit arguments are
 * handed to Spark's SparkSubmit in this JVM (as {@code InProcessLauncher} does), and the driver pod and config map
 * it creates are read back. Nothing runs in them: this machine has no container engine.
 */
class KubernetesSubmissionTest {
  /** Where submit/Dockerfile puts the job jar and conf/ (ContainerImageRecipeIT checks the recipe). */
  static final String IMAGE_DIR = "/opt/spark/work-dir";
  static final String README_MASTER = "k8s://https://k8s-api:6443";

  @TempDir static Path tmp;
  static InMemoryKubernetes k8s;
  static Properties defaults;

  @BeforeAll
  static void startApiServer() throws IOException {
    k8s = new InMemoryKubernetes();
    defaults = properties(Files.newBufferedReader(TestSupport.projectDir().resolve("conf/spark-defaults.conf")));
  }

  @AfterAll
  static void stopApiServer() {
    if (k8s != null) {
      k8s.close();
    }
  }

  private static Properties properties(Reader text) throws IOException {
    try (Reader r = text) {
      Properties p = new Properties();
      p.load(r);
      return p;
    }
  }

  static String readmeKubernetesCommand() throws IOException {
    List<String> commands = ReadmeCommands.all().stream().filter(ReadmeCommands::forKubernetes).toList();
    assertEquals(1, commands.size(), commands.toString());
    String command = commands.get(0);
    assertTrue(command.contains(README_MASTER) && command.contains("SLC_IMAGE_DIR=" + IMAGE_DIR + " "), command);
    return command;
  }

  /** The driver pod a command created and, by name, the config map mounted in it. */
  record Submission(Pod driverPod, Container driver, ConfigMap configMap, Properties sparkProperties) {}

  /** Runs {@code command} (a submit/cluster.sh line) against the in-memory API server. */
  private static Submission submit(String command) throws Exception {
    Set<String> before = names(k8s.client.pods().list().getItems());
    Path home = ClusterTestSupport.argvRecordingHome(Files.createTempDirectory(tmp, "spark-home"));
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(TestSupport.projectDir().toFile())
        .redirectErrorStream(true).redirectOutput(home.resolve("script.log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    // return once the driver pod exists: there is no kubelet to run it to completion
    pb.environment().put("SLC_SUBMIT_ARGS", "--conf spark.kubernetes.submission.waitAppCompletion=false");
    Process script = pb.start();
    assertTrue(script.waitFor(30, TimeUnit.SECONDS), command);
    assertEquals(0, script.exitValue(), Files.readString(home.resolve("script.log")));
    sparkSubmit(Files.readString(home.resolve("argv")).split("\0"));

    List<Pod> created = k8s.client.pods().list().getItems().stream()
        .filter(p -> !before.contains(p.getMetadata().getName())).toList();
    assertEquals(1, created.size(), "one driver pod per submission: " + names(created));
    Pod pod = created.get(0);
    assertEquals("driver", pod.getMetadata().getLabels().get("spark-role"));
    String configMapName = pod.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
        .map(v -> v.getConfigMap().getName()).findFirst().orElseThrow();
    ConfigMap configMap = k8s.client.configMaps().withName(configMapName).get();
    assertNotNull(configMap, "the config map the driver pod mounts: " + configMapName);
    return new Submission(pod, pod.getSpec().getContainers().get(0), configMap,
        properties(new StringReader(configMap.getData().get("spark.properties"))));
  }

  private static Set<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
  }

  /** spark-submit with these arguments, in this JVM: the SparkSubmit entry point that InProcessLauncher calls. */
  private static void sparkSubmit(String[] argv) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // a thread of its own: SparkSubmit replaces its thread's context class loader
    Thread submit = new Thread(() -> {
      try {
        InProcessSparkSubmit.main(argv);
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "spark-submit");
    submit.start();
    submit.join(60_000);
    assertTrue(!submit.isAlive(), "spark-submit did not return in 60 s");
    if (failure.get() != null) {
      throw new AssertionError("spark-submit " + String.join(" ", argv), failure.get());
    }
  }

  /** The pod's memory: the driver's heap plus Spark's overhead (10%, at least 384 MiB). */
  private static Quantity podMemory(String driverMemory) {
    long mib = JavaUtils.byteStringAsMb(driverMemory);
    return new Quantity(mib + Math.max(mib / 10, 384) + "Mi");
  }

  @Test
  void readmeCommandCreatesTheDriverPodWithTheImageJarArgumentsAndDefaults() throws Exception {
    String command = readmeKubernetesCommand();
    Submission s = submit(command.replace(README_MASTER, k8s.masterUrl()));

    String image = command.replaceFirst(".*spark\\.kubernetes\\.container\\.image=(\\S+).*", "$1");
    assertEquals(image, s.driver().getImage());
    String jar = "local://" + IMAGE_DIR + "/spark-linear-classifier.jar";
    List<String> expected = new ArrayList<>(List.of("driver", "--properties-file", "/opt/spark/conf/spark.properties",
        "--class", Main.class.getName(), jar));
    expected.addAll(List.of(command.substring(command.indexOf(" -- ") + 4).split(" ")));
    assertEquals(expected, s.driver().getArgs(), "the container runs the job's main class with the train arguments");
    assertEquals("spark-linear-classifier-train", s.driverPod().getMetadata().getLabels().get("spark-app-name"));

    // conf/spark-defaults.conf reaches the driver pod's resources and its spark.properties
    Properties conf = s.sparkProperties();
    for (String key : defaults.stringPropertyNames()) {
      assertEquals(defaults.getProperty(key), conf.getProperty(key), key + " from conf/spark-defaults.conf");
    }
    assertEquals(podMemory(defaults.getProperty("spark.driver.memory")),
        s.driver().getResources().getRequests().get("memory"));
    assertEquals(podMemory(defaults.getProperty("spark.driver.memory")),
        s.driver().getResources().getLimits().get("memory"));
    assertEquals(new Quantity(defaults.getProperty("spark.driver.cores")),
        s.driver().getResources().getRequests().get("cpu"));
    // the command line's settings, and the job's jar and logging setup from the image, not from this checkout
    assertEquals("4", conf.getProperty("spark.executor.instances"));
    assertEquals(jar, conf.getProperty("spark.jars"));
    assertEquals("-Dlog4j.configurationFile=file:" + IMAGE_DIR + "/conf/log4j2.properties",
        conf.getProperty("spark.driver.extraJavaOptions"));
    assertNull(conf.getProperty("spark.kubernetes.file.upload.path"), "nothing is uploaded");
  }

  @Test
  void commandLineDriverMemoryAndCoresOverrideTheDefaultsFile() throws Exception {
    assertEquals("4g", defaults.getProperty("spark.driver.memory"), "the test overrides a different value");
    String command = readmeKubernetesCommand().replace(README_MASTER, k8s.masterUrl())
        .replace("--deploy-mode cluster", "--deploy-mode cluster --driver-memory 2g --driver-cores 2")
        .replace("hdfs:///models/cifar-softmax", "hdfs:///models/cifar-hinge --loss hinge");
    Submission s = submit(command);

    assertEquals("2g", s.sparkProperties().getProperty("spark.driver.memory"));
    assertEquals("2", s.sparkProperties().getProperty("spark.driver.cores"));
    assertEquals(new Quantity("2432Mi"), s.driver().getResources().getRequests().get("memory"), "2 GiB + 384 MiB");
    assertEquals(new Quantity("2"), s.driver().getResources().getRequests().get("cpu"));
    List<String> args = s.driver().getArgs();
    assertEquals(List.of("hdfs:///models/cifar-hinge", "--loss", "hinge"), args.subList(args.size() - 3,
        args.size()));
    assertEquals(defaults.getProperty("spark.executor.memory"), s.sparkProperties().getProperty(
        "spark.executor.memory"), "what the command line leaves alone still comes from the defaults file");
  }
}
