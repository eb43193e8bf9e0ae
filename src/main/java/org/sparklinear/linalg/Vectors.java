package org.sparklinear.linalg;

/** Small operations on dense score vectors. */
public final class Vectors {
  private Vectors() {}

  /** Index of the largest of {@code values[offset .. offset + n)}; the first on ties. */
  public static int argmax(double[] values, int offset, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }
}
