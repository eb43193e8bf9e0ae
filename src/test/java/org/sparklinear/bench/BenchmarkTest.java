package org.sparklinear.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparklinear.TestSupport;

/**
 * The benchmark runs every section end to end on the small samples and writes every key the issue names. It checks
 * structure, never timings: the figures come from submit/bench.sh on the real data.
 */
class BenchmarkTest {

  @Test
  void quickRunOnTheSamplesWritesEveryFigure(@TempDir Path out) throws Exception {
    Benchmark.main(new String[] {"--data", TestSupport.samples().resolve("cifar").toString(), "--out", out.toString(),
        "--repeats", "1", "--target", "0.5", "--profile-steps", "5", "--lr-max-iter", "10", "--lr-best-iter", "10",
        "--mllib-sgd-steps", "10", "--eval-every", "2", "--local-steps", "8"});
    JsonNode r = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
    for (String path : new String[] {"timeToTarget.ours", "timeToTarget.mllibLogisticRegression",
        "timeToTarget.speedup", "stepTime.ours", "stepTime.mllibMiniBatchSGD", "stepTime.speedup",
        "fullPass.gemmFraction", "cache.bytesPerFloat", "noSpark.ratio", "stepBreakdown.computeMillis",
        "stepBreakdown.broadcastMillis", "stepBreakdown.aggregationMillis", "stepBreakdown.driverUpdateMillis",
        "environment.oursBlas", "environment.mllibBlas", "ours.hinge.accuracyAfterBudget",
        "floor.emptyJobMillis", "floor.broadcastCollectMillis", "stepBreakdown.overheadMillis",
        "stepMode.driver.secondsToTarget", "stepMode.jobs.secondsToTarget", "localSteps.H8.roundMillis",
        "localSteps.H8.accuracyAfterBudget"}) {
      JsonNode node = r;
      for (String part : path.split("\\.")) {
        node = node.path(part);
      }
      assertTrue(node.isNumber() || node.isTextual(), path + " missing in " + r);
    }
    assertEquals(6, r.path("scaling").path("epochs").size());
    assertTrue(r.path("cache").path("bytesPerFloat").asDouble() > 0.9);
    assertTrue(Files.readString(out.resolve("bench.md")).contains("time per SGD step"));
  }

  @Test
  void globalIndexCountsRecordsAcrossCifarFiles() {
    assertEquals(7, Benchmark.globalIndex("data_batch_1.bin#7"));
    assertEquals(20_003, Benchmark.globalIndex("data_batch_3.bin#3"));
  }
}
