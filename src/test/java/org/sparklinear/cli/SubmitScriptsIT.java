package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;

/**
 * The submit scripts as users run them, on the packaged jar: {@code submit/local.sh}, {@code submit/retrain.sh} and
 * {@code submit/cluster.sh}'s usage (its jobs, through a real {@code spark-submit}, run in {@link StandaloneClusterIT}).
 */
class SubmitScriptsIT {
  /** The last epoch's summary line, whatever number of epochs the defaults chose. */
  private static final java.util.regex.Pattern LAST_EPOCH_DONE =
      java.util.regex.Pattern.compile("epoch (\\d+)/\\1 done");

  @TempDir Path tmp;

  private static String[] run(Path workDir, List<String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().put("SLC_JAVA_OPTS", TestSupport.SMALL_DATA_JVM_OPTS);
    for (String kv : env) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Path out = Files.createTempFile("stdout", ".txt");
    Path err = Files.createTempFile("stderr", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
    }
    return new String[] {Integer.toString(p.exitValue()), Files.readString(out), Files.readString(err)};
  }

  @Test
  void localScriptTrainsEvaluatesAndPrintsOneJsonObject() throws Exception {
    Path project = TestSupport.projectDir();
    String model = tmp.resolve("model").toString();
    // two epochs: this checks the script, not the defaults' training length (ReadmeCommandsIT runs those)
    String[] train = run(project, List.of(), "submit/local.sh", "train", "--data", "data-samples/cifar",
        "--model-out", model, "--epochs", "2", "--master", "local[2]");
    assertEquals("0", train[0], train[2]);
    String[] eval = run(project, List.of(), "submit/local.sh", "evaluate", "--model", model, "--data",
        "data-samples/images", "--json", "--master", "local[2]");
    assertEquals("0", eval[0], eval[2]);
    assertEquals(1, eval[1].lines().filter(l -> !l.isBlank()).count(), eval[1]);
    assertTrue(eval[1].trim().startsWith("{\"accuracy\":"), eval[1]);
    assertTrue(!train[2].contains("\033[K") && LAST_EPOCH_DONE.matcher(train[2]).find(),
        "without a terminal: log lines, no progress line\n" + train[2]);
    String[] bad = run(project, List.of(), "submit/local.sh", "train", "--data", "data-samples/cifar",
        "--model-out", model, "--master", "local[2]");
    assertEquals("2", bad[0], "an existing model directory is bad input");
    assertTrue(bad[2].contains("--overwrite"), bad[2]);
  }

  /** Jobs submitted through cluster.sh and a real spark-submit are StandaloneClusterIT's, on a real cluster. */
  @Test
  void clusterScriptWithoutACommandPrintsItsUsage() throws Exception {
    Path sparkHome = ClusterTestSupport.sparkSubmitHome(tmp.resolve("spark-home"));
    String[] help = run(TestSupport.projectDir(), List.of("SPARK_HOME=" + sparkHome), "submit/cluster.sh");
    assertEquals("2", help[0], "no command: usage and exit 2");
  }

  /** Its promotion, exit codes, log and replay are checked on the README's own run, in ReadmeCommandsIT. */
  @Test
  void retrainScriptWithoutAHoldoutIsAUsageError() throws Exception {
    String registry = tmp.resolve("registry").toString();
    String[] missing = run(TestSupport.projectDir(), List.of("SLC_LOG_DIR=" + tmp.resolve("logs")),
        "submit/retrain.sh", "--registry", registry, "--data", "data-samples/cifar");
    assertEquals("2", missing[0], "no --holdout is a usage error");
    assertTrue(missing[2].contains("--holdout is required"), missing[2]);
  }

  @Test
  void onATerminalTrainingShowsALiveProgressLine() throws Exception {
    Path project = TestSupport.projectDir();
    String model = tmp.resolve("tty-model").toString();
    boolean haveScript = Files.isExecutable(Path.of("/usr/bin/script"));
    if (!haveScript) {
      System.err.println("SKIPPED the terminal progress line check: /usr/bin/script (util-linux) is absent");
    }
    assumeTrue(haveScript, "/usr/bin/script (util-linux) is absent: no pseudo-terminal to run the job on");
    // script(1) runs the command on a pseudo-terminal, as an interactive shell would
    String[] tty = run(project, List.of(), "script", "-qec", "submit/local.sh train --data data-samples/cifar"
        + " --model-out " + model + " --batch-size 16 --epochs 3 --master local[2]", "/dev/null");
    assertEquals("0", tty[0], tty[1] + tty[2]);
    String screen = tty[1];
    assertTrue(java.util.regex.Pattern.compile("\r\033\\[Kepoch 1/\\d+  step ").matcher(screen).find(), screen);
    assertTrue(screen.contains(" ex/s  ETA "), screen);
    assertTrue(LAST_EPOCH_DONE.matcher(screen).find(), "epoch summaries are still logged\n" + screen);
  }
}
