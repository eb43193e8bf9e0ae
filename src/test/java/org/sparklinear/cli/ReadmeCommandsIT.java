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
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.sparklinear.ReadmeCommands;
import org.sparklinear.TestSupport;

/**
 * Runs the README's commands, in order, as a user would in a fresh checkout: in a scratch copy of the project (its
 * scripts, configuration, samples and built jar linked in), so that nothing they write lands in the real one.
 * The commands on ../shared are a test of their own, skipped where ../shared/data/cifar10 is absent; they read and
 * write nothing the others do, so both tests run at the same time (each in its own scratch copy). The cluster
 * commands run in {@link StandaloneClusterIT}; the test suite itself ({@code mvn -B verify}) is what .ci/run runs.
 */
@Execution(ExecutionMode.CONCURRENT)
class ReadmeCommandsIT {

  private static boolean onShared(String command) {
    return command.contains("../shared");
  }

  @Test
  void everyReadmeCommandRunsAndSucceeds(@TempDir Path tmp) throws Exception {
    Path project = TestSupport.projectDir();
    List<String> commands = ReadmeCommands.all();
    assertTrue(commands.size() >= 10, commands.toString());
    int ran = 0;
    Path scratch = scratchCheckout(tmp, false);
    for (String command : commands) {
      if (ReadmeCommands.forCluster(command) || ReadmeCommands.forYarnOrKubernetes(command)
          || ReadmeCommands.forObjectStorage(command) || ReadmeCommands.fullBenchmark(command) || onShared(command)) {
        continue;
      }
      if (command.equals("mvn -B verify")) {
        assertTrue(Files.readString(project.resolve(".ci/run")).contains("\nmvn -B verify\n"),
            ".ci/run runs the README's test command");
        continue;
      }
      run(tmp, scratch, command, ran++);
    }
    assertTrue(ran >= 8, "ran " + ran + " README commands");
  }

  @Test
  void readmeCommandsOnTheSharedCifar10RunAndSucceed(@TempDir Path tmp) throws Exception {
    boolean haveShared = TestSupport.cifar10() != null;
    if (!haveShared) {
      System.err.println("SKIPPED the README commands on ../shared: ../shared/data/cifar10 is absent");
    }
    assumeTrue(haveShared, "../shared/data/cifar10 is absent next to this checkout");
    Path scratch = scratchCheckout(tmp, true);
    int ran = 0;
    for (String command : ReadmeCommands.all()) {
      if (onShared(command) && !ReadmeCommands.forCluster(command) && !ReadmeCommands.forYarnOrKubernetes(command)
          && !ReadmeCommands.fullBenchmark(command)) {
        run(tmp, scratch, command, ran++);
      }
    }
    assertTrue(ran >= 2, "ran " + ran + " README commands on ../shared");
  }

  /** tmp/checkout with the project's files linked in, and tmp/shared linked to ../shared when asked. */
  private static Path scratchCheckout(Path tmp, boolean withShared) throws Exception {
    Path project = TestSupport.projectDir();
    Path scratch = Files.createDirectories(tmp.resolve("checkout"));
    for (String entry : List.of("submit", "conf", "data-samples", "target", "pom.xml", "README.md", "src")) {
      Files.createSymbolicLink(scratch.resolve(entry), project.resolve(entry));
    }
    if (withShared) {
      Files.createSymbolicLink(tmp.resolve("shared"), project.resolve("../shared").normalize());
    }
    return scratch;
  }

  private static void run(Path tmp, Path scratch, String command, int n) throws Exception {
    Path log = tmp.resolve("out-" + n + ".txt");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(scratch.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    long started = System.nanoTime();
    Process p = pb.start();
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), "README command did not finish in 15 minutes: " + command);
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), "README command failed: " + command + "\n" + tail(out));
    System.err.printf("README command ok in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, command);
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }
}
