package org.sparklinear.eval;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts of (true class, predicted class); mergeable so that partitions can be combined. */
public final class ConfusionMatrix implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long[][] counts;

  public ConfusionMatrix(int classes) {
    this.counts = new long[classes][classes];
  }

  public void add(int actual, int predicted) {
    counts[actual][predicted]++;
  }

  public ConfusionMatrix merge(ConfusionMatrix other) {
    for (int i = 0; i < counts.length; i++) {
      for (int j = 0; j < counts.length; j++) {
        counts[i][j] += other.counts[i][j];
      }
    }
    return this;
  }

  public int classes() {
    return counts.length;
  }

  public long count(int actual, int predicted) {
    return counts[actual][predicted];
  }

  public long total() {
    long t = 0;
    for (long[] row : counts) {
      for (long c : row) {
        t += c;
      }
    }
    return t;
  }

  public long correct() {
    long c = 0;
    for (int i = 0; i < counts.length; i++) {
      c += counts[i][i];
    }
    return c;
  }

  /** Fraction correct; NaN when there were no examples. */
  public double accuracy() {
    long t = total();
    return t == 0 ? Double.NaN : (double) correct() / t;
  }

  /** Recall of each class (NaN for a class with no examples). */
  public double[] perClassAccuracy() {
    double[] acc = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      long row = 0;
      for (long c : counts[i]) {
        row += c;
      }
      acc[i] = row == 0 ? Double.NaN : (double) counts[i][i] / row;
    }
    return acc;
  }

  public long[][] toArray() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  /** Per-class accuracy by class name; classes without examples are left out. */
  public Map<String, Double> perClassAccuracy(List<String> classNames) {
    Map<String, Double> m = new LinkedHashMap<>();
    double[] acc = perClassAccuracy();
    for (int i = 0; i < acc.length; i++) {
      if (!Double.isNaN(acc[i])) {
        m.put(classNames.get(i), acc[i]);
      }
    }
    return m;
  }
}
