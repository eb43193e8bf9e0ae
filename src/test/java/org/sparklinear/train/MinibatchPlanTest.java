package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MinibatchPlanTest {

  @Test
  void everyRowIsUsedOncePerEpochAndStepsAreNearBatchSize() {
    int[] partitionRows = {333, 250, 417};
    long total = Arrays.stream(partitionRows).sum();
    MinibatchPlan plan = new MinibatchPlan(5, total, 64);
    assertEquals(16, plan.stepsPerEpoch()); // ceil(1000 / 64)
    for (int p = 0; p < partitionRows.length; p++) {
      int rows = partitionRows[p];
      int[] seen = new int[rows];
      int[] order = plan.order(2, p, rows);
      for (int s = 0; s < plan.stepsPerEpoch(); s++) {
        for (int i = plan.sliceStart(rows, s); i < plan.sliceEnd(rows, s); i++) {
          seen[order[i]]++;
        }
      }
      int[] once = new int[rows];
      Arrays.fill(once, 1);
      assertArrayEquals(once, seen, "partition " + p);
    }
    for (int s = 0; s < plan.stepsPerEpoch(); s++) {
      int stepRows = 0;
      for (int rows : partitionRows) {
        stepRows += plan.sliceEnd(rows, s) - plan.sliceStart(rows, s);
      }
      assertEquals(62.5, stepRows, 2.0, "step " + s);
    }
  }

  @Test
  void orderIsReshuffledEachEpochAndReproducible() {
    MinibatchPlan plan = new MinibatchPlan(5, 100, 10);
    assertArrayEquals(MinibatchPlan.permutation(5, 0, 1, 100), plan.order(0, 1, 100));
    assertFalse(Arrays.equals(plan.order(0, 1, 100), plan.order(1, 1, 100)));
    assertFalse(Arrays.equals(plan.order(0, 1, 100), plan.order(0, 2, 100)));
    assertFalse(Arrays.equals(plan.order(0, 1, 100), new MinibatchPlan(6, 100, 10).order(0, 1, 100)));
  }
}
