package org.sparklinear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
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

  @Test
  void varintsRoundTripEveryLongAcrossChunkBoundaries() throws IOException {
    Random random = new Random(3);
    for (int length : new int[] {0, 1, 8191, 8192, 8193, 20_000}) {
      long[] values = new long[length];
      for (int i = 0; i < length; i++) {
        values[i] = switch (i % 7) {
          case 0 -> Long.MIN_VALUE;
          case 1 -> Long.MAX_VALUE;
          case 2 -> 0;
          case 3 -> -1;
          case 4 -> random.nextLong();
          default -> random.nextLong() >> random.nextInt(64);
        };
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      VarintLongs.write(values, new DataOutputStream(bytes));
      long[] back = VarintLongs.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertArrayEquals(values, back);
    }
  }

  @Test
  void serialisedSumsAreExactAndSmallerThanEightBytesAnEntry() throws Exception {
    Random random = new Random(5);
    double[] gradient = new double[50_000];
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] = random.nextGaussian() * (i % 2 == 0 ? 0.01 : 1); // a gradient's spread of magnitudes
    }
    gradient[7] = 0x1.0p31 - 1; // the largest representable magnitude: a fixed-point value near 2^63
    gradient[8] = -(0x1.0p31 - 1);
    ReproducibleSum sum = ReproducibleSum.of(gradient, 123.25, 9).withComputeNanos(77);
    byte[] serialised = serialise(sum);
    ReproducibleSum back = deserialise(serialised);
    assertNotSame(sum, back);
    assertArrayEquals(sum.gradient(gradient.length), back.gradient(gradient.length), 0.0);
    assertEquals(123.25, back.loss(), 0.0);
    assertEquals(9, back.count());
    assertEquals(77, back.computeNanos());
    assertEquals(77, back.totalComputeNanos());
    // plain long[] serialisation takes 8 bytes an entry; these values take 4 or 5 (the two near 2^63 take 10)
    assertTrue(serialised.length < 5.0 * gradient.length, serialised.length + " bytes");

    ReproducibleSum empty = deserialise(serialise(ReproducibleSum.empty()));
    assertEquals(0, empty.count());
    assertEquals(0, empty.loss(), 0.0);
    assertArrayEquals(new double[3], empty.gradient(3), 0.0);
    ReproducibleSum overflowed = deserialise(serialise(ReproducibleSum.of(new double[] {1, Double.NaN}, 0, 2)));
    assertTrue(overflowed.overflowed());
    assertTrue(Double.isNaN(overflowed.loss()));
  }

  private static byte[] serialise(ReproducibleSum sum) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sum);
    }
    return bytes.toByteArray();
  }

  private static ReproducibleSum deserialise(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (ReproducibleSum) in.readObject();
    }
  }
}
