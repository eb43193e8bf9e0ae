package org.sparklinear.preprocess;

import java.io.Serializable;
import org.sparklinear.data.LabeledImage;

/**
 * Per-feature count, sum and sum of squares of raw inputs, mergeable so Spark can aggregate it. 8-bit pixels are
 * summed exactly in longs (any merge order gives the same value); float features are summed in doubles, so callers
 * merge those in a fixed order (by partition) to stay reproducible.
 */
public final class FeatureStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private final long[] sums;
  private final long[] sumSquares;
  private double[] valueSums;
  private double[] valueSumSquares;

  public FeatureStatistics(int features) {
    // long sums are exact for any dataset under 2^47 images
    this.sums = new long[features];
    this.sumSquares = new long[features];
  }

  public FeatureStatistics add(LabeledImage example) {
    return example.pixels() != null ? add(example.pixels()) : add(example.requireFinite().values());
  }

  public FeatureStatistics add(byte[] pixels) {
    checkLength(pixels.length);
    for (int i = 0; i < pixels.length; i++) {
      int v = pixels[i] & 0xff;
      sums[i] += v;
      sumSquares[i] += v * v;
    }
    count++;
    return this;
  }

  public FeatureStatistics add(float[] values) {
    checkLength(values.length);
    if (valueSums == null) {
      valueSums = new double[sums.length];
      valueSumSquares = new double[sums.length];
    }
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      valueSums[i] += v;
      valueSumSquares[i] += v * v;
    }
    count++;
    return this;
  }

  private void checkLength(int length) {
    if (length != sums.length) {
      throw new IllegalArgumentException("example has " + length + " values, expected " + sums.length);
    }
  }

  public FeatureStatistics merge(FeatureStatistics other) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.sums[i];
      sumSquares[i] += other.sumSquares[i];
    }
    if (other.valueSums != null) {
      if (valueSums == null) {
        valueSums = new double[sums.length];
        valueSumSquares = new double[sums.length];
      }
      for (int i = 0; i < sums.length; i++) {
        valueSums[i] += other.valueSums[i];
        valueSumSquares[i] += other.valueSumSquares[i];
      }
    }
    count += other.count;
    return this;
  }

  public long count() {
    return count;
  }

  /** True when every example was 8-bit pixels (none a float feature vector). */
  public boolean pixelsOnly() {
    return valueSums == null;
  }

  public double[] mean() {
    double[] mean = new double[sums.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = sum(i) / count;
    }
    return mean;
  }

  /** Population standard deviation per feature. */
  public double[] standardDeviation() {
    double[] sd = new double[sums.length];
    for (int i = 0; i < sd.length; i++) {
      double m = sum(i) / count;
      double squares = sumSquares[i] + (valueSumSquares == null ? 0 : valueSumSquares[i]);
      sd[i] = Math.sqrt(Math.max(0, squares / count - m * m));
    }
    return sd;
  }

  private double sum(int i) {
    return sums[i] + (valueSums == null ? 0 : valueSums[i]);
  }
}
