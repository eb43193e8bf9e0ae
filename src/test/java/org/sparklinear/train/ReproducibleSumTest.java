package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReproducibleSumTest {

  @Test
  void mergeOrderDoesNotChangeABit() {
    Random random = new Random(1);
    List<double[]> parts = new ArrayList<>();
    for (int p = 0; p < 12; p++) {
      double[] g = new double[50];
      for (int i = 0; i < g.length; i++) {
        g[i] = random.nextGaussian() * Math.pow(10, random.nextInt(8) - 4);
      }
      parts.add(g);
    }
    double[] reference = null;
    double referenceLoss = 0;
    for (int trial = 0; trial < 20; trial++) {
      Collections.shuffle(parts, random);
      // a random tree of merges, like treeAggregate's
      List<ReproducibleSum> level = new ArrayList<>();
      for (double[] g : parts) {
        level.add(ReproducibleSum.of(g, g[0], 3));
      }
      while (level.size() > 1) {
        int i = random.nextInt(level.size() - 1);
        level.set(i, level.get(i).merge(level.remove(i + 1)));
      }
      ReproducibleSum total = ReproducibleSum.empty().merge(level.get(0));
      assertEquals(36, total.count());
      if (reference == null) {
        reference = total.gradient(50);
        referenceLoss = total.loss();
      } else {
        assertArrayEquals(reference, total.gradient(50), 0.0);
        assertEquals(referenceLoss, total.loss(), 0.0);
      }
    }
    double direct = 0;
    for (double[] g : parts) {
      direct += g[7];
    }
    assertEquals(direct, reference[7], 12 * 0x1.0p-32);
  }

  @Test
  void nonFiniteOrHugeValuesAreReportedAsOverflow() {
    assertTrue(ReproducibleSum.of(new double[] {Double.NaN}, 0, 1).overflowed());
    assertTrue(Double.isNaN(ReproducibleSum.of(new double[] {1}, 1e300, 1).loss()));
    ReproducibleSum a = ReproducibleSum.of(new double[] {0x1.0p30 * 1.99}, 0, 1);
    ReproducibleSum b = ReproducibleSum.of(new double[] {0x1.0p30 * 1.99}, 0, 1);
    assertTrue(a.merge(b).overflowed());
  }
}
