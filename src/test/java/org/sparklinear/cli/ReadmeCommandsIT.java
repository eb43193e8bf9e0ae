package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.ReadmeCommands;
import org.sparklinear.TestSupport;

/**
 * Runs the README's commands, in order, as a user would in a fresh checkout: in a scratch copy of the project (its
 * scripts, configuration, samples and built jar linked in), so that nothing they write lands in the real one.
 * Commands on ../shared run when it is present. The cluster commands run in {@link StandaloneClusterIT}; the
 * test suite itself ({@code mvn -B verify}) is what .ci/run runs.
 */
class ReadmeCommandsIT {
  @TempDir Path tmp;

  @Test
  void everyReadmeCommandRunsAndSucceeds() throws Exception {
    Path project = TestSupport.projectDir();
    Path scratch = Files.createDirectories(tmp.resolve("checkout"));
    for (String entry : List.of("submit", "conf", "data-samples", "target", "pom.xml", "README.md", "src")) {
      Files.createSymbolicLink(scratch.resolve(entry), project.resolve(entry));
    }
    Path shared = project.resolve("../shared").normalize();
    boolean haveShared = Files.isDirectory(shared.resolve("data/cifar10"));
    if (haveShared) {
      Files.createSymbolicLink(tmp.resolve("shared"), shared);
    }
    List<String> commands = ReadmeCommands.all();
    assertTrue(commands.size() >= 10, commands.toString());
    int ran = 0;
    for (String command : commands) {
      if (ReadmeCommands.forCluster(command) || ReadmeCommands.forYarnOrKubernetes(command)
          || ReadmeCommands.fullBenchmark(command)) {
        continue;
      }
      if (command.equals("mvn -B verify")) {
        assertTrue(Files.readString(project.resolve(".ci/run")).contains("\nmvn -B verify\n"),
            ".ci/run runs the README's test command");
        continue;
      }
      if (command.contains("../shared") && !haveShared) {
        System.err.println("SKIPPED README command (../shared/data/cifar10 is absent): " + command);
        continue;
      }
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(scratch.toFile())
          .redirectErrorStream(true).redirectOutput(tmp.resolve("out-" + ran + ".txt").toFile());
      long started = System.nanoTime();
      Process p = pb.start();
      assertTrue(p.waitFor(15, TimeUnit.MINUTES), "README command did not finish in 15 minutes: " + command);
      String out = Files.readString(tmp.resolve("out-" + ran + ".txt"));
      assertEquals(0, p.exitValue(), "README command failed: " + command + "\n" + tail(out));
      System.err.printf("README command ok in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, command);
      ran++;
    }
    assertTrue(ran >= 8, "ran " + ran + " README commands");
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }
}
