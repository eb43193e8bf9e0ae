package org.sparklinear.linalg;

import java.util.Locale;

/**
 * The BLAS our kernels call: Spark's {@code dev.ludovic.netlib}, which picks a native OpenBLAS when the machine has
 * one and its Java Vector API implementation otherwise. The system property {@code slc.blas=java} forces the Java
 * one (benchmarks report both); {@code auto}, the default, lets netlib choose.
 */
public final class Blas {
  public static final String PROPERTY = "slc.blas";

  private Blas() {}

  private static final class Holder {
    static final dev.ludovic.netlib.blas.BLAS INSTANCE = choose();

    private static dev.ludovic.netlib.blas.BLAS choose() {
      String wanted = System.getProperty(PROPERTY, "auto").toLowerCase(Locale.ROOT);
      return switch (wanted) {
        case "java" -> dev.ludovic.netlib.blas.JavaBLAS.getInstance();
        case "auto" -> dev.ludovic.netlib.blas.BLAS.getInstance();
        default -> throw new IllegalArgumentException("-D" + PROPERTY + " must be auto or java, got " + wanted);
      };
    }
  }

  public static dev.ludovic.netlib.blas.BLAS get() {
    return Holder.INSTANCE;
  }

  /** The implementation's class name, for logs and benchmark reports. */
  public static String implementationName() {
    return get().getClass().getSimpleName();
  }
}
