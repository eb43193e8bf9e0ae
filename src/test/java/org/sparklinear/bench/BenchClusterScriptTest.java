package org.sparklinear.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;

/**
 * {@code submit/bench-cluster.sh} refuses before it touches anything: bad options, no root, no iproute2. (The
 * benchmark itself needs root, network namespaces and minutes: it is run by hand, see the README.)
 */
class BenchClusterScriptTest {
  @TempDir Path tmp;

  private static boolean root() throws Exception {
    Process id = new ProcessBuilder("id", "-u").start();
    return new String(id.getInputStream().readAllBytes()).trim().equals("0") && id.waitFor() == 0;
  }

  /** Exit code and stderr of the script run with {@code prefix} before it and {@code path} as PATH (null: as is). */
  private static String[] run(List<String> prefix, String path, String... args) throws Exception {
    return run(prefix, path, TestSupport.projectDir().resolve("submit/bench-cluster.sh"), args);
  }

  private static String[] run(List<String> prefix, String path, Path script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(script.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    if (path != null) {
      pb.environment().put("PATH", path);
    }
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script did not finish");
    return new String[] {Integer.toString(p.exitValue()), err};
  }

  @Test
  void badOptionsExitTwoNamingTheOption() throws Exception {
    String[] unknown = run(List.of(), null, "--bogus");
    assertEquals("2", unknown[0], unknown[1]);
    assertTrue(unknown[1].contains("unknown option --bogus"), unknown[1]);
    String[] exact = run(List.of(), null, "--local-steps", "1 4");
    assertEquals("2", exact[0], exact[1]);
    assertTrue(exact[1].contains("got '1'"), exact[1]);
    String[] every = run(List.of(), null, "--eval-every", "0");
    assertEquals("2", every[0], every[1]);
    assertTrue(every[1].contains("--eval-every") && every[1].contains("got '0'"), every[1]);
    String[] missing = run(List.of(), null, "--delay");
    assertEquals("2", missing[0], missing[1]);
    assertTrue(missing[1].contains("--delay needs a value"), missing[1]);
  }

  @Test
  void refusesWithoutRoot() throws Exception {
    List<String> asNobody = List.of();
    if (root()) {
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
          "running as root and setpriv (util-linux) is missing: cannot run the script as another user");
      asNobody = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    }
    // a copy that user can read: a checkout under a private folder (mktemp -d's 700) is out of its reach
    Path open = Files.createTempDirectory("slc-bench-cluster");
    try {
      Path script = Files.copy(TestSupport.projectDir().resolve("submit/bench-cluster.sh"),
          open.resolve("bench-cluster.sh"));
      Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      String[] r = run(asNobody, null, script, "--check");
      assertEquals("2", r[0], r[1]);
      assertTrue(r[1].contains("needs root"), r[1]);
    } finally {
      try (var files = Files.walk(open)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void refusesWithoutIproute2() throws Exception {
    assumeTrue(root(), "not root: the script refuses on that first (refusesWithoutRoot)");
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String tool : List.of("bash", "id", "dirname", "sed")) {
      Process which = new ProcessBuilder("bash", "-c", "command -v " + tool).start();
      String at = new String(which.getInputStream().readAllBytes()).trim();
      assumeTrue(which.waitFor() == 0, tool + " is not on PATH");
      Files.createSymbolicLink(bin.resolve(tool), Path.of(at));
    }
    String[] r = run(List.of(), bin.toString(), "--check");
    assertEquals("2", r[0], r[1]);
    assertTrue(r[1].contains("'ip' is missing"), r[1]);
  }
}
