package org.sparklinear.bench;

import java.util.List;

/**
 * A step's cost as {@code a + b·(batch·K·D) + c·(K·D)} milliseconds: a fixed latency per step, the gradient's
 * arithmetic (every row of the batch against every weight) and the weights' bytes moved (broadcast out, gradient sums
 * back). Fitted by least squares on relative residuals, so that a 20 ms step counts as much as a 5 s one: the model
 * must predict the small models as well as the large.
 *
 * @param latencyMillis a
 * @param millisPerRowWeight b, per row of the batch and weight
 * @param millisPerWeight c, per weight (K·D) moved to the partitions and back
 */
record CostModel(double latencyMillis, double millisPerRowWeight, double millisPerWeight) {

  /** One measured step: its shape and its time. */
  record Point(int batch, int classes, int features, double stepMillis) {
    double rowWeights() {
      return (double) batch * classes * features;
    }

    double weights() {
      return (double) classes * features;
    }
  }

  double predictMillis(int batch, int classes, int features) {
    return latencyMillis + millisPerRowWeight * batch * (double) classes * features
        + millisPerWeight * (double) classes * features;
  }

  /** The weighted least-squares fit; needs at least three points that tell the three terms apart. */
  static CostModel fit(List<Point> points) {
    if (points.size() < 3) {
      throw new IllegalArgumentException("a cost model needs at least 3 points, got " + points.size());
    }
    // columns scaled to about 1, so that the normal equations stay well conditioned (batch·K·D reaches 2e10)
    double rowScale = 0;
    double weightScale = 0;
    for (Point p : points) {
      rowScale = Math.max(rowScale, p.rowWeights());
      weightScale = Math.max(weightScale, p.weights());
    }
    double[][] normal = new double[3][3];
    double[] rhs = new double[3];
    for (Point p : points) {
      double scale = 1 / p.stepMillis(); // relative residuals
      double[] x = {scale, p.rowWeights() / rowScale * scale, p.weights() / weightScale * scale};
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          normal[i][j] += x[i] * x[j];
        }
        rhs[i] += x[i] * p.stepMillis() * scale;
      }
    }
    double[] c = solve(normal, rhs);
    return new CostModel(c[0], c[1] / rowScale, c[2] / weightScale);
  }

  /** Gaussian elimination with partial pivoting. */
  static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    double largest = 0;
    for (int i = 0; i < n; i++) {
      for (double v : a[i]) {
        largest = Math.max(largest, Math.abs(v));
      }
      m[i] = java.util.Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      if (Math.abs(m[pivot][col]) <= 1e-10 * largest) {
        throw new IllegalArgumentException("the points do not tell the cost model's terms apart (singular fit)");
      }
      double[] t = m[col];
      m[col] = m[pivot];
      m[pivot] = t;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = m[r][col] / m[col][col];
          for (int k = col; k <= n; k++) {
            m[r][k] -= f * m[col][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = m[i][n] / m[i][i];
    }
    return x;
  }
}
