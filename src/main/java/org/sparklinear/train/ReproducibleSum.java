package org.sparklinear.train;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Partition sums of loss and gradient, combined in fixed point so that the total does not depend on the order in
 * which Spark's {@code treeAggregate} merges partitions: same seed, data and partitioning give the same model to
 * the last bit, on one machine or a cluster, with or without task retries.
 *
 * <p>Each partition's double sums are rounded to multiples of 2^-32 (an absolute error below 1.2e-10 per
 * partition, far under the float precision of the cached features); sums beyond 2^31 in magnitude cannot be
 * represented and are reported as divergence.
 *
 * <p>Serialised, the sums are zig-zag varints ({@link VarintLongs}), exact and about 5 bytes an entry rather than 8.
 */
public final class ReproducibleSum implements Serializable {
  private static final long serialVersionUID = 2L;
  private static final double SCALE = 0x1.0p32;
  private static final double LIMIT = 0x1.0p31;

  /** Entries {@code 0..n-1}: the gradient, entry {@code n}: the loss; null while empty, to keep tasks small. */
  private transient long[] fixed;
  private long count;
  private boolean overflow;
  /** The longest time one partition spent computing its part: the compute share of a step's critical path. */
  private long computeNanos;
  /** The compute time of all partitions together (CPU time when partitions outnumber cores). */
  private long totalComputeNanos;

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeBoolean(fixed != null);
    if (fixed != null) {
      VarintLongs.write(fixed, out);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    fixed = in.readBoolean() ? VarintLongs.read(in) : null;
  }

  public static ReproducibleSum empty() {
    return new ReproducibleSum();
  }

  /** One partition's contribution. */
  public static ReproducibleSum of(double[] gradient, double loss, long count) {
    ReproducibleSum s = new ReproducibleSum();
    s.fixed = new long[gradient.length + 1];
    for (int i = 0; i < gradient.length; i++) {
      s.fixed[i] = s.toFixed(gradient[i]);
    }
    s.fixed[gradient.length] = s.toFixed(loss);
    s.count = count;
    return s;
  }

  private long toFixed(double v) {
    if (!(Math.abs(v) < LIMIT)) {
      overflow = true;
      return 0;
    }
    return Math.round(v * SCALE);
  }

  /** Records how long computing this part took; merging keeps the maximum. */
  public ReproducibleSum withComputeNanos(long nanos) {
    computeNanos = nanos;
    totalComputeNanos = nanos;
    return this;
  }

  public long computeNanos() {
    return computeNanos;
  }

  public long totalComputeNanos() {
    return totalComputeNanos;
  }

  /**
   * Adds {@code other} into this one and returns this. While this one is empty it takes over {@code other}'s sums
   * instead of copying them (a partition's sums of a large model are hundreds of MB): {@code other} must not be used
   * afterwards.
   */
  public ReproducibleSum merge(ReproducibleSum other) {
    overflow |= other.overflow;
    computeNanos = Math.max(computeNanos, other.computeNanos);
    totalComputeNanos += other.totalComputeNanos;
    count += other.count;
    if (other.fixed == null) {
      return this;
    }
    if (fixed == null) {
      fixed = other.fixed;
      other.fixed = null;
      return this;
    }
    if (fixed.length != other.fixed.length) {
      throw new IllegalStateException("cannot merge sums of " + fixed.length + " and " + other.fixed.length);
    }
    for (int i = 0; i < fixed.length; i++) {
      long a = fixed[i];
      long b = other.fixed[i];
      long r = a + b;
      if (((a ^ r) & (b ^ r)) < 0) {
        overflow = true;
      }
      fixed[i] = r;
    }
    return this;
  }

  public long count() {
    return count;
  }

  /** True when some value was too large to add exactly: the run is diverging. */
  public boolean overflowed() {
    return overflow;
  }

  /** The summed loss (NaN when the sum overflowed). */
  public double loss() {
    if (overflow) {
      return Double.NaN;
    }
    return fixed == null ? 0 : fixed[fixed.length - 1] / SCALE;
  }

  /** The summed gradient as doubles, of the given length (zeros when nothing was added). */
  public double[] gradient(int length) {
    double[] g = new double[length];
    if (fixed != null) {
      for (int i = 0; i < length; i++) {
        g[i] = fixed[i] / SCALE;
      }
    }
    return g;
  }
}
