package org.sparklinear.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparklinear.TestSupport;

/** The sizing section on a tiny grid: every row measured and split, the model fitted, bench.md's table written. */
class SizingBenchmarkTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = TestSupport.localSpark(2);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void measuresEveryShapeAndBatchAndFitsTheModel() {
    SizingBenchmark sizing = new SizingBenchmark(SizingBenchmark.parseShapes("3x8,5x40"),
        SizingBenchmark.parseBatches("4,16"), 1, 2, 60, 7);
    Map<String, Object> m = sizing.run(sc);

    assertEquals(List.of("master", "partitions", "rows", "stepMode", "maxHeapMB", "peakUsedHeapMB", "table",
        "model"), List.copyOf(m.keySet()));
    assertEquals("jobs", m.get("stepMode"));
    assertEquals(32, m.get("rows"));
    List<?> table = (List<?>) m.get("table");
    assertEquals(4, table.size());
    Map<?, ?> last = (Map<?, ?>) table.get(3);
    assertEquals(List.of("classes", "features", "batch", "weightsMB", "steps", "resultMBPerStep", "stepMillis",
        "computeMillis",
        "broadcastMillis", "schedulingMillis", "aggregationMillis", "driverUpdateMillis", "resultsMillis",
        "heapAfterGcMB",
        "peakUsedHeapSoFarMB", "predictedMillis", "measuredOverPredicted", "measuredOverPredictedHeldOut"),
        List.copyOf(last.keySet()));
    assertEquals(5, last.get("classes"));
    assertEquals(40, last.get("features"));
    assertEquals(16, last.get("batch"));
    assertEquals(3, last.get("steps")); // never fewer than 3 timed steps
    for (Object o : table) {
      Map<?, ?> row = (Map<?, ?>) o;
      double step = (Double) row.get("stepMillis");
      assertTrue(step > 0 && (Double) row.get("computeMillis") <= step, row.toString());
    }
    assertTrue((Double) m.get("peakUsedHeapMB") > 0);
    assertEquals(List.of("latencyMillis", "nanosPerRowWeight", "nanosPerWeight").stream().sorted().toList(),
        ((Map<?, ?>) m.get("model")).keySet().stream().map(Object::toString).sorted().toList());

    String md = BenchReport.markdown(Map.of("sizing", m));
    assertTrue(md.contains("## Sizing (local[2], jobs steps"), md);
    assertTrue(md.contains("| 5 | 40 | 16 |"), md);
    assertTrue(md.contains("step (ms) = "), md);
  }

  @Test
  void syntheticBlocksAreSeededAndCoverTheRows() {
    List<org.sparklinear.linalg.FeatureBlock> a = SizingBenchmark.syntheticBlocks(sc, 2, 7, 3, 5, 11).collect();
    List<org.sparklinear.linalg.FeatureBlock> b = SizingBenchmark.syntheticBlocks(sc, 2, 7, 3, 5, 11).collect();
    assertEquals(7, a.stream().mapToInt(org.sparklinear.linalg.FeatureBlock::rows).sum());
    assertEquals(a.get(1).value(2, 4), b.get(1).value(2, 4));
    assertTrue(a.get(1).label(2) >= 0 && a.get(1).label(2) < 3);
  }
}
