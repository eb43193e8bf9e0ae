package org.sparklinear.preprocess;

import java.io.Serializable;

/** Per-feature count, sum and sum of squares of raw pixels: mergeable, so Spark can aggregate it. */
public final class PixelStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private final long[] sums;
  private final long[] sumSquares;

  public PixelStatistics(int features) {
    // 8-bit pixels: long sums are exact for any dataset under 2^47 images, and merge in any order to the same value
    this.sums = new long[features];
    this.sumSquares = new long[features];
  }

  public PixelStatistics add(byte[] pixels) {
    if (pixels.length != sums.length) {
      throw new IllegalArgumentException("image has " + pixels.length + " values, expected " + sums.length);
    }
    for (int i = 0; i < pixels.length; i++) {
      int v = pixels[i] & 0xff;
      sums[i] += v;
      sumSquares[i] += v * v;
    }
    count++;
    return this;
  }

  public PixelStatistics merge(PixelStatistics other) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.sums[i];
      sumSquares[i] += other.sumSquares[i];
    }
    count += other.count;
    return this;
  }

  public long count() {
    return count;
  }

  public double[] mean() {
    double[] mean = new double[sums.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (double) sums[i] / count;
    }
    return mean;
  }

  /** Population standard deviation per feature. */
  public double[] standardDeviation() {
    double[] sd = new double[sums.length];
    for (int i = 0; i < sd.length; i++) {
      double m = (double) sums[i] / count;
      sd[i] = Math.sqrt(Math.max(0, (double) sumSquares[i] / count - m * m));
    }
    return sd;
  }
}
