package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;

/**
 * {@code submit/Dockerfile} cannot be built here (no container engine), so this checks what it relies on: the files
 * it copies exist in the packaged build, the classes it names are in the job jar, it puts them where the README's
 * Kubernetes command (and {@link KubernetesSubmissionTest}) expects them, and it starts from the build's Spark.
 */
class ContainerImageRecipeIT {
  private static final Path PROJECT = TestSupport.projectDir();
  private static final String JAR_IN_IMAGE = KubernetesSubmissionTest.IMAGE_DIR + "/spark-linear-classifier.jar";

  private static String recipe() throws IOException {
    return Files.readString(PROJECT.resolve("submit/Dockerfile"));
  }

  /** COPY instructions as destination to sources, in order. */
  private static Map<String, List<String>> copies() throws IOException {
    Map<String, List<String>> copies = new LinkedHashMap<>();
    for (String line : recipe().replace("\\\n", " ").lines().toList()) {
      if (line.startsWith("COPY ")) {
        List<String> words = new ArrayList<>(List.of(line.substring(5).trim().split("\\s+")));
        words.removeIf(w -> w.startsWith("--"));
        copies.put(words.remove(words.size() - 1), words);
      }
    }
    return copies;
  }

  @Test
  void copiedFilesExistInThePackagedBuildAndLandWhereTheCommandLooks() throws Exception {
    Map<String, List<String>> copies = copies();
    for (List<String> sources : copies.values()) {
      for (String source : sources) {
        assertTrue(Files.isRegularFile(PROJECT.resolve(source)), "submit/Dockerfile copies " + source
            + ", which the build (mvn -B package) does not have");
      }
    }
    assertEquals(List.of("target/spark-linear-classifier.jar"), copies.get(JAR_IN_IMAGE), copies.toString());
    List<String> conf = copies.get(KubernetesSubmissionTest.IMAGE_DIR + "/conf/");
    assertNotNull(conf, "conf/ goes to " + KubernetesSubmissionTest.IMAGE_DIR + "/conf/: " + copies);
    try (var files = Files.list(PROJECT.resolve("conf"))) {
      assertEquals(files.map(f -> "conf/" + f.getFileName()).sorted().toList(), conf.stream().sorted().toList(),
          "every file of conf/, log4j2.properties among them (submit/cluster.sh points the driver at it)");
    }
    String clusterSh = Files.readString(PROJECT.resolve("submit/cluster.sh"));
    assertTrue(clusterSh.contains("jar=\"local://$SLC_IMAGE_DIR/spark-linear-classifier.jar\"")
        && clusterSh.contains("job_conf=\"$SLC_IMAGE_DIR/conf\""), "submit/cluster.sh looks where the image has them");
  }

  @Test
  void classesItNamesAreInTheJobJarWhoseEntryPointIsMain() throws Exception {
    try (JarFile jar = new JarFile(PROJECT.resolve("target/spark-linear-classifier.jar").toFile())) {
      assertEquals(Main.class.getName(), jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS));
      Matcher named = Pattern.compile("org\\.sparklinear(\\.\\w+)+").matcher(recipe());
      int classes = 0;
      while (named.find()) {
        classes++;
        String entry = named.group().replace('.', '/') + ".class";
        assertNotNull(jar.getEntry(entry), "submit/Dockerfile names " + named.group() + ", not in the job jar");
      }
      assertTrue(classes > 0, "the recipe says which class the driver runs");
      assertTrue(recipe().contains(Main.class.getName() + " from local://" + JAR_IN_IMAGE));
    }
  }

  @Test
  void itStartsFromTheBuildsSparkAndTheReadmeBuildsAndSubmitsTheSameImage() throws Exception {
    String recipe = recipe();
    Matcher base = Pattern.compile("(?m)^ARG SPARK_IMAGE=apache/spark:(\\S+)$").matcher(recipe);
    assertTrue(base.find(), "the base image is the official Spark image");
    assertEquals(org.apache.spark.package$.MODULE$.SPARK_VERSION(), base.group(1), "the build's Spark version");
    assertTrue(recipe.contains("FROM ${SPARK_IMAGE}"));

    Matcher build = Pattern.compile("docker build -f submit/Dockerfile -t (\\S+) \\.").matcher(recipe);
    assertTrue(build.find(), "the recipe says how to build it");
    List<String> readme = Files.readAllLines(PROJECT.resolve("README.md"));
    assertTrue(readme.contains(build.group()), "the README shows the recipe's build command on a line of its own");
    String command = KubernetesSubmissionTest.readmeKubernetesCommand();
    assertTrue(command.contains("spark.kubernetes.container.image=" + build.group(1) + " "),
        "the README's Kubernetes command runs the image the recipe builds: " + command);
    String submitLine = recipe.replaceFirst("(?s).*#\\s+(SLC_IMAGE_DIR=\\S+ submit/cluster.sh --master \\S+).*", "$1");
    assertFalse(submitLine.equals(recipe), "the recipe shows how to submit with it");
    assertTrue(command.startsWith(submitLine), command + " vs the recipe's " + submitLine);
  }
}
