package org.sparklinear;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The commands the README shows: every line of its {@code ```bash} blocks, with continuations joined. */
public final class ReadmeCommands {
  private ReadmeCommands() {}

  public static List<String> all() throws IOException {
    List<String> commands = new ArrayList<>();
    boolean inBash = false;
    StringBuilder pending = new StringBuilder();
    for (String line : Files.readAllLines(TestSupport.projectDir().resolve("README.md"))) {
      if (line.startsWith("```")) {
        inBash = !inBash && line.trim().equals("```bash");
        continue;
      }
      if (!inBash) {
        continue;
      }
      String text = line.strip();
      if (pending.isEmpty() && (text.isEmpty() || text.startsWith("#"))) {
        continue;
      }
      if (text.endsWith("\\")) {
        pending.append(text, 0, text.length() - 1).append(' ');
        continue;
      }
      pending.append(text);
      commands.add(pending.toString().replaceAll("\\s+", " ").trim());
      pending.setLength(0);
    }
    return commands;
  }

  /** Commands for a real cluster (placeholder hosts); the cluster tests run them against theirs. */
  public static boolean forCluster(String command) {
    return command.contains("spark://master:7077");
  }

  /**
   * The full benchmark (6 to 8 minutes) and the network benchmark (root, network namespaces, about 9 minutes): the
   * README says they are the commands the suite leaves out.
   */
  public static boolean fullBenchmark(String command) {
    return command.equals("submit/bench.sh") || command.startsWith("submit/bench-cluster.sh")
        || command.startsWith("submit/bench.sh --cluster");
  }

  /** Commands for YARN; {@code YarnClusterIT} runs them against its in-process YARN cluster. */
  public static boolean forYarn(String command) {
    return command.contains("--master yarn");
  }

  /** Commands on S3 buckets (placeholder names); S3StorageTest and S3RegistryTest run them against test servers. */
  public static boolean forObjectStorage(String command) {
    return command.contains("s3a://");
  }

  /** Commands for YARN or Kubernetes, which run in their own tests, not as plain commands. */
  public static boolean forYarnOrKubernetes(String command) {
    return command.contains("--master yarn") || command.contains("--master k8s://");
  }

  /** The Kubernetes command: KubernetesSubmissionTest submits it to an in-memory Kubernetes API server. */
  public static boolean forKubernetes(String command) {
    return command.contains("--master k8s://");
  }
}
