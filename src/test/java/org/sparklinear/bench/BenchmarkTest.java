package org.sparklinear.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The benchmark's helpers. Its whole run on the samples is the README's one-minute benchmark command, which
 * ReadmeCommandsIT runs and checks (every section, every key); the figures come from submit/bench.sh on the real data.
 */
class BenchmarkTest {

  @Test
  void globalIndexCountsRecordsAcrossCifarFiles() {
    assertEquals(7, Benchmark.globalIndex("data_batch_1.bin#7"));
    assertEquals(20_003, Benchmark.globalIndex("data_batch_3.bin#3"));
  }
}
