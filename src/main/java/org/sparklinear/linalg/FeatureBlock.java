package org.sparklinear.linalg;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A partition's rows packed into one contiguous row-major float matrix, with their labels.
 *
 * <p>Float storage halves the cache against doubles; all arithmetic on the rows is done in double by the
 * kernels, which widen the rows they touch into a reused scratch buffer.
 */
public final class FeatureBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int features;
  private final float[] values;
  private final int[] labels;
  private final int partitionIndex;

  public FeatureBlock(int partitionIndex, int rows, int features, float[] values, int[] labels) {
    if ((long) rows * features != values.length) {
      throw new IllegalArgumentException(
          "block of " + rows + " x " + features + " needs " + (long) rows * features + " values, got " + values.length);
    }
    if (labels.length != rows) {
      throw new IllegalArgumentException("block of " + rows + " rows has " + labels.length + " labels");
    }
    this.partitionIndex = partitionIndex;
    this.rows = rows;
    this.features = features;
    this.values = values;
    this.labels = labels;
  }

  /**
   * {@code rows} rows of features uniform in [-1, 1) and labels uniform in 0..classes-1, drawn from {@code random} in
   * that order: synthetic data for the benchmark's sizing section and for tests.
   */
  public static FeatureBlock uniformRandom(int partitionIndex, int rows, int features, int classes,
      java.util.SplittableRandom random) {
    float[] values = new float[rows * features];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(classes);
    }
    return new FeatureBlock(partitionIndex, rows, features, values, labels);
  }

  public static FeatureBlock empty(int partitionIndex, int features) {
    return new FeatureBlock(partitionIndex, 0, features, new float[0], new int[0]);
  }

  public int rows() {
    return rows;
  }

  public int features() {
    return features;
  }

  /** Index of the Spark partition that built this block; minibatch plans are keyed by it. */
  public int partitionIndex() {
    return partitionIndex;
  }

  public int label(int row) {
    return labels[row];
  }

  public float value(int row, int feature) {
    return values[row * features + feature];
  }

  /** Bytes held by this block's arrays, for cache-size reporting. */
  public long payloadBytes() {
    return 4L * values.length + 4L * labels.length;
  }

  /** Widens the given rows, in the given order, into {@code dest} (row-major, {@code count x features}). */
  public void gatherRows(int[] rowIndices, int from, int count, double[] dest, int[] destLabels) {
    for (int i = 0; i < count; i++) {
      int row = rowIndices[from + i];
      int src = row * features;
      int dst = i * features;
      for (int f = 0; f < features; f++) {
        dest[dst + f] = values[src + f];
      }
      destLabels[i] = labels[row];
    }
  }

  /** Widens the contiguous rows {@code [first, first + count)} into {@code dest}. */
  public void copyRows(int first, int count, double[] dest, int[] destLabels) {
    int base = first * features;
    for (int i = 0, n = count * features; i < n; i++) {
      dest[i] = values[base + i];
    }
    System.arraycopy(labels, first, destLabels, 0, count);
  }

  /** A copy of one row in double precision. */
  public double[] row(int row) {
    double[] out = new double[features];
    for (int f = 0; f < features; f++) {
      out[f] = values[row * features + f];
    }
    return out;
  }

  @Override
  public String toString() {
    return "FeatureBlock[partition=" + partitionIndex + ", rows=" + rows + ", features=" + features
        + ", labels=" + Arrays.toString(Arrays.copyOf(labels, Math.min(rows, 5))) + (rows > 5 ? "...]" : "]");
  }
}
