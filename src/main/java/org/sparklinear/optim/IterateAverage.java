package org.sparklinear.optim;

import java.util.Arrays;

/**
 * The running mean of a run's iterates from a given step on (see {@link IterateAveraging}): the sum of the
 * parameter vectors after each averaged step and their count, kept on the driver, so every step mode averages the
 * same vectors in the same order. Its state is what a checkpoint keeps to resume to the same bits.
 */
public final class IterateAverage {
  private final long startAfter;
  private double[] sum;
  private long count;

  /** @param startAfter the steps completed before the first averaged one */
  public IterateAverage(long startAfter) {
    if (startAfter < 0) {
      throw new IllegalArgumentException("averaging cannot start before the first step, got " + startAfter);
    }
    this.startAfter = startAfter;
  }

  /**
   * Adds the parameters after an update that took {@code steps} steps (a round of local steps, or 1) and brought the
   * completed steps to {@code step}: counted once per step of the round that falls in the averaged tail (the
   * round's intermediate iterates are the partitions', not the driver's).
   */
  public void add(double[] parameters, long step, int steps) {
    long averaged = Math.min(steps, step - startAfter);
    if (averaged <= 0) {
      return;
    }
    if (sum == null) {
      sum = new double[parameters.length];
    } else if (sum.length != parameters.length) {
      throw new IllegalArgumentException("parameters have " + parameters.length + " entries, the average "
          + sum.length);
    }
    for (int i = 0; i < parameters.length; i++) {
      sum[i] += averaged * parameters[i];
    }
    count += averaged;
  }

  /** Whether any step has been averaged yet. */
  public boolean started() {
    return count > 0;
  }

  public long count() {
    return count;
  }

  public long startAfter() {
    return startAfter;
  }

  /** The mean of the averaged iterates; only once {@link #started}. */
  public double[] mean() {
    if (count == 0) {
      throw new IllegalStateException("no step has been averaged yet");
    }
    double[] mean = new double[sum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = sum[i] / count;
    }
    return mean;
  }

  /** {@code [startAfter, count, sum...]}, for checkpoints. */
  public double[] state() {
    double[] s = new double[2 + (sum == null ? 0 : sum.length)];
    s[0] = startAfter;
    s[1] = count;
    if (sum != null) {
      System.arraycopy(sum, 0, s, 2, sum.length);
    }
    return s;
  }

  /** An average continued from a {@link #state}. */
  public static IterateAverage restore(double[] state) {
    if (state.length < 2 || state[0] < 0 || state[1] < 0 || (state[1] > 0) != (state.length > 2)) {
      throw new IllegalArgumentException("not an iterate average's state: " + state.length + " values");
    }
    IterateAverage a = new IterateAverage((long) state[0]);
    a.count = (long) state[1];
    a.sum = state.length > 2 ? Arrays.copyOfRange(state, 2, state.length) : null;
    return a;
  }
}
