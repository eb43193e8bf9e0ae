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

  @Test
  void diskChunksAreEachReadOnceAnEpochAsContiguousRunsOfTheEpochsOrder() {
    int chunks = 37;
    MinibatchPlan plan = new MinibatchPlan(5, 1000, 64); // 16 steps: 2 or 3 chunks each
    for (int epoch = 0; epoch < 2; epoch++) {
      int[] order = MinibatchPlan.permutation(5, epoch, -1, chunks);
      int[] seen = new int[chunks];
      int next = 0;
      for (int s = 0; s < plan.stepsPerEpoch(); s++) {
        int[] step = plan.chunks(epoch, s, chunks);
        assertEquals(chunks / 16.0, step.length, 1.0, "step " + s);
        // the step's chunks are the next run of the epoch's permutation: steps follow each other through it
        assertArrayEquals(Arrays.copyOfRange(order, next, next + step.length), step, "step " + s);
        next += step.length;
        for (int c : step) {
          seen[c]++;
        }
      }
      int[] once = new int[chunks];
      Arrays.fill(once, 1);
      assertArrayEquals(once, seen, "epoch " + epoch);
    }
    assertFalse(Arrays.equals(plan.chunks(0, 0, chunks), plan.chunks(1, 0, chunks)), "a fresh order each epoch");
  }
}
