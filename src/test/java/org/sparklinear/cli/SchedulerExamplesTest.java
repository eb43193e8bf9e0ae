package org.sparklinear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;

/**
 * The crontab line and the systemd units in submit/ are examples people copy: their retrain options must exist, the
 * cron schedule must parse, and the units must pass {@code systemd-analyze verify} where systemd is installed.
 */
class SchedulerExamplesTest {
  private static final Path SUBMIT = TestSupport.projectDir().resolve("submit");

  /** The retrain options of a submit/retrain.sh command line: the flags after its "--". */
  private static List<String> retrainFlags(String commandLine) {
    String afterScript = commandLine.substring(commandLine.indexOf("submit/retrain.sh"));
    String[] tokens = afterScript.split("\\s+");
    List<String> flags = new ArrayList<>();
    boolean afterSeparator = false;
    for (String t : tokens) {
      if (t.equals("--")) {
        afterSeparator = true;
      } else if (afterSeparator && t.startsWith("--")) {
        flags.add(t.substring(2));
      }
    }
    return flags;
  }

  private static void assertRetrainOptions(List<String> flags, String where) {
    List<String> known = new RetrainCommand(System.out).options();
    assertTrue(flags.containsAll(List.of("registry", "data", "holdout", "run-id")), where + ": " + flags);
    for (String f : flags) {
      assertTrue(known.contains(f), where + " passes --" + f + ", which retrain does not have");
    }
  }

  @Test
  void crontabLineHasFiveScheduleFieldsAndRealOptions() throws Exception {
    List<String> entries = Files.readAllLines(SUBMIT.resolve("retrain.crontab")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.matches("^[A-Z_]+=.*")).toList();
    assertEquals(1, entries.size(), entries.toString());
    String[] fields = entries.get(0).split("\\s+", 6);
    for (int i = 0; i < 5; i++) {
      assertTrue(fields[i].matches("[0-9*/,-]+"), "schedule field " + (i + 1) + ": " + fields[i]);
    }
    assertTrue(!fields[5].matches(".*[^\\\\]%.*"), "an unescaped % ends a cron command: " + fields[5]);
    assertRetrainOptions(retrainFlags(fields[5]), "retrain.crontab");
  }

  @Test
  void systemdUnitsVerifyAndPassRealOptions() throws Exception {
    Path service = SUBMIT.resolve("systemd/slc-retrain.service");
    String exec = Files.readAllLines(service).stream().filter(l -> l.startsWith("ExecStart=")).findFirst()
        .orElseThrow();
    assertRetrainOptions(retrainFlags(exec), service.toString());
    assertTrue(Files.readString(service).contains("SuccessExitStatus=" + ExitCode.KEPT_CURRENT + " "
        + ExitCode.REGISTRY_BUSY));
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    String missing = "SKIPPED systemd-analyze verify: /usr/bin/systemd-analyze is absent";
    if (!Files.isExecutable(analyze)) {
      System.err.println(missing);
    }
    assumeTrue(Files.isExecutable(analyze), missing); // reported as skipped, after the option checks above ran
    Process p = new ProcessBuilder(analyze.toString(), "verify", SUBMIT.resolve("systemd/slc-retrain.timer").toString(),
        service.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.isBlank(), "systemd-analyze verify complains: " + out);
  }
}
