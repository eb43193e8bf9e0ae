package org.sparklinear.linalg;

/**
 * The BLAS this JVM uses: Spark's {@code dev.ludovic.netlib}, which picks a native OpenBLAS when the machine has one
 * and its Java Vector API implementation otherwise.
 */
public final class Blas {
  private Blas() {}

  public static dev.ludovic.netlib.blas.BLAS get() {
    return dev.ludovic.netlib.blas.BLAS.getInstance();
  }

  /** The implementation's class name, for logs and benchmark reports. */
  public static String implementationName() {
    return get().getClass().getSimpleName();
  }
}
