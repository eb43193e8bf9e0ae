package org.sparklinear.linalg;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The parameters of a linear classifier: {@code K x D} class templates {@code W} (row-major) and {@code K} biases.
 *
 * <p>The two live in one flat array, {@code W} first, so optimisers and aggregators treat them as one vector.
 */
public final class LinearWeights implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int classes;
  private final int features;
  private final double[] parameters;

  public LinearWeights(int classes, int features, double[] parameters) {
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
    }
    if (parameters.length != parameterCount(classes, features)) {
      throw new IllegalArgumentException("expected " + parameterCount(classes, features)
          + " parameters for " + classes + " classes x " + features + " features, got " + parameters.length);
    }
    this.classes = classes;
    this.features = features;
    this.parameters = parameters;
  }

  public static LinearWeights zeros(int classes, int features) {
    return new LinearWeights(classes, features, new double[parameterCount(classes, features)]);
  }

  public static int parameterCount(int classes, int features) {
    return Math.multiplyExact(classes, features + 1);
  }

  public int classes() {
    return classes;
  }

  public int features() {
    return features;
  }

  /** The flat parameter vector, {@code W} (row-major) then {@code b}. Shared, not copied. */
  public double[] parameters() {
    return parameters;
  }

  /** Offset of {@code b} in {@link #parameters()}; also the number of entries of {@code W}. */
  public int biasOffset() {
    return classes * features;
  }

  public double weight(int cls, int feature) {
    return parameters[cls * features + feature];
  }

  public double bias(int cls) {
    return parameters[biasOffset() + cls];
  }

  public LinearWeights copy() {
    return new LinearWeights(classes, features, parameters.clone());
  }

  /** Scores {@code W x + b} of one row. */
  public double[] scores(double[] row) {
    double[] s = new double[classes];
    for (int k = 0; k < classes; k++) {
      double acc = parameters[biasOffset() + k];
      int base = k * features;
      for (int f = 0; f < features; f++) {
        acc += parameters[base + f] * row[f];
      }
      s[k] = acc;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinearWeights w && w.classes == classes && w.features == features
        && Arrays.equals(w.parameters, parameters);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * classes + features) + Arrays.hashCode(parameters);
  }
}
